package dev.cxoneroutes.testing;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a received webhook's Standard Webhooks signatures with our own HMAC, independent of the
 * service's signer: what a CTI receiver would compute.
 */
public final class StandardWebhooks {

    private StandardWebhooks() {}

    /** The {@code v1,…} signature each key gives this delivery, as the receiver computes it. */
    public static Set<String> expectedSignatures(LoggedRequest delivery, byte[]... keys) {
        String signed = delivery.getHeader("webhook-id") + "." + delivery.getHeader("webhook-timestamp") + "."
                + delivery.getBodyAsString();
        return java.util.Arrays.stream(keys)
                .map(key -> "v1," + hmacSha256(key, signed))
                .collect(Collectors.toSet());
    }

    /** The signatures the delivery carries in its {@code webhook-signature} header. */
    public static Set<String> signatures(LoggedRequest delivery) {
        return Set.of(delivery.getHeader("webhook-signature").split(" "));
    }

    private static String hmacSha256(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
