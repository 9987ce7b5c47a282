package dev.cxoneroutes.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of one handoff or bridge request, from any source (CONTRACT §6):
 *
 * <pre>{@code
 * {"timestamp":"2026-11-21T23:59:59.123Z","event_type":"bridge_attempt","source":"http",
 *  "request_id":"…","call_id":"…","guest_id":null,"success":true,"status_code":200,
 *  "latency_ms":12.3,"attempts":1,"error_code":null,"error_message":null}
 * }</pre>
 *
 * Every key is always written, absent values as {@code null}, so receivers can rely on the shape.
 * Build one from a finished exchange with {@link ResultEvents#fromExchange}. It holds no caller
 * input beyond the ids: raw DTMF digits never get in (see {@link ResultEvents}).
 *
 * @param timestamp when the outcome was known; truncated to milliseconds, as it is written
 * @param callId the bridged call, for {@link EventType#BRIDGE_ATTEMPT}; otherwise null
 * @param guestId the guest session CXone created, for a successful {@link EventType#HANDOFF_ATTEMPT}; otherwise null
 * @param statusCode the HTTP status of the answer the caller received (200, or the problem's status)
 * @param latencyMs milliseconds from the first CXone attempt to its final answer; 0 when CXone was not called
 * @param attempts attempts sent to CXone, the first included; 0 when the request was refused before that
 * @param errorCode the problem code ({@code CXONE_UNAVAILABLE}, …); null on success
 * @param errorMessage the problem's detail, as safe to show as the caller's answer; null on success
 * @param instance the INSTANCE_ID of the service that answered (CONTRACT §9); left out when null
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({
    "timestamp",
    "event_type",
    "source",
    "request_id",
    "call_id",
    "guest_id",
    "success",
    "status_code",
    "latency_ms",
    "attempts",
    "error_code",
    "error_message",
    "instance"
})
public record ResultEvent(
        @JsonSerialize(using = EventTimestamps.Serializer.class)
                @JsonDeserialize(using = EventTimestamps.Deserializer.class)
                Instant timestamp,
        @JsonProperty("event_type") EventType eventType,
        Source source,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("call_id") String callId,
        @JsonProperty("guest_id") String guestId,
        boolean success,
        @JsonProperty("status_code") int statusCode,
        @JsonProperty("latency_ms") double latencyMs,
        int attempts,
        @JsonProperty("error_code") String errorCode,
        @JsonProperty("error_message") String errorMessage,
        @JsonInclude(JsonInclude.Include.NON_NULL) String instance)
        implements FanOutEvent {

    /** An event that names no instance (tests, tools). */
    public ResultEvent(
            Instant timestamp,
            EventType eventType,
            Source source,
            String requestId,
            String callId,
            String guestId,
            boolean success,
            int statusCode,
            double latencyMs,
            int attempts,
            String errorCode,
            String errorMessage) {
        this(
                timestamp,
                eventType,
                source,
                requestId,
                callId,
                guestId,
                success,
                statusCode,
                latencyMs,
                attempts,
                errorCode,
                errorMessage,
                null);
    }

    public ResultEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(eventType, "event_type");
        Objects.requireNonNull(source, "source");
        timestamp = timestamp.truncatedTo(ChronoUnit.MILLIS);
    }

    /** What was attempted. */
    public enum EventType {
        BRIDGE_ATTEMPT("bridge_attempt", "bridge"),
        HANDOFF_ATTEMPT("handoff_attempt", "handoff");

        private final String wireName;
        private final String operation;

        EventType(String wireName, String operation) {
            this.wireName = wireName;
            this.operation = operation;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }

        /** {@code handoff} or {@code bridge}: the operation label of metrics and log lines. */
        public String operation() {
            return operation;
        }

        /** The event type of an exchange's {@code cxrOperation} ({@code handoff} or {@code bridge}). */
        public static EventType forOperation(String operation) {
            return Arrays.stream(values())
                    .filter(type -> type.operation.equals(operation))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "Unknown operation '" + operation + "': expected handoff or bridge"));
        }
    }

    /** Where the request came in. */
    public enum Source {
        HTTP("http"),
        JMS("jms"),
        FILE("file");

        private final String wireName;

        Source(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }

        /** The source named by an exchange's {@code cxrSource} ({@code http}, {@code jms} or {@code file}). */
        public static Source of(String wireName) {
            return Arrays.stream(values())
                    .filter(source -> source.wireName.equals(wireName))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "Unknown source '" + wireName + "': expected http, jms or file"));
        }
    }
}
