package dev.cxoneroutes.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.testing.CtiReceiver;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.DataFiles;
import dev.cxoneroutes.testing.RunningService;
import dev.cxoneroutes.testing.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An answer is a promise: a request whose caller got a 200 is in the audit file and its webhook is
 * on the broker before the answer leaves. The service runs in a child JVM under steady HTTP load
 * and is killed with SIGKILL mid-traffic, while the CTI receiver is down (so every delivery is still
 * pending); then it is restarted on the same DATA_DIR and the receiver comes up.
 */
class AnsweredRequestsSurviveKillTest {

    static final String HANDOFF =
            """
            {"dtmf_sequence":"12#","voice_history":{"queue_name":"billing"},"caller_id":"+15551234567"}""";
    static final int CALLERS = 8;

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    CxoneStub cxone;
    CtiReceiver receiver;
    Path dataDirectory;
    int httpPort;
    int managementPort;
    Process service;

    @BeforeEach
    void prepare() throws IOException {
        cxone = new CxoneStub();
        receiver = new CtiReceiver(); // down until after the restart
        dataDirectory = Files.createTempDirectory("cxone-routes-kill");
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (service != null && service.isAlive()) {
            service.destroyForcibly().waitFor();
        }
        receiver.close();
        cxone.close();
    }

    @Test
    void every_request_answered_200_before_kill_9_is_audited_and_its_webhook_delivered_after_restart()
            throws Exception {
        service = startService("first-run");
        Set<String> answered200 = loadUntilKilled(300);

        Set<String> audited = new HashSet<>();
        for (String line : DataFiles.auditLines(dataDirectory)) {
            audited.add(json.readTree(line).path("request_id").asText());
        }
        assertThat(answered200).as("answered before the kill").hasSizeGreaterThanOrEqualTo(300);
        assertThat(audited).as("audited when killed").containsAll(answered200);

        service = startService("second-run");
        receiver.start();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(deliveredRequestIds().keySet()).containsAll(answered200));
        Map<String, Long> deliveries = deliveredRequestIds();
        assertThat(answered200).allSatisfy(requestId -> assertThat(deliveries.get(requestId))
                .as("deliveries of " + requestId)
                .isEqualTo(1));

        // Each answer was kept for repeats too: the IVR's retry after the restart is answered from
        // the idempotency store, without a second CXone call.
        int guestCallsBefore = cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH)));
        for (String requestId : answered200) {
            HttpResponse<Void> repeat = send(requestId);
            assertThat(repeat.statusCode()).as("repeat of " + requestId).isEqualTo(200);
            assertThat(repeat.headers().firstValue("Idempotent-Replayed"))
                    .as("repeat of " + requestId)
                    .contains("true");
        }
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))))
                .isEqualTo(guestCallsBefore);
    }

    /**
     * {@value #CALLERS} callers post handoffs back to back; once {@code answers} of them got their
     * 200, the service is killed with SIGKILL while the others are in flight. Returns the request
     * ids answered 200.
     */
    private Set<String> loadUntilKilled(int answers) throws Exception {
        Set<String> answered200 = concurrentSet();
        AtomicInteger sequence = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        for (int i = 0; i < CALLERS; i++) {
            callers.submit(() -> {
                while (!killed.get()) {
                    String requestId = "kill-" + sequence.incrementAndGet();
                    if (post(requestId) == 200 && !killed.get()) {
                        answered200.add(requestId);
                    }
                }
                return null;
            });
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> answered200.size() >= answers);
        // An answer that arrives after this line may have been written after the kill was decided,
        // so only answers seen before it count.
        Set<String> seen = Set.copyOf(answered200);
        killed.set(true);
        service.destroyForcibly().waitFor();
        callers.shutdown();
        assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        return seen;
    }

    private int post(String requestId) {
        try {
            return send(requestId).statusCode();
        } catch (IOException e) {
            return 0; // the service is gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** A handoff whose Idempotency-Key is its request id, as an IVR retrying it would send it again. */
    private HttpResponse<Void> send(String requestId) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/ivr/handoff"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header("X-API-Key", "test-key-1")
                        .header("X-Request-ID", requestId)
                        .header("Idempotency-Key", requestId)
                        .POST(HttpRequest.BodyPublishers.ofString(HANDOFF))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private Map<String, Long> deliveredRequestIds() {
        List<JsonNode> events = receiver.server().getAllServeEvents().stream()
                .map(event -> CtiReceiver.event(event.getRequest()))
                .toList();
        return events.stream()
                .map(event -> event.path("request_id").asText())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private Process startService(String name) throws IOException {
        httpPort = RunningService.freePort();
        managementPort = RunningService.freePort();
        Map<String, String> env = new java.util.HashMap<>();
        env.put("CXONE_BASE_URL", cxone.baseUrl());
        env.put("CXONE_CLIENT_ID", "test-client");
        env.put("CXONE_CLIENT_SECRET", CxoneStub.CLIENT_SECRET);
        env.put("API_KEYS", "test-key-1");
        env.put("CTI_WEBHOOK_URLS", receiver.url("/cti"));
        env.put("CTI_WEBHOOK_SECRET", "whsec_a2lsbC10ZXN0LXNpZ25pbmcta2V5");
        env.put("CTI_WEBHOOK_RETRY_FIRST_DELAY_MILLIS", "200");
        env.put("CTI_WEBHOOK_RETRY_MAX_DELAY_SECONDS", "1");
        env.put("CTI_WEBHOOK_TIMEOUT_SECONDS", "2");
        env.put("DATA_DIR", dataDirectory.toString());
        env.put("HTTP_PORT", String.valueOf(httpPort));
        env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("JMS_EMBEDDED_PORT", String.valueOf(RunningService.freePort()));
        Path log = Path.of("target", "answered-kill-" + name + ".log");
        Process started = ServiceProcess.start(env, log);
        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        assertThat(started.isAlive())
                                .as("the service is running; see " + log)
                                .isTrue();
                        return ready();
                    });
        } catch (RuntimeException | AssertionError e) {
            // Not yet this test's service: cleanUp would not stop a JVM that never became ready.
            started.destroyForcibly();
            throw e;
        }
        return started;
    }

    private boolean ready() {
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create(
                                                    "http://127.0.0.1:" + managementPort + "/observe/health/ready"))
                                            .GET()
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Set<String> concurrentSet() {
        return java.util.concurrent.ConcurrentHashMap.newKeySet();
    }
}
