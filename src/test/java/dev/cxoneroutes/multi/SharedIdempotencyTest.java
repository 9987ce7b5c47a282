package dev.cxoneroutes.multi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.testing.CapturedLogs;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.DataFiles;
import dev.cxoneroutes.testing.PrometheusText;
import dev.cxoneroutes.testing.RunningService;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two instances sharing one PostgreSQL state store (CONTRACT §9), each with its own DATA_DIR and
 * ports, in front of one CXone: an Idempotency-Key is one guest session whichever instance gets it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class) // each test stands alone; the outage one just goes last
class SharedIdempotencyTest {

    static final String PATH = "/api/v1/ivr/handoff";
    static final String BODY =
            "{\"dtmf_sequence\":\"12#\",\"voice_history\":{\"queue_name\":\"billing\"},\"caller_id\":\"+15551234567\"}";

    /** Accepted and ignored by the test database (trust authentication); must never be logged. */
    static final String PASSWORD = "pg-password-" + java.util.UUID.randomUUID();

    final ObjectMapper json = new ObjectMapper();
    CapturedLogs logs;
    Path databaseDirectory;
    int databasePort;
    EmbeddedPostgres postgres;
    CxoneStub cxone;
    RunningService first;
    RunningService second;

    @BeforeAll
    void start() throws IOException {
        logs = CapturedLogs.start();
        databaseDirectory = Files.createTempDirectory("state-store-db");
        databasePort = RunningService.freePort();
        postgres = startDatabase();
        cxone = new CxoneStub();
        first = RunningService.start(instance("instance-a"));
        second = RunningService.start(instance("instance-b"));
    }

    @AfterAll
    void stop() throws IOException {
        for (AutoCloseable closeable : new AutoCloseable[] {second, first, cxone, postgres, logs}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    @BeforeEach
    void slowGuestSessions() {
        cxone.reset();
        // Slow enough that two requests sent together are both in flight at once.
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .willReturn(aResponse()
                                .withStatus(201)
                                .withFixedDelay(1000)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"id\":\"guest-shared\",\"url\":\"https://chat.example/s/shared\","
                                        + "\"state\":\"new\",\"channel\":\"webMessaging\"}")));
    }

    @Test
    void a_the_same_key_on_both_instances_at_the_same_moment_makes_one_guest_session() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> onFirst = CompletableFuture.supplyAsync(() -> {
            waitFor(go);
            return handoff(first, "call-together");
        });
        CompletableFuture<HttpResponse<String>> onSecond = CompletableFuture.supplyAsync(() -> {
            waitFor(go);
            return handoff(second, "call-together");
        });
        go.countDown();
        List<HttpResponse<String>> answers = List.of(onFirst.get(), onSecond.get());

        assertThat(guestCalls()).isEqualTo(1);
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(body(answer).path("guest_id").asText()).isEqualTo("guest-shared");
        });
        assertThat(answers.stream().filter(answer -> answer.headers()
                        .firstValue("Idempotent-Replayed")
                        .isPresent()))
                .hasSize(1)
                .allSatisfy(replayed -> assertThat(replayed.headers().firstValue("Idempotent-Replayed"))
                        .hasValue("true"));
    }

    @Test
    void b_a_repeat_on_the_other_instance_is_replayed() {
        HttpResponse<String> original = handoff(first, "call-later");
        HttpResponse<String> repeat = handoff(second, "call-later");

        assertThat(original.statusCode()).isEqualTo(200);
        assertThat(original.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(repeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(body(repeat).path("guest_id").asText())
                .isEqualTo(body(original).path("guest_id").asText());
        assertThat(guestCalls()).isEqualTo(1);
        // Each instance's audit names it (CONTRACT §9: every event carries "instance").
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(DataFiles.auditLines(first.dataDirectory()))
                    .anyMatch(line -> line.contains("\"instance\":\"instance-a\""));
            assertThat(DataFiles.auditLines(second.dataDirectory()))
                    .anyMatch(line -> line.contains("\"instance\":\"instance-b\""))
                    .noneMatch(line -> line.contains("instance-a"));
        });
    }

    @Test
    void c_while_the_database_is_down_requests_get_503_and_readiness_is_down_until_it_is_back() throws Exception {
        HttpResponse<String> before = handoff(first, "call-before-outage");
        assertThat(before.statusCode()).isEqualTo(200);

        postgres.close();

        HttpResponse<String> during = handoff(second, "call-during-outage");
        assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
        assertThat(body(during).path("code").asText()).isEqualTo("STATE_STORE_UNAVAILABLE");
        assertThat(during.headers().firstValue("Retry-After")).isPresent();
        assertThat(during.body()).doesNotContain("Exception").doesNotContain("jdbc:");
        assertThat(guestCalls()).as("nothing reached CXone").isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> ready = second.get(second.managementUrl("/observe/health/ready?data=true"));
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("state-store");
        });

        postgres = startDatabase(); // the same port and data directory: the database restarted

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(second.get(second.managementUrl("/observe/health/ready"))
                                .statusCode())
                        .isEqualTo(200));
        HttpResponse<String> after = handoff(second, "call-during-outage");
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(after.headers().firstValue("Idempotent-Replayed")).isEmpty();
        HttpResponse<String> kept = handoff(second, "call-before-outage");
        assertThat(kept.headers().firstValue("Idempotent-Replayed"))
                .as("answers from before the outage are still there")
                .hasValue("true");
        assertThat(guestCalls()).isEqualTo(2);
        assertThat(logs.text()).as("start, outage and recovery logged").doesNotContain(PASSWORD);
        PrometheusText metrics = new PrometheusText(
                second.get(second.managementUrl("/observe/metrics")).body());
        assertThat(metrics.valueOrZero("cxone_state_store_errors_total"))
                .as("the outage counted")
                .isPositive();
        assertThat(metrics.hasFamily("hikaricp_connections_active"))
                .as("pool metrics")
                .isTrue();
    }

    private EmbeddedPostgres startDatabase() {
        try {
            return EmbeddedPostgres.builder()
                    .setDataDirectory(databaseDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(databasePort)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> instance(String id) {
        Map<String, String> settings = cxone.liveSettings();
        settings.put("state-store.url", "jdbc:postgresql://127.0.0.1:" + databasePort + "/postgres");
        settings.put("state-store.user", "postgres");
        settings.put("state-store.password", PASSWORD);
        settings.put("state-store.connect-timeout-millis", "500");
        settings.put("health.state-store-check-seconds", "1");
        settings.put("instance.id", id);
        return settings;
    }

    private static HttpResponse<String> handoff(RunningService service, String key) {
        return service.postJson(PATH, BODY, "X-API-Key", "test-key-1", "Idempotency-Key", key);
    }

    private int guestCalls() {
        return cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH)));
    }

    private JsonNode body(HttpResponse<String> answer) {
        try {
            return json.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
