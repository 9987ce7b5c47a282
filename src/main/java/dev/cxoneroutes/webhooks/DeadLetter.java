package dev.cxoneroutes.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cxoneroutes.results.EventTimestamps;
import dev.cxoneroutes.results.ResultsJson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A webhook delivery whose retries ran out: one line of {@code DATA_DIR/dead-letter/cti-webhook.jsonl}
 * (CONTRACT §6), kept so that an operator can see what was lost and replay it.
 *
 * <pre>{@code
 * {"event":{…the event…},"url":"…","webhook_id":"msg_…","last_error":"HTTP 503",
 *  "attempts":9,"dead_lettered_at":"2026-11-21T23:59:59.123Z"}
 * }</pre>
 *
 * @param event the event as a JSON object (a string only if the body was somehow not JSON), so the
 *     file reads naturally and can be queried with jq
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"event", "url", "webhook_id", "last_error", "attempts", "dead_lettered_at"})
public record DeadLetter(
        JsonNode event,
        String url,
        @JsonProperty("webhook_id") String webhookId,
        @JsonProperty("last_error") String lastError,
        int attempts,
        @JsonProperty("dead_lettered_at")
                @JsonSerialize(using = EventTimestamps.Serializer.class)
                @JsonDeserialize(using = EventTimestamps.Deserializer.class)
                Instant deadLetteredAt) {

    public DeadLetter {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(webhookId, "webhook_id");
        Objects.requireNonNull(deadLetteredAt, "dead_lettered_at");
        event = event.deepCopy();
        deadLetteredAt = deadLetteredAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** The dead letter of a delivery that has given up; its last error and attempt count are kept. */
    public static DeadLetter of(WebhookDelivery delivery, Instant deadLetteredAt) {
        return new DeadLetter(
                eventOf(delivery.body()),
                delivery.url(),
                delivery.webhookId(),
                delivery.lastError(),
                delivery.attempts(),
                deadLetteredAt);
    }

    /** Reads one line of the dead-letter file. @throws IllegalArgumentException when it is not one */
    public static DeadLetter fromJson(String json) {
        return ResultsJson.read(json, DeadLetter.class);
    }

    public String toJson() {
        return ResultsJson.write(this);
    }

    /**
     * A delivery to send the event again, with the same webhook id, so a receiver that did process
     * it after all drops the repeat. Attempts and the retry budget start afresh from {@code replayAt}.
     */
    public WebhookDelivery toDelivery(Instant replayAt) {
        String body = event.isTextual() ? event.asText() : ResultsJson.write(event);
        return new WebhookDelivery(webhookId, url, body, replayAt, 0, null);
    }

    private static JsonNode eventOf(String body) {
        try {
            JsonNode parsed = ResultsJson.tree(body);
            return parsed == null || parsed.isMissingNode() ? TextNode.valueOf(body) : parsed;
        } catch (JsonProcessingException notJson) {
            // Never lose what could not be delivered, whatever it is.
            return TextNode.valueOf(body);
        }
    }
}
