package dev.cxoneroutes.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxoneroutes.results.ResultEvent.EventType;
import dev.cxoneroutes.results.ResultEvent.Source;
import dev.cxoneroutes.testing.SampleEvents;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The events' JSON: the contract's keys, in its order, nulls included, timestamps with millis. */
class ResultEventTest {

    static final Instant LAST_MILLI_OF_THE_DAY = Instant.parse("2026-11-21T23:59:59.123Z");

    @Test
    void writes_a_bridge_attempt_exactly_as_the_contract_shows() {
        ResultEvent event = new ResultEvent(
                LAST_MILLI_OF_THE_DAY,
                EventType.BRIDGE_ATTEMPT,
                Source.HTTP,
                "req-1",
                "call-7",
                null,
                true,
                200,
                12.3,
                1,
                null,
                null);

        assertThat(event.toJson())
                .isEqualTo("{\"timestamp\":\"2026-11-21T23:59:59.123Z\","
                        + "\"event_type\":\"bridge_attempt\",\"source\":\"http\",\"request_id\":\"req-1\","
                        + "\"call_id\":\"call-7\",\"guest_id\":null,\"success\":true,\"status_code\":200,"
                        + "\"latency_ms\":12.3,\"attempts\":1,\"error_code\":null,\"error_message\":null}");
    }

    @Test
    void writes_a_failed_handoff_from_a_queue_with_its_error() {
        ResultEvent event = new ResultEvent(
                LAST_MILLI_OF_THE_DAY,
                EventType.HANDOFF_ATTEMPT,
                Source.JMS,
                "req-2",
                null,
                null,
                false,
                503,
                1500.0,
                4,
                "CXONE_UNAVAILABLE",
                "CXone answered HTTP 503; try again later.");

        assertThat(event.toJson())
                .isEqualTo("{\"timestamp\":\"2026-11-21T23:59:59.123Z\","
                        + "\"event_type\":\"handoff_attempt\",\"source\":\"jms\",\"request_id\":\"req-2\","
                        + "\"call_id\":null,\"guest_id\":null,\"success\":false,\"status_code\":503,"
                        + "\"latency_ms\":1500.0,\"attempts\":4,\"error_code\":\"CXONE_UNAVAILABLE\","
                        + "\"error_message\":\"CXone answered HTTP 503; try again later.\"}");
    }

    @Test
    void keeps_three_fraction_digits_when_the_millis_are_zero_and_drops_finer_ones() {
        ResultEvent onTheSecond = event(Instant.parse("2026-11-22T00:00:00Z"));
        ResultEvent withNanos = event(Instant.parse("2026-11-22T00:00:00.987654321Z"));

        assertThat(onTheSecond.toJson()).startsWith("{\"timestamp\":\"2026-11-22T00:00:00.000Z\",");
        assertThat(withNanos.toJson()).startsWith("{\"timestamp\":\"2026-11-22T00:00:00.987Z\",");
        assertThat(withNanos.timestamp()).isEqualTo(Instant.parse("2026-11-22T00:00:00.987Z"));
    }

    @Test
    void reads_back_what_it_wrote() {
        ResultEvent event = new ResultEvent(
                LAST_MILLI_OF_THE_DAY,
                EventType.HANDOFF_ATTEMPT,
                Source.FILE,
                "req-3",
                null,
                "guest-1",
                true,
                200,
                0.4,
                2,
                null,
                null);

        assertThat(ResultsJson.read(event.toJson(), ResultEvent.class)).isEqualTo(event);
    }

    @Test
    void is_one_line_even_when_a_message_has_line_breaks() {
        ResultEvent event = new ResultEvent(
                LAST_MILLI_OF_THE_DAY,
                EventType.HANDOFF_ATTEMPT,
                Source.HTTP,
                "req-4",
                null,
                null,
                false,
                502,
                3.0,
                1,
                "CXONE_REJECTED",
                "first line\nsecond line\r\n\"quoted\"");

        assertThat(event.toJson()).doesNotContain("\n", "\r").contains("first line\\nsecond line\\r\\n\\\"quoted\\\"");
        assertThat(ResultsJson.read(event.toJson(), ResultEvent.class)).isEqualTo(event);
    }

    @Test
    void writes_batch_completed_with_a_timestamp_first() {
        BatchCompletedEvent event =
                new BatchCompletedEvent(LAST_MILLI_OF_THE_DAY, "calls.jsonl", 1_000_000, 999_998, 2, 5230);

        assertThat(event.toJson())
                .isEqualTo("{\"timestamp\":\"2026-11-21T23:59:59.123Z\","
                        + "\"event_type\":\"batch_completed\",\"file\":\"calls.jsonl\",\"lines\":1000000,"
                        + "\"succeeded\":999998,\"failed\":2,\"duration_ms\":5230}");
        assertThat(ResultsJson.read(event.toJson(), BatchCompletedEvent.class)).isEqualTo(event);
    }

    @Test
    void names_operations_and_sources_as_the_routes_do() {
        assertThat(EventType.forOperation("bridge")).isEqualTo(EventType.BRIDGE_ATTEMPT);
        assertThat(EventType.forOperation("handoff")).isEqualTo(EventType.HANDOFF_ATTEMPT);
        assertThat(Source.of("http")).isEqualTo(Source.HTTP);
        assertThat(Source.of("jms")).isEqualTo(Source.JMS);
        assertThat(Source.of("file")).isEqualTo(Source.FILE);
        assertThatThrownBy(() -> EventType.forOperation(null)).hasMessageContaining("expected handoff or bridge");
        assertThatThrownBy(() -> Source.of("ftp")).hasMessageContaining("'ftp'");
    }

    @Test
    void refuses_an_event_without_time_type_or_source() {
        Instant at = LAST_MILLI_OF_THE_DAY;
        assertThatThrownBy(() -> new ResultEvent(
                        null, EventType.BRIDGE_ATTEMPT, Source.HTTP, "r", null, null, true, 200, 0, 0, null, null))
                .hasMessageContaining("timestamp");
        assertThatThrownBy(() -> new ResultEvent(at, null, Source.HTTP, "r", null, null, true, 200, 0, 0, null, null))
                .hasMessageContaining("event_type");
        assertThatThrownBy(() -> new ResultEvent(
                        at, EventType.BRIDGE_ATTEMPT, null, "r", null, null, true, 200, 0, 0, null, null))
                .hasMessageContaining("source");
    }

    @Test
    void names_the_instance_last_when_it_has_one() {
        ResultEvents events =
                new ResultEvents(java.time.Clock.fixed(LAST_MILLI_OF_THE_DAY, java.time.ZoneOffset.UTC), "node-a");

        assertThat(events.batchCompleted("calls.jsonl", 2, 2, 0, java.time.Duration.ofMillis(5))
                        .toJson())
                .endsWith(",\"duration_ms\":5,\"instance\":\"node-a\"}");
        assertThat(event(LAST_MILLI_OF_THE_DAY).toJson()).doesNotContain("instance");
    }

    static ResultEvent event(Instant at) {
        return SampleEvents.bridgeSuccess(at);
    }
}
