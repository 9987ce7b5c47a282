package dev.cxoneroutes.jms;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.RunningService;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bridge and handoff commands over JMS (CONTRACT §4), sent by a plain client over TCP to the
 * embedded broker, as a legacy CTI system would: replies, correlation ids, invalid messages and
 * redeliveries, counted at the stub CXone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JmsCommandsTest {

    static final String BRIDGE =
            """
            {"callId":"call-jms-1","targets":[{"type":"phone","value":"+15551234567"}],"direction":"transfer"}""";
    static final String HANDOFF =
            """
            {"dtmf_sequence":"12#","voice_history":{"queue_name":"billing"},"caller_id":"+15550001111"}""";
    static final Duration REPLY_WAIT = Duration.ofSeconds(30);

    final ObjectMapper json = new ObjectMapper();
    /** Deliveries of the message marked for one rollback that reached the end of the route. */
    final AtomicInteger rollbackMarkedDeliveries = new AtomicInteger();

    CxoneStub cxone;
    RunningService service;
    ActiveMQConnectionFactory connections;
    JMSContext jms;

    @BeforeAll
    void start() throws Exception {
        cxone = new CxoneStub();
        service = RunningService.start(settings());
        // Forces one rollback after the result was recorded, for the message whose requestId says so:
        // the broker then redelivers a message that was already handled.
        AdviceWith.adviceWith(
                service.context(), "bridge-jms", route -> route.weaveAddLast().process(exchange -> {
                    String key = exchange.getProperty(ExchangeKeys.IDEMPOTENCY_KEY, String.class);
                    if (key != null
                            && key.endsWith("roll-back-once")
                            && rollbackMarkedDeliveries.incrementAndGet() == 1) {
                        exchange.setRollbackOnly(true);
                    }
                }));
        connections = new ActiveMQConnectionFactory(service.jmsUrl());
        jms = connections.createContext(JMSContext.AUTO_ACKNOWLEDGE);
    }

    /** The service's settings; a subclass runs every test here on another state store. */
    Map<String, String> settings() {
        return cxone.liveSettings();
    }

    @AfterAll
    void stop() {
        jms.close();
        connections.close();
        service.close();
        cxone.close();
    }

    @BeforeEach
    void resetStub() {
        cxone.reset();
    }

    @Test
    void answers_reply_to_with_the_bridge_result_and_the_request_correlation_id() throws Exception {
        TemporaryQueue replies = jms.createTemporaryQueue();
        TextMessage request = jms.createTextMessage(BRIDGE);
        request.setJMSReplyTo(replies);
        request.setJMSCorrelationID("crm-corr-17");
        jms.createProducer().send(jms.createQueue("cxone.bridge"), request);

        Message reply = receive(replies);

        assertThat(reply.getJMSCorrelationID()).isEqualTo("crm-corr-17");
        JsonNode body = json.readTree(reply.getBody(String.class));
        assertThat(body.path("status").asText()).as(body.toString()).isEqualTo("success");
        assertThat(body.path("call_id").asText()).isEqualTo("call-jms-1");
        assertThat(body.path("data")).isEqualTo(json.readTree(CxoneStub.BRIDGE_ANSWER));
        assertThat(reply.getIntProperty("status")).isEqualTo(200);
        // The request id is the JMS message id, so a redelivery reaches CXone with the same one.
        String requestId = request.getJMSMessageID().substring("ID:".length());
        assertThat(body.path("request_id").asText()).isEqualTo(requestId);
        cxone.server()
                .verify(
                        1,
                        postRequestedFor(urlPathEqualTo(CxoneStub.bridgePath("call-jms-1")))
                                .withHeader("X-CXone-Request-ID", equalTo(requestId)));
    }

    @Test
    void correlates_by_message_id_when_the_request_has_no_correlation_id() throws Exception {
        TemporaryQueue replies = jms.createTemporaryQueue();
        TextMessage request = jms.createTextMessage(BRIDGE);
        request.setJMSReplyTo(replies);
        jms.createProducer().send(jms.createQueue("cxone.bridge"), request);

        Message reply = receive(replies);

        assertThat(reply.getJMSCorrelationID()).isEqualTo(request.getJMSMessageID());
    }

    @Test
    void answers_an_invalid_message_with_a_problem_and_does_not_redeliver_it() throws Exception {
        // An earlier test's message may still be redelivered (the rollback test's second delivery):
        // count from a queue that holds nothing, or its acknowledgement lands in this test's count.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> service.broker().queueCounts("cxone.bridge").pending() == 0);
        long acknowledgedBefore = service.broker().queueCounts("cxone.bridge").acknowledged();
        TemporaryQueue replies = jms.createTemporaryQueue();
        for (String invalid :
                new String[] {"not json at all", "{\"callId\":\"c1\",\"targets\":[],\"direction\":\"up\"}"}) {
            TextMessage request = jms.createTextMessage(invalid);
            request.setJMSReplyTo(replies);
            jms.createProducer().send(jms.createQueue("cxone.bridge"), request);
        }

        // Two consumers may take them at once: the replies come in either order.
        java.util.Map<String, JsonNode> byCode = new java.util.HashMap<>();
        for (int i = 0; i < 2; i++) {
            JsonNode problem = json.readTree(receive(replies).getBody(String.class));
            byCode.put(problem.path("code").asText(), problem);
        }
        JsonNode malformed = byCode.get("MALFORMED_JSON");
        JsonNode invalid = byCode.get("INVALID_REQUEST");
        assertThat(byCode).containsOnlyKeys("MALFORMED_JSON", "INVALID_REQUEST");

        assertThat(malformed.path("code").asText()).isEqualTo("MALFORMED_JSON");
        assertThat(malformed.path("status").asInt()).isEqualTo(400);
        assertThat(invalid.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(invalid.path("errors").findValuesAsText("field")).containsExactly("direction", "targets");
        // Acknowledged (the broker holds neither), so never redelivered: no further reply comes
        // within several redelivery delays.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            EmbeddedBroker.QueueCounts counts = service.broker().queueCounts("cxone.bridge");
            assertThat(counts.pending()).isZero();
            assertThat(counts.acknowledged() - acknowledgedBefore).isEqualTo(2);
        });
        try (JMSConsumer consumer = jms.createConsumer(replies)) {
            assertThat(consumer.receive(3000)).isNull();
        }
        assertThat(cxone.count(postRequestedFor(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN))))
                .isZero();
    }

    @Test
    void a_repeated_request_id_is_answered_again_without_a_second_bridge() throws Exception {
        TemporaryQueue replies = jms.createTemporaryQueue();
        String withRequestId = "{\"requestId\":\"crm-jms-5\"," + BRIDGE.substring(1);
        for (int i = 0; i < 2; i++) {
            TextMessage request = jms.createTextMessage(withRequestId);
            request.setJMSReplyTo(replies);
            jms.createProducer().send(jms.createQueue("cxone.bridge"), request);
        }

        String first = receive(replies).getBody(String.class);
        String second = receive(replies).getBody(String.class);

        assertThat(json.readTree(second)).isEqualTo(json.readTree(first));
        assertThat(json.readTree(first).path("status").asText()).isEqualTo("success");
        assertThat(cxone.count(postRequestedFor(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN))))
                .isEqualTo(1);
    }

    @Test
    void a_message_redelivered_after_its_result_was_recorded_does_not_bridge_again() throws Exception {
        TemporaryQueue replies = jms.createTemporaryQueue();
        TextMessage request = jms.createTextMessage("{\"requestId\":\"roll-back-once\"," + BRIDGE.substring(1));
        request.setJMSReplyTo(replies);
        jms.createProducer().send(jms.createQueue("cxone.bridge"), request);

        Message reply = receive(replies);

        // First delivery: bridged, answer recorded, then rolled back (its reply with it). Second: replayed.
        assertThat(rollbackMarkedDeliveries.get()).isEqualTo(2);
        assertThat(json.readTree(reply.getBody(String.class)).path("status").asText())
                .isEqualTo("success");
        assertThat(cxone.count(postRequestedFor(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN))))
                .isEqualTo(1);
        try (JMSConsumer consumer = jms.createConsumer(replies)) {
            assertThat(consumer.receive(2000)).as("only the redelivery's reply").isNull();
        }
    }

    @Test
    void hands_off_an_ivr_caller_over_jms() throws Exception {
        TemporaryQueue replies = jms.createTemporaryQueue();
        TextMessage request = jms.createTextMessage(HANDOFF);
        request.setJMSReplyTo(replies);
        request.setStringProperty("request_id", "ivr-req-9");
        jms.createProducer().send(jms.createQueue("cxone.handoff"), request);

        JsonNode body = json.readTree(receive(replies).getBody(String.class));

        assertThat(body.path("status").asText()).as(body.toString()).isEqualTo("success");
        assertThat(body.path("request_id").asText()).isEqualTo("ivr-req-9");
        assertThat(body.path("guest_id").asText()).isEqualTo("guest-1");
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))))
                .isEqualTo(1);
    }

    private Message receive(TemporaryQueue replies) {
        try (JMSConsumer consumer = jms.createConsumer(replies)) {
            Message reply = consumer.receive(REPLY_WAIT.toMillis());
            assertThat(reply).as("a reply within " + REPLY_WAIT).isNotNull();
            return reply;
        }
    }
}
