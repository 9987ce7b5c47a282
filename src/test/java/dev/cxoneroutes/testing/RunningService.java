package dev.cxoneroutes.testing;

import dev.cxoneroutes.Application;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The real service, started in-process the way {@code java -jar} starts it (same bootstrap, same
 * application.properties and routes/ from the working directory), with test overrides on free ports.
 */
public final class RunningService implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final Main main;
    private final int httpPort;
    private final int managementPort;

    private final java.nio.file.Path dataDirectory;

    private RunningService(Main main, int httpPort, int managementPort, java.nio.file.Path dataDirectory) {
        this.main = main;
        this.dataDirectory = dataDirectory;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    /** Starts with the given settings on top of application.properties (keys as in that file). */
    public static RunningService start(Map<String, String> settings) {
        int httpPort = freePort();
        int managementPort = freePort();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("http.port", String.valueOf(httpPort));
        all.put("management.port", String.valueOf(managementPort));
        all.put("camel.main.shutdown-timeout", "2");
        all.put("jms.embedded-port", String.valueOf(freePort()));
        all.put("data.dir", temporaryDataDirectory());
        all.putAll(settings);
        Main main = Application.newMain();
        all.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception e) {
            main.stop();
            throw new IllegalStateException("The service did not start", e);
        }
        return new RunningService(main, httpPort, managementPort, java.nio.file.Path.of(all.get("data.dir")));
    }

    /** DATA_DIR of this instance: a fresh temporary folder unless the test gave one. */
    public java.nio.file.Path dataDirectory() {
        return dataDirectory;
    }

    /** The embedded broker's TCP address, as a local producer would connect to it. */
    public String jmsUrl() {
        return broker().tcpUrl();
    }

    public dev.cxoneroutes.jms.EmbeddedBroker broker() {
        return context().getRegistry().lookupByNameAndType("embeddedBroker", dev.cxoneroutes.jms.EmbeddedBroker.class);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    public String managementUrl(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }

    /** POSTs a body; headers alternate name, value. */
    public HttpResponse<String> post(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    public HttpResponse<String> postJson(String path, String json, String... headers) {
        return post(path, "application/json", json, headers);
    }

    /** GETs a URL; headers alternate name, value. */
    public HttpResponse<String> get(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        main.stop();
    }

    private static String temporaryDataDirectory() {
        try {
            return java.nio.file.Files.createTempDirectory("cxone-routes-data").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
