package dev.cxoneroutes.api;

import dev.cxoneroutes.support.RandomIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * The checks every HTTP request passes before its body is read: request id, API key, body size and
 * media type. Runs first in each HTTP entry route.
 */
public class RequestGuard {

    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final List<byte[]> apiKeys;

    /** @param apiKeys accepted X-API-Key values; empty means the API is open */
    public RequestGuard(List<String> apiKeys) {
        this.apiKeys =
                apiKeys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Tags the exchange with its request id and source, taken from X-Request-ID when it is usable. */
    public void identify(Exchange exchange, String source) {
        if (exchange.getProperty(ExchangeKeys.RECEIVED_NANOS) == null) {
            exchange.setProperty(ExchangeKeys.RECEIVED_NANOS, System.nanoTime());
        }
        String offered = exchange.getMessage().getHeader("X-Request-ID", String.class);
        String requestId = offered != null && SAFE_REQUEST_ID.matcher(offered).matches()
                ? offered
                : RandomIds.uuid().toString();
        exchange.setProperty(ExchangeKeys.REQUEST_ID, requestId);
        exchange.setProperty(ExchangeKeys.SOURCE, source);
        exchange.setProperty(ExchangeKeys.ACCEPT, exchange.getMessage().getHeader("Accept", String.class));
    }

    /** Tags an HTTP request, then checks its API key, size and media type. */
    public void checkHttp(Exchange exchange, Set<String> acceptedMediaTypes) {
        identify(exchange, "http");
        checkApiKey(exchange.getMessage().getHeader("X-API-Key", String.class));
        checkSize(exchange);
        checkMediaType(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class), acceptedMediaTypes);
    }

    /** Tags a request without a body (a GET) and checks its API key. */
    public void checkBodilessRequest(Exchange exchange) {
        identify(exchange, "http");
        checkApiKey(exchange.getMessage().getHeader("X-API-Key", String.class));
    }

    public void checkJsonRequest(Exchange exchange) {
        checkHttp(exchange, Set.of("application/json"));
    }

    public void checkJsonOrFormRequest(Exchange exchange) {
        checkHttp(exchange, Set.of("application/json", "application/x-www-form-urlencoded"));
    }

    private void checkApiKey(String offered) {
        if (apiKeys.isEmpty()) {
            return;
        }
        byte[] candidate = offered == null ? new byte[0] : offered.getBytes(StandardCharsets.UTF_8);
        // Constant-time comparison: the answer's timing must not reveal how much of a key matched.
        boolean accepted = false;
        for (byte[] key : apiKeys) {
            accepted |= MessageDigest.isEqual(key, candidate);
        }
        if (!accepted) {
            throw new RequestRejectedException(
                    ProblemCode.UNAUTHORIZED,
                    offered == null ? "The X-API-Key header is missing." : "The X-API-Key header is not a valid key.");
        }
    }

    private static void checkSize(Exchange exchange) {
        Long declared = exchange.getMessage().getHeader(Exchange.CONTENT_LENGTH, Long.class);
        long actual = declared != null ? declared : bodyLength(exchange);
        if (actual > MAX_BODY_BYTES) {
            throw new RequestRejectedException(
                    ProblemCode.PAYLOAD_TOO_LARGE, "The body is larger than " + MAX_BODY_BYTES + " bytes.");
        }
    }

    private static long bodyLength(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        return body == null ? 0 : body.length;
    }

    private static void checkMediaType(String contentType, Set<String> accepted) {
        String mediaType =
                contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!accepted.contains(mediaType)) {
            throw new RequestRejectedException(
                    ProblemCode.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be "
                            + String.join(" or ", accepted.stream().sorted().toList())
                            + (mediaType.isEmpty() ? "; none was given." : "; got " + mediaType + "."));
        }
    }
}
