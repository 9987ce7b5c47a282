package dev.cxoneroutes.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A legacy CTI system receiving result webhooks: WireMock on a fixed port (so it can go down and
 * come back at the same URL), answering 200 to everything unless a test stubs otherwise.
 */
public final class CtiReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private WireMockServer server;

    public CtiReceiver() {
        this.port = RunningService.freePort();
    }

    /** Starts (or starts again) on this receiver's port. */
    public CtiReceiver start() {
        server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .port(port)
                .containerThreads(20)
                .jettyAcceptors(1));
        // Answering 200 before the first request can arrive: a delivery racing a start followed by
        // the stub got WireMock's 404, was retried and counted twice by the kill -9 test.
        reset();
        server.start();
        return this;
    }

    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    public void reset() {
        server.resetAll();
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200)));
    }

    public WireMockServer server() {
        return server;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Every POST received whose event has this request_id, oldest first. */
    public List<LoggedRequest> eventsFor(String requestId) {
        return eventsFor(requestId, null);
    }

    /** As {@link #eventsFor(String)}, at one path only (null: any). */
    public List<LoggedRequest> eventsFor(String requestId, String path) {
        return server.getAllServeEvents().stream()
                .map(event -> event.getRequest())
                .filter(request -> path == null || request.getUrl().startsWith(path))
                .filter(request ->
                        requestId.equals(event(request).path("request_id").asText(null)))
                .sorted(java.util.Comparator.comparing(LoggedRequest::getLoggedDate))
                .toList();
    }

    public static JsonNode event(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
