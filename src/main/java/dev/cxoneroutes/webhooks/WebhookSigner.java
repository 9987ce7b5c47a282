package dev.cxoneroutes.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook requests per the Standard Webhooks specification (CONTRACT §6):
 * {@code webhook-signature: v1,<base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))>}.
 *
 * <p>The key of a secret is the base64-decoded text after {@code whsec_} when it has that prefix,
 * and otherwise the secret's UTF-8 bytes. (The Standard Webhooks libraries base64-decode an
 * unprefixed secret too; receivers using them should be given {@code whsec_} secrets.)
 *
 * <p>{@code CTI_WEBHOOK_SECRET} may hold two secrets separated by a comma while a key is being
 * rotated: every request then carries one signature per secret, space-separated, so receivers that
 * know either key accept it.
 *
 * <p>Keys never leave this object: {@link #toString()} only counts them, and error messages name a
 * secret by its position, never by its value.
 */
public final class WebhookSigner {

    private static final String PREFIX = "whsec_";
    private static final String ALGORITHM = "HmacSHA256";

    private final List<SecretKeySpec> keys;

    /**
     * @param secretSetting the value of {@code CTI_WEBHOOK_SECRET}: one secret, or two separated by a comma
     * @throws IllegalArgumentException when it holds no secret, or a {@code whsec_} secret whose rest
     *     is not base64
     */
    public WebhookSigner(String secretSetting) {
        if (secretSetting == null) {
            throw new IllegalArgumentException("CTI_WEBHOOK_SECRET is not set");
        }
        List<SecretKeySpec> parsed = new ArrayList<>();
        String[] secrets = secretSetting.split(",");
        for (int i = 0; i < secrets.length; i++) {
            String secret = secrets[i].trim();
            if (!secret.isEmpty()) {
                parsed.add(new SecretKeySpec(keyBytes(secret, i + 1), ALGORITHM));
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("CTI_WEBHOOK_SECRET holds no secret");
        }
        this.keys = List.copyOf(parsed);
    }

    /** A signer for the setting, or none when it is unset or blank (webhooks then go unsigned). */
    public static Optional<WebhookSigner> fromSetting(String secretSetting) {
        return secretSetting == null || secretSetting.isBlank()
                ? Optional.empty()
                : Optional.of(new WebhookSigner(secretSetting));
    }

    /**
     * The {@code webhook-signature} header value for these exact body bytes.
     *
     * @param webhookId the {@code webhook-id} header, the same on every retry
     * @param timestampSeconds the {@code webhook-timestamp} header: Unix seconds of this attempt
     */
    public String signature(String webhookId, long timestampSeconds, byte[] body) {
        byte[] signedPrefix = (webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        List<String> signatures = new ArrayList<>(keys.size());
        for (SecretKeySpec key : keys) {
            signatures.add("v1," + Base64.getEncoder().encodeToString(hmac(key, signedPrefix, body)));
        }
        return String.join(" ", signatures);
    }

    /**
     * The three Standard Webhooks headers for one attempt of a delivery. The id stays the delivery's;
     * the timestamp is the attempt's, so a retry is signed afresh and passes receivers' freshness checks.
     */
    public Map<String, String> headers(WebhookDelivery delivery, Instant attemptTime) {
        long timestamp = attemptTime.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", delivery.webhookId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", signature(delivery.webhookId(), timestamp, delivery.bodyBytes()));
        return headers;
    }

    /** How many keys sign each request: 2 during a rotation. */
    public int keyCount() {
        return keys.size();
    }

    @Override
    public String toString() {
        return "WebhookSigner[keys=" + keys.size() + "]";
    }

    private static byte[] keyBytes(String secret, int position) {
        if (!secret.startsWith(PREFIX)) {
            return secret.getBytes(StandardCharsets.UTF_8);
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException notBase64) {
            // The decoder's message can quote the offending character; say only which secret it was.
            throw new IllegalArgumentException(
                    "CTI_WEBHOOK_SECRET: secret #" + position + " starts with whsec_ but the rest is not base64");
        }
        if (decoded.length == 0) {
            throw new IllegalArgumentException(
                    "CTI_WEBHOOK_SECRET: secret #" + position + " has an empty key after whsec_");
        }
        return decoded;
    }

    private static byte[] hmac(SecretKeySpec key, byte[] signedPrefix, byte[] body) {
        try {
            // A Mac is not thread-safe; a fresh one per signature costs microseconds.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(signedPrefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
