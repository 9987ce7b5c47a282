package dev.cxoneroutes.multi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.TwoInstances;
import dev.cxoneroutes.testing.TwoInstances.Instance;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two service JVMs sharing one PostgreSQL, one standalone Artemis broker and one CXone (CONTRACT
 * §9), each with its own DATA_DIR ({@link TwoInstances}): Idempotency-Keys, JMS commands, an
 * instance killed with SIGKILL mid-call, and the database restarted under load.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// Each test stands alone (a killed instance is restarted before the next); the kill goes last only
// because a restart costs seconds.
@TestMethodOrder(MethodOrderer.MethodName.class)
class TwoServiceJvmsTest {

    static final String HANDOFF_PATH = "/api/v1/ivr/handoff";
    static final String HANDOFF =
            "{\"dtmf_sequence\":\"12#\",\"voice_history\":{\"queue_name\":\"billing\"},\"caller_id\":\"+15551234567\"}";
    static final Duration REPLY_WAIT = Duration.ofSeconds(60);

    final ObjectMapper json = new ObjectMapper();
    TwoInstances instances;
    CxoneStub cxone;
    ActiveMQConnectionFactory connections;
    JMSContext jms;

    @BeforeAll
    void start() {
        instances = TwoInstances.start("two-service-jvms");
        cxone = instances.cxone();
        connections = new ActiveMQConnectionFactory(instances.broker().url());
        jms = connections.createContext(JMSContext.AUTO_ACKNOWLEDGE);
    }

    @AfterAll
    void stop() {
        if (jms != null) {
            jms.close();
            connections.close();
        }
        if (instances != null) {
            instances.close();
        }
    }

    @BeforeEach
    void bothRunning() {
        instances.ensureRunning();
        instances.resetStub();
    }

    @Test
    void a_the_same_idempotency_key_on_both_instances_makes_one_guest_session() throws Exception {
        // Slow enough that two requests sent together are both in flight at once.
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .willReturn(aResponse()
                                .withStatus(201)
                                .withFixedDelay(1000)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"id\":\"guest-shared\",\"url\":\"https://chat.example/s/shared\","
                                        + "\"state\":\"new\",\"channel\":\"webMessaging\"}")));

        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> together = instances.both().stream()
                .map(instance -> CompletableFuture.supplyAsync(() -> {
                    waitFor(go);
                    return handoff(instance, "call-together");
                }))
                .toList();
        go.countDown();
        List<HttpResponse<String>> atOnce =
                together.stream().map(CompletableFuture::join).toList();

        HttpResponse<String> original = handoff(instances.second(), "call-one-after-the-other");
        HttpResponse<String> repeat = handoff(instances.first(), "call-one-after-the-other");

        assertThat(guestCalls()).as("one CXone call per key").isEqualTo(2);
        for (List<HttpResponse<String>> pair : List.of(atOnce, List.of(original, repeat))) {
            assertThat(pair).allSatisfy(answer -> {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(body(answer).path("guest_id").asText()).isEqualTo("guest-shared");
            });
            assertThat(pair.stream()
                            .map(answer -> answer.headers().firstValue("Idempotent-Replayed"))
                            .toList())
                    .as("exactly one of the two is the replay")
                    .containsExactlyInAnyOrder(java.util.Optional.empty(), java.util.Optional.of("true"));
        }
        assertThat(repeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void b_five_hundred_jms_commands_are_each_bridged_once_by_one_of_the_two() throws Exception {
        int commands = 500;
        TemporaryQueue replies = jms.createTemporaryQueue();
        for (int n = 1; n <= commands; n++) {
            TextMessage request = jms.createTextMessage(bridgeCommand("multi-" + n, "multi-request-" + n));
            request.setJMSReplyTo(replies);
            jms.createProducer().send(jms.createQueue("cxone.bridge"), request);
        }

        List<JsonNode> answers = new ArrayList<>();
        try (JMSConsumer consumer = jms.createConsumer(replies)) {
            for (int n = 0; n < commands; n++) {
                Message reply = consumer.receive(REPLY_WAIT.toMillis());
                assertThat(reply).as("reply " + (n + 1) + " of " + commands).isNotNull();
                answers.add(json.readTree(reply.getBody(String.class)));
            }
        }

        assertThat(answers)
                .allSatisfy(answer -> assertThat(answer.path("status").asText())
                        .as(answer.toString())
                        .isEqualTo("success"));
        List<LoggedRequest> bridges =
                cxone.server().findAll(postRequestedFor(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN)));
        Map<String, Long> perCall =
                bridges.stream().collect(Collectors.groupingBy(LoggedRequest::getUrl, Collectors.counting()));
        assertThat(perCall).as("calls bridged").hasSize(commands);
        assertThat(perCall.values()).as("bridges per call").containsOnly(1L);
        Map<String, Long> perInstance =
                bridges.stream().collect(Collectors.groupingBy(instances::instanceThatSent, Collectors.counting()));
        assertThat(perInstance)
                .as("bridges per instance")
                .containsOnlyKeys("instance-a", "instance-b")
                .allSatisfy((instance, count) -> assertThat(count).isPositive());
        // Each instance audited exactly the commands it bridged, under its own name.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, String> auditedBy = new HashMap<>();
            for (Instance instance : instances.both()) {
                for (JsonNode event : events(instance)) {
                    String callId = event.path("call_id").asText();
                    if (callId.startsWith("multi-")) {
                        assertThat(event.path("instance").asText()).isEqualTo(instance.id());
                        assertThat(auditedBy.put(callId, instance.id()))
                                .as("audited once: " + callId)
                                .isNull();
                    }
                }
            }
            assertThat(auditedBy).hasSize(commands);
            assertThat(auditedBy.values().stream()
                            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting())))
                    .isEqualTo(perInstance);
        });
    }

    @Test
    void c_the_database_stopped_and_restarted_under_load_loses_and_duplicates_nothing() throws Exception {
        HandoffLoad load = new HandoffLoad();
        load.start(4);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> load.succeeded() >= 20);

            instances.stopDatabase();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(instances.both())
                    .as("readiness DOWN on both")
                    .allSatisfy(instance -> assertThat(instance.readiness()).isEqualTo(503)));
            await().atMost(Duration.ofSeconds(30)).until(() -> load.refused() >= 4);
            assertThat(instances
                            .first()
                            .get(instances.first().managementUrl("/observe/health/ready?data=true"))
                            .body())
                    .contains("state-store");

            instances.startDatabase(); // the same data directory and port: the database restarted
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(instances.both())
                    .as("readiness UP on both")
                    .allSatisfy(instance -> assertThat(instance.ready()).isTrue()));
            int succeededAtRestart = load.succeeded();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.succeeded() >= succeededAtRestart + 20);
        } finally {
            load.stop(); // the database, if left stopped, is started again before the next test
        }

        List<LoadAnswer> answers = load.answers();
        assertThat(answers).allSatisfy(answer -> {
            if (answer.status() != 200) {
                assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
                assertThat(answer.code()).as(answer.toString()).isEqualTo("STATE_STORE_UNAVAILABLE");
                assertThat(answer.problemDocument()).as(answer.toString()).isTrue();
                assertThat(answer.retryAfter()).as(answer.toString()).isTrue();
            }
        });
        Map<String, List<LoadAnswer>> byKey = answers.stream().collect(Collectors.groupingBy(LoadAnswer::key));
        assertThat(byKey.values())
                .as("each key ended with exactly one 200, after its 503s")
                .allSatisfy(keyAnswers -> {
                    assertThat(keyAnswers.stream().filter(answer -> answer.status() == 200))
                            .hasSize(1);
                    assertThat(keyAnswers.get(keyAnswers.size() - 1).status()).isEqualTo(200);
                });
        Map<String, Long> cxoneCalls =
                cxone.server().findAll(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))).stream()
                        .collect(Collectors.groupingBy(
                                request -> request.getHeader("X-CXone-Request-ID"), Collectors.counting()));
        assertThat(cxoneCalls).as("CXone calls per key").containsOnlyKeys(byKey.keySet());
        assertThat(cxoneCalls.values()).containsOnly(1L);
        // Every answer given is audited exactly once, by the instance that gave it.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Map<Integer, Long>> audited = new HashMap<>();
            for (Instance instance : instances.both()) {
                for (JsonNode event : events(instance)) {
                    String requestId = event.path("request_id").asText();
                    if (byKey.containsKey(requestId)) {
                        audited.computeIfAbsent(requestId, key -> new HashMap<>())
                                .merge(event.path("status_code").asInt(), 1L, Long::sum);
                    }
                }
            }
            Map<String, Map<Integer, Long>> answered = new HashMap<>();
            byKey.forEach((key, keyAnswers) -> answered.put(
                    key,
                    keyAnswers.stream().collect(Collectors.groupingBy(LoadAnswer::status, Collectors.counting()))));
            assertThat(audited).isEqualTo(answered);
        });
        assertThat(load.refused())
                .as("requests refused while the database was down")
                .isPositive();
        assertThat(instances.both())
                .as("the outage logged without the database password")
                .allSatisfy(instance -> assertThat(instance.logText()).doesNotContain(TwoInstances.DATABASE_PASSWORD));
        // Answers kept before the outage are still replayed after it.
        String before = answers.get(0).key();
        HttpResponse<String> replay = handoff(instances.second(), before);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(cxoneCalls.get(before)).isEqualTo(1L);
    }

    @Test
    void d_a_jms_command_whose_instance_is_killed_mid_call_is_answered_outcome_unknown_by_the_other() throws Exception {
        String callId = "call-killed-mid-bridge";
        // Held open long enough for the kill to land while the call is in flight.
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.bridgePath(callId)))
                        .atPriority(1)
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withFixedDelay(30_000)
                                .withHeader("Content-Type", "application/json")
                                .withBody(CxoneStub.BRIDGE_ANSWER)));
        TemporaryQueue replies = jms.createTemporaryQueue();
        TextMessage request = jms.createTextMessage(bridgeCommand(callId, "crm-killed-1"));
        request.setJMSReplyTo(replies);
        request.setJMSCorrelationID("corr-killed-1");
        jms.createProducer().send(jms.createQueue("cxone.bridge"), request);

        await().atMost(Duration.ofSeconds(30)).until(() -> bridgesOf(callId).size() == 1);
        Instance victim =
                instances.instance(instances.instanceThatSent(bridgesOf(callId).get(0)));
        Instance survivor = victim == instances.first() ? instances.second() : instances.first();
        victim.kill();

        Message reply = receive(replies);
        JsonNode answer = json.readTree(reply.getBody(String.class));
        assertThat(reply.getJMSCorrelationID()).isEqualTo("corr-killed-1");
        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("OUTCOME_UNKNOWN");
        assertThat(reply.getIntProperty("status")).isEqualTo(500);
        assertThat(answer.path("detail").asText())
                .contains(request.getJMSMessageID().substring(3));
        assertThat(bridgesOf(callId)).as("CXone was not called again").hasSize(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(survivor))
                .filteredOn(event -> callId.equals(event.path("call_id").asText()))
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.path("error_code").asText()).isEqualTo("OUTCOME_UNKNOWN");
                    assertThat(event.path("instance").asText()).isEqualTo(survivor.id());
                    assertThat(event.path("source").asText()).isEqualTo("jms");
                }));

        // The answer is kept: the same requestId sent again is answered from it, not bridged.
        TextMessage again = jms.createTextMessage(bridgeCommand(callId, "crm-killed-1"));
        again.setJMSReplyTo(replies);
        jms.createProducer().send(jms.createQueue("cxone.bridge"), again);
        JsonNode repeated = json.readTree(receive(replies).getBody(String.class));
        assertThat(repeated.path("code").asText()).isEqualTo("OUTCOME_UNKNOWN");
        assertThat(bridgesOf(callId)).as("CXone was not called again").hasSize(1);
    }

    private List<LoggedRequest> bridgesOf(String callId) {
        return cxone.server().findAll(postRequestedFor(urlPathEqualTo(CxoneStub.bridgePath(callId))));
    }

    private static String bridgeCommand(String callId, String requestId) {
        return "{\"callId\":\"" + callId + "\",\"requestId\":\"" + requestId
                + "\",\"targets\":[{\"type\":\"phone\",\"value\":\"+15557654321\"}],\"direction\":\"transfer\"}";
    }

    private Message receive(TemporaryQueue replies) {
        try (JMSConsumer consumer = jms.createConsumer(replies)) {
            Message reply = consumer.receive(REPLY_WAIT.toMillis());
            assertThat(reply).as("a reply within " + REPLY_WAIT).isNotNull();
            return reply;
        }
    }

    private List<JsonNode> events(Instance instance) {
        return instance.auditLines().stream().map(this::tree).toList();
    }

    private static HttpResponse<String> handoff(Instance instance, String key) {
        return instance.postJson(HANDOFF_PATH, HANDOFF, "Idempotency-Key", key, "X-Request-ID", key);
    }

    private int guestCalls() {
        return cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH)));
    }

    private JsonNode body(HttpResponse<String> answer) {
        return tree(answer.body());
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
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

    /** One answer the load got. */
    record LoadAnswer(String key, int status, String code, boolean problemDocument, boolean retryAfter) {}

    /**
     * Callers posting handoffs, each with a new Idempotency-Key (also its X-Request-ID), taking turns
     * between the two instances; a refused request is retried with its key on the other instance
     * until it gets its 200, as the Studio REST action retries.
     */
    final class HandoffLoad {

        private final AtomicBoolean stopping = new AtomicBoolean();
        /** Set when a failed test stops the load with keys still refused: they stop retrying. */
        private final AtomicBoolean abandoned = new AtomicBoolean();

        private final AtomicInteger sequence = new AtomicInteger();
        private final ConcurrentLinkedQueue<LoadAnswer> answers = new ConcurrentLinkedQueue<>();
        private final AtomicInteger succeeded = new AtomicInteger();
        private final AtomicInteger refused = new AtomicInteger();
        private ExecutorService callers;

        void start(int callerCount) {
            callers = Executors.newFixedThreadPool(callerCount);
            for (int i = 0; i < callerCount; i++) {
                callers.submit(this::call);
            }
        }

        private Void call() {
            while (!stopping.get()) {
                int n = sequence.incrementAndGet();
                String key = "db-outage-" + n;
                int attempt = 0;
                int status;
                do {
                    Instance instance = instances.both().get((n + attempt++) % 2);
                    LoadAnswer answer = post(instance, key);
                    answers.add(answer);
                    status = answer.status();
                    (status == 200 ? succeeded : refused).incrementAndGet();
                } while (status != 200 && attempt < 200 && !abandoned.get());
            }
            return null;
        }

        /** The answer, or status 0 when none came (which fails the test). */
        private LoadAnswer post(Instance instance, String key) {
            try {
                HttpResponse<String> answer = handoff(instance, key);
                JsonNode body = answer.body().startsWith("{") ? tree(answer.body()) : json.createObjectNode();
                return new LoadAnswer(
                        key,
                        answer.statusCode(),
                        body.path("code").asText(null),
                        answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                        answer.headers().firstValue("Retry-After").isPresent());
            } catch (RuntimeException noAnswer) {
                return new LoadAnswer(key, 0, noAnswer.toString(), false, false);
            }
        }

        int succeeded() {
            return succeeded.get();
        }

        int refused() {
            return refused.get();
        }

        /** New keys stop; keys still refused are retried until their 200, for at most a minute. */
        void stop() throws InterruptedException {
            stopping.set(true);
            callers.shutdown();
            boolean finished = callers.awaitTermination(60, TimeUnit.SECONDS);
            abandoned.set(true);
            assertThat(finished).as("every key got its 200").isTrue();
        }

        /** In the order they arrived; each key's own answers in the order it got them. */
        List<LoadAnswer> answers() {
            return List.copyOf(answers);
        }
    }
}
