package dev.cxoneroutes.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The last event of a drop file, once every line has its result (CONTRACT §5, §6):
 *
 * <pre>{@code
 * {"timestamp":"…","event_type":"batch_completed","file":"calls.jsonl","lines":1000,
 *  "succeeded":998,"failed":2,"duration_ms":5230}
 * }</pre>
 *
 * The contract's example has no {@code timestamp}; it is added (first, as in {@link ResultEvent}) so
 * that every audit line says when it happened and lands in the right day's file.
 *
 * @param file the input file's name, without its folder
 * @param lines lines that got a result (blank and comment lines are not counted)
 * @param durationMs from the first line read to the last result written
 * @param instance the INSTANCE_ID of the service that worked the file (CONTRACT §9); left out when null
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"timestamp", "event_type", "file", "lines", "succeeded", "failed", "duration_ms", "instance"})
public record BatchCompletedEvent(
        @JsonSerialize(using = EventTimestamps.Serializer.class)
                @JsonDeserialize(using = EventTimestamps.Deserializer.class)
                Instant timestamp,
        String file,
        long lines,
        long succeeded,
        long failed,
        @JsonProperty("duration_ms") long durationMs,
        @JsonInclude(JsonInclude.Include.NON_NULL) String instance)
        implements FanOutEvent {

    /** An event that names no instance (tests, tools). */
    public BatchCompletedEvent(
            Instant timestamp, String file, long lines, long succeeded, long failed, long durationMs) {
        this(timestamp, file, lines, succeeded, failed, durationMs, null);
    }

    public static final String EVENT_TYPE = "batch_completed";

    public BatchCompletedEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(file, "file");
        timestamp = timestamp.truncatedTo(ChronoUnit.MILLIS);
    }

    /** Always {@value #EVENT_TYPE}; written so receivers can tell the two kinds of event apart. */
    @JsonProperty(value = "event_type", access = JsonProperty.Access.READ_ONLY)
    public String eventType() {
        return EVENT_TYPE;
    }
}
