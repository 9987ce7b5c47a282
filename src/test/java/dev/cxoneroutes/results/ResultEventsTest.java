package dev.cxoneroutes.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.api.Problem;
import dev.cxoneroutes.api.ProblemCode;
import dev.cxoneroutes.cxone.CxoneCallState;
import dev.cxoneroutes.cxone.CxoneRequest;
import dev.cxoneroutes.results.ResultEvent.EventType;
import dev.cxoneroutes.results.ResultEvent.Source;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Events built from exchanges in the states the handoff and bridge routes leave them in. */
class ResultEventsTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:15:30.456Z");
    /** Never started: only a factory for exchanges. */
    static final CamelContext CAMEL = new DefaultCamelContext();

    final ResultEvents events = new ResultEvents(Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterAll
    static void closeCamel() throws Exception {
        CAMEL.close();
    }

    @Test
    void a_successful_handoff_names_its_guest_session() {
        Exchange exchange = exchange("handoff", "http", "req-1");
        exchange.setProperty(ExchangeKeys.STATUS, 200);
        exchange.setProperty(CxoneCallState.LATENCY_MS, 12.3);
        exchange.setProperty(CxoneCallState.ATTEMPTS, 1);
        exchange.getMessage().setBody(handoffAnswer("req-1", "guest-1"));

        ResultEvent event = events.fromExchange(exchange);

        assertThat(event)
                .isEqualTo(new ResultEvent(
                        NOW,
                        EventType.HANDOFF_ATTEMPT,
                        Source.HTTP,
                        "req-1",
                        null,
                        "guest-1",
                        true,
                        200,
                        12.3,
                        1,
                        null,
                        null));
    }

    @Test
    void reads_the_guest_id_after_the_answer_was_written_as_json_text() {
        Exchange exchange = exchange("handoff", "jms", "req-2");
        exchange.setProperty(ExchangeKeys.STATUS, 200);
        exchange.getMessage()
                .setBody(
                        "{\"status\":\"success\",\"request_id\":\"req-2\",\"guest_id\":\"guest-2\",\"session_url\":\"https://x\"}");

        ResultEvent event = events.fromExchange(exchange);

        assertThat(event.guestId()).isEqualTo("guest-2");
        assertThat(event.source()).isEqualTo(Source.JMS);
        assertThat(event.callId()).isNull();
    }

    @Test
    void a_successful_bridge_names_its_call_and_no_guest() {
        Exchange exchange = exchange("bridge", "file", "req-3");
        exchange.setProperty(ExchangeKeys.STATUS, 200);
        exchange.setProperty(CxoneCallState.LATENCY_MS, 40.5);
        exchange.setProperty(CxoneCallState.ATTEMPTS, 2);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "success");
        answer.put("request_id", "req-3");
        answer.put("call_id", "call-3");
        answer.put("status_code", 200);
        answer.put("data", Map.of("guest_id", "not-a-guest"));
        exchange.getMessage().setBody(answer);

        ResultEvent event = events.fromExchange(exchange);

        assertThat(event)
                .isEqualTo(new ResultEvent(
                        NOW,
                        EventType.BRIDGE_ATTEMPT,
                        Source.FILE,
                        "req-3",
                        "call-3",
                        null,
                        true,
                        200,
                        40.5,
                        2,
                        null,
                        null));
    }

    @Test
    void a_bridge_that_failed_at_cxone_names_the_call_it_was_sent_for() {
        Exchange exchange = exchange("bridge", "http", "req-4");
        exchange.setProperty(
                CxoneRequest.PROPERTY,
                new CxoneRequest(
                        "bridge", "https://cxone/api/v2/cti/calls/call-4/bridge",
                        "{\"callId\":\"call-4\",\"targets\":[{\"type\":\"phone\",\"value\":\"+15551234567\"}]}",
                                "req-4"));
        failWith(exchange, ProblemCode.CXONE_UNAVAILABLE, "CXone answered HTTP 503; try again later.");
        exchange.setProperty(CxoneCallState.LATENCY_MS, 3001.7);
        exchange.setProperty(CxoneCallState.ATTEMPTS, 4);

        ResultEvent event = events.fromExchange(exchange);

        assertThat(event)
                .isEqualTo(new ResultEvent(
                        NOW,
                        EventType.BRIDGE_ATTEMPT,
                        Source.HTTP,
                        "req-4",
                        "call-4",
                        null,
                        false,
                        503,
                        3001.7,
                        4,
                        "CXONE_UNAVAILABLE",
                        "CXone answered HTTP 503; try again later."));
    }

    @Test
    void prefers_the_call_id_the_bridge_route_recorded() {
        Exchange exchange = exchange("bridge", "jms", "req-5");
        exchange.setProperty(ExchangeKeys.CALL_ID, "call-5");
        failWith(exchange, ProblemCode.INVALID_REQUEST, "2 field(s) are invalid.");

        assertThat(events.fromExchange(exchange).callId()).isEqualTo("call-5");
    }

    @Test
    void a_request_refused_before_cxone_has_no_attempts_and_no_latency() {
        Exchange exchange = exchange("handoff", "http", "req-6");
        failWith(exchange, ProblemCode.INVALID_REQUEST, "1 field(s) are invalid.");

        ResultEvent event = events.fromExchange(exchange);

        assertThat(event)
                .isEqualTo(new ResultEvent(
                        NOW,
                        EventType.HANDOFF_ATTEMPT,
                        Source.HTTP,
                        "req-6",
                        null,
                        null,
                        false,
                        400,
                        0.0,
                        0,
                        "INVALID_REQUEST",
                        "1 field(s) are invalid."));
        assertThat(event.toJson()).contains("\"latency_ms\":0.0,\"attempts\":0,");
    }

    @Test
    void takes_the_status_from_the_problem_code_when_no_status_was_set() {
        Exchange failed = exchange("handoff", "http", "req-7");
        failed.setProperty(ExchangeKeys.ERROR_CODE, "CXONE_TIMEOUT");
        Exchange succeeded = exchange("handoff", "http", "req-8");
        succeeded.getMessage().setBody(handoffAnswer("req-8", "guest-8"));

        assertThat(events.fromExchange(failed).statusCode()).isEqualTo(504);
        assertThat(events.fromExchange(failed).success()).isFalse();
        assertThat(events.fromExchange(succeeded).statusCode()).isEqualTo(200);
        assertThat(events.fromExchange(succeeded).success()).isTrue();
    }

    @Test
    void an_error_message_left_over_on_a_success_is_not_reported() {
        Exchange exchange = exchange("handoff", "http", "req-9");
        exchange.setProperty(ExchangeKeys.STATUS, 200);
        exchange.setProperty(ExchangeKeys.ERROR_MESSAGE, "stale");

        assertThat(events.fromExchange(exchange).errorMessage()).isNull();
    }

    @Test
    void never_carries_the_callers_dtmf_digits_even_when_cxone_quotes_them() {
        Exchange exchange = exchange("handoff", "http", "req-10");
        exchange.setProperty(CxoneRequest.PROPERTY, guestSessionRequest("4711#"));
        failWith(
                exchange,
                ProblemCode.CXONE_REJECTED,
                "CXone rejected the request (HTTP 400): dtmf_sequence '4711#' and ivr_menu_selections=4711# are invalid");
        exchange.setProperty(CxoneCallState.ATTEMPTS, 1);

        ResultEvent event = events.fromExchange(exchange);

        assertThat(event.toJson()).doesNotContain("4711");
        assertThat(event.errorMessage())
                .isEqualTo("CXone rejected the request (HTTP 400): "
                        + "dtmf_sequence '[redacted]' and ivr_menu_selections=[redacted] are invalid");
    }

    @Test
    void redacting_a_short_dtmf_sequence_leaves_the_numbers_it_is_part_of() {
        String authFailed = "CXone refused this service's credentials (HTTP 401).";
        assertThat(ResultEvents.withoutDtmf(authFailed, "1")).isEqualTo(authFailed);
        assertThat(ResultEvents.withoutDtmf("digit 1 is not a menu", "1")).isEqualTo("digit [redacted] is not a menu");
        assertThat(ResultEvents.withoutDtmf("menu *9a was refused", "*9A")).isEqualTo("menu [redacted] was refused");
        assertThat(ResultEvents.withoutDtmf(null, "1")).isNull();
    }

    @Test
    void reads_ids_from_a_record_body() {
        Exchange exchange = exchange("handoff", "http", "req-11");
        exchange.getMessage().setBody(new GuestAnswer("guest-11"));

        assertThat(events.fromExchange(exchange).guestId()).isEqualTo("guest-11");
    }

    @Test
    void a_problem_body_has_no_ids() {
        Exchange exchange = exchange("handoff", "http", "req-12");
        exchange.getMessage().setBody(Problem.of(ProblemCode.CXONE_FORBIDDEN, "no", "req-12", List.of()));
        exchange.setProperty(ExchangeKeys.ERROR_CODE, "CXONE_FORBIDDEN");

        ResultEvent event = events.fromExchange(exchange);

        assertThat(event.guestId()).isNull();
        assertThat(event.statusCode()).isEqualTo(502);
    }

    @Test
    void refuses_an_exchange_no_entry_route_tagged() {
        Exchange noSource = exchange("handoff", null, "req-13");
        Exchange noOperation = exchange(null, "http", "req-14");

        assertThatThrownBy(() -> events.fromExchange(noSource))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source");
        assertThatThrownBy(() -> events.fromExchange(noOperation))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("operation");
    }

    @Test
    void stamps_events_with_the_clock() {
        BatchCompletedEvent batch = events.batchCompleted("calls.jsonl", 10, 9, 1, Duration.ofMillis(1234));

        assertThat(batch).isEqualTo(new BatchCompletedEvent(NOW, "calls.jsonl", 10, 9, 1, 1234));
        assertThat(events.fromExchange(exchange("bridge", "file", "r")).timestamp())
                .isEqualTo(NOW);
    }

    record GuestAnswer(@com.fasterxml.jackson.annotation.JsonProperty("guest_id") String guestId) {}

    static Exchange exchange(String operation, String source, String requestId) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.setProperty(ExchangeKeys.OPERATION, operation);
        exchange.setProperty(ExchangeKeys.SOURCE, source);
        exchange.setProperty(ExchangeKeys.REQUEST_ID, requestId);
        return exchange;
    }

    /** What FailureAnswer leaves behind. */
    static void failWith(Exchange exchange, ProblemCode code, String detail) {
        String requestId = exchange.getProperty(ExchangeKeys.REQUEST_ID, String.class);
        exchange.setProperty(ExchangeKeys.STATUS, code.status());
        exchange.setProperty(ExchangeKeys.ERROR_CODE, code.name());
        exchange.setProperty(ExchangeKeys.ERROR_MESSAGE, detail);
        exchange.getMessage().setBody(Problem.of(code, detail, requestId, List.of()));
    }

    static Map<String, Object> handoffAnswer(String requestId, String guestId) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "success");
        answer.put("request_id", requestId);
        answer.put("guest_id", guestId);
        answer.put("session_url", "https://chat.example/s/" + guestId);
        return answer;
    }

    static CxoneRequest guestSessionRequest(String dtmf) {
        String body = "{\"channel\":\"webMessaging\",\"attributes\":{\"dtmf_sequence\":\"" + dtmf
                + "\",\"mapped_variables\":{\"ivr_menu_selections\":\"" + dtmf + "\"}}}";
        return new CxoneRequest("handoff", "https://cxone/api/v2/interactions/guests", body, "req");
    }
}
