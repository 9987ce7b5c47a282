package dev.cxoneroutes.webhooks;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.cxoneroutes.results.EventTimestamps;
import dev.cxoneroutes.results.FanOutEvent;
import dev.cxoneroutes.results.ResultsJson;
import dev.cxoneroutes.support.RandomIds;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One event on its way to one webhook URL: what is queued (as a JMS text message, see
 * {@link #toJson()}) until the URL accepts it or its retries run out.
 *
 * <p>{@code webhookId} is made once, when the delivery is created, and belongs to this event and
 * this URL only: every retry, also after a restart, sends the same id, so the receiver can drop
 * duplicates; another URL gets the same event under another id.
 *
 * @param webhookId the {@code webhook-id} header: {@code msg_} and a random UUID
 * @param url where to POST
 * @param body the exact text to send and sign (the event's {@link FanOutEvent#toJson()})
 * @param createdAt when the delivery was created; retries are budgeted from here
 * @param attempts POSTs tried so far
 * @param lastError what went wrong on the last attempt; null before the first failure
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"webhook_id", "url", "body", "created_at", "attempts", "last_error"})
public record WebhookDelivery(
        @JsonProperty("webhook_id") String webhookId,
        String url,
        String body,
        @JsonProperty("created_at")
                @JsonSerialize(using = EventTimestamps.Serializer.class)
                @JsonDeserialize(using = EventTimestamps.Deserializer.class)
                Instant createdAt,
        int attempts,
        @JsonProperty("last_error") String lastError) {

    public WebhookDelivery {
        Objects.requireNonNull(webhookId, "webhook_id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(createdAt, "created_at");
        createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** A new delivery of the event text to the URL, with a fresh webhook id and no attempts yet. */
    public static WebhookDelivery create(String body, String url, Instant createdAt) {
        return new WebhookDelivery(newWebhookId(), url, body, createdAt, 0, null);
    }

    /** One delivery per URL (for {@code CTI_WEBHOOK_URLS}), each with its own webhook id. */
    public static List<WebhookDelivery> forEachUrl(String body, List<String> urls, Instant createdAt) {
        List<WebhookDelivery> deliveries = new ArrayList<>(urls.size());
        for (String url : urls) {
            deliveries.add(create(body, url, createdAt));
        }
        return deliveries;
    }

    /** Reads what {@link #toJson()} wrote. @throws IllegalArgumentException when it is not a delivery */
    public static WebhookDelivery fromJson(String json) {
        return ResultsJson.read(json, WebhookDelivery.class);
    }

    /** The delivery as one line of JSON, for a durable queue; the body keeps every character. */
    public String toJson() {
        return ResultsJson.write(this);
    }

    /** The bytes to POST and sign. */
    @JsonIgnore
    public byte[] bodyBytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /** The same delivery, one failed attempt later. The webhook id and creation time do not change. */
    public WebhookDelivery afterFailedAttempt(String error) {
        return new WebhookDelivery(webhookId, url, body, createdAt, attempts + 1, error);
    }

    /** Time since creation, what the retry budget is measured against. */
    public Duration age(Instant now) {
        return Duration.between(createdAt, now);
    }

    /**
     * Names the URL by scheme, host and port only: receivers often put a token in the path, query or
     * user info (Slack-style hook URLs), and deliveries end up in log lines. The body is left out too.
     */
    @Override
    public String toString() {
        return "WebhookDelivery[webhookId=" + webhookId + ", url=" + safeUrl(url) + ", attempts=" + attempts
                + ", createdAt=" + EventTimestamps.format(createdAt) + "]";
    }

    private static String newWebhookId() {
        return "msg_" + RandomIds.uuid();
    }

    private static String safeUrl(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null) {
                return "(unparseable URL)";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/…";
        } catch (IllegalArgumentException e) {
            return "(unparseable URL)";
        }
    }
}
