package dev.cxoneroutes.jms;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.testing.AuditTrail;
import dev.cxoneroutes.testing.CtiReceiver;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.DataFiles;
import dev.cxoneroutes.testing.RunningService;
import dev.cxoneroutes.testing.StandaloneBroker;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §4: the external broker (JMS_BROKER_URL) stops and comes back on the same journal. The
 * JMS consumers reconnect by themselves, readiness names the broker meanwhile, and every command
 * sent before, in flight at the stop (its CXone call open), right after the restart (while the
 * service is still reconnecting) and after readiness returned gets exactly one reply and makes
 * exactly one CXone call, also after a second restart; and the service still stops while the
 * broker is away. HTTP answers keep
 * flowing during the outage and their webhook events still reach the receiver.
 */
class ExternalBrokerRestartTest {

    static final String IN_FLIGHT_PATH = "/api/v2/cti/calls/in-flight-[0-9]+/bridge";
    static final String REPLIES = "test.broker-restart.replies";
    static final String HANDOFF = "{\"dtmf_sequence\":\"12#\",\"voice_history\":{},\"caller_id\":\"+15551234567\"}";

    final ObjectMapper json = new ObjectMapper();

    @Test
    void consumers_reconnect_after_a_broker_restart_and_every_command_is_answered_once() throws Exception {
        try (StandaloneBroker broker = StandaloneBroker.start();
                CxoneStub cxone = new CxoneStub();
                CtiReceiver receiver = new CtiReceiver().start()) {
            Map<String, String> settings = cxone.liveSettings();
            settings.put("jms.broker-url", broker.url());
            settings.put("health.broker-check-seconds", "1");
            settings.put("cxone.timeout-seconds", "30");
            settings.put("cti.webhook-urls", receiver.url("/hooks/cti"));
            settings.put("cti.webhook-secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
            try (RunningService service = RunningService.start(settings)) {
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(
                                () -> assertThat(ready(service).statusCode()).isEqualTo(200));
                List<String> calls = new ArrayList<>();

                send(broker, "before", 5, calls);
                assertThat(awaitReplies(broker, calls)).hasSize(5);

                // Two commands are in flight (CXone is answering them slowly) when the broker goes.
                cxone.server()
                        .stubFor(post(urlPathMatching(IN_FLIGHT_PATH))
                                .willReturn(aResponse()
                                        .withStatus(200)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(CxoneStub.BRIDGE_ANSWER)
                                        .withFixedDelay(3000)));
                send(broker, "in-flight", 2, calls);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> cxone.count(postRequestedFor(urlPathMatching(IN_FLIGHT_PATH))) == 2);
                broker.stop();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    HttpResponse<String> ready = ready(service);
                    assertThat(ready.statusCode()).isEqualTo(503);
                    assertThat(downChecks(ready)).contains("broker");
                });
                // The business API does not need the broker: answers keep flowing, and are audited.
                HttpResponse<String> during = service.postJson(
                        "/api/v1/ivr/handoff",
                        HANDOFF,
                        "X-API-Key",
                        "test-key-1",
                        "X-Request-ID",
                        "http-during-outage");
                assertThat(during.statusCode()).isEqualTo(200);
                AuditTrail.onlyEventOf(service.dataDirectory(), "http-during-outage");

                broker.restart();
                send(broker, "right-after-restart", 5, calls);
                await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(
                                () -> assertThat(ready(service).statusCode()).isEqualTo(200));
                send(broker, "after", 5, calls);
                assertThat(awaitReplies(broker, calls)).hasSize(calls.size());

                // A second restart is survived too (camel-sjms2 alone recovers a consumer only once).
                broker.restart();
                send(broker, "after-second-restart", 3, calls);

                Map<String, Integer> replies = awaitReplies(broker, calls);
                assertThat(replies).hasSize(calls.size());
                assertThat(replies.values()).allMatch(count -> count == 1);
                for (String call : calls) {
                    assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.bridgePath(call)))))
                            .as("CXone calls for " + call)
                            .isEqualTo(1);
                }
                assertThat(cxone.count(postRequestedFor(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN))))
                        .isEqualTo(calls.size());
                // Nothing more comes: no command was handled twice.
                try (JMSContext jms = client(broker);
                        JMSConsumer consumer = jms.createConsumer(jms.createQueue(REPLIES))) {
                    assertThat(consumer.receive(2000)).isNull();
                }
                // The event of the request answered during the outage waited on disk for the broker
                // and reached the receiver without anyone replaying it; nothing was dead-lettered.
                await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> assertThat(receiver.eventsFor("http-during-outage"))
                                .hasSize(1));
                assertThat(DataFiles.deadLetterLines(service.dataDirectory())).isEmpty();

                // Stopping the service while the broker is away does not hang on its consumers.
                broker.stop();
                assertTimeoutPreemptively(Duration.ofSeconds(90), service::close);
            }
        }
    }

    private static void send(StandaloneBroker broker, String phase, int count, List<String> calls) throws Exception {
        try (JMSContext jms = client(broker)) {
            Queue replies = jms.createQueue(REPLIES);
            for (int i = 1; i <= count; i++) {
                String call = phase + "-" + i;
                TextMessage request = jms.createTextMessage(
                        "{\"callId\":\"" + call
                                + "\",\"targets\":[{\"type\":\"phone\",\"value\":\"+15551234567\"}],\"direction\":\"transfer\"}");
                request.setJMSReplyTo(replies);
                request.setJMSCorrelationID(call);
                jms.createProducer().send(jms.createQueue("cxone.bridge"), request);
                calls.add(call);
            }
        }
    }

    /** Replies read so far, by correlation id (the call id), until one has come for each call. */
    private final Map<String, Integer> received = new HashMap<>();

    private Map<String, Integer> awaitReplies(StandaloneBroker broker, List<String> calls) throws Exception {
        try (JMSContext jms = client(broker);
                JMSConsumer consumer = jms.createConsumer(jms.createQueue(REPLIES))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                Message reply = consumer.receive(500);
                if (reply != null) {
                    JsonNode body = json.readTree(reply.getBody(String.class));
                    assertThat(body.path("status").asText()).as(body.toString()).isEqualTo("success");
                    received.merge(reply.getJMSCorrelationID(), 1, Integer::sum);
                }
                return received.keySet().containsAll(calls);
            });
        }
        return Map.copyOf(received);
    }

    private static JMSContext client(StandaloneBroker broker) {
        return new ActiveMQConnectionFactory(broker.url()).createContext(JMSContext.AUTO_ACKNOWLEDGE);
    }

    private static HttpResponse<String> ready(RunningService service) {
        return service.get(service.managementUrl("/observe/health/ready?data=true"));
    }

    private List<String> downChecks(HttpResponse<String> health) throws Exception {
        List<String> down = new ArrayList<>();
        for (JsonNode check : json.readTree(health.body()).path("checks")) {
            if ("DOWN".equals(check.path("status").asText())) {
                down.add(check.path("name").asText());
            }
        }
        return down;
    }
}
