package dev.cxoneroutes.cxone;

/**
 * One call to make to CXone, kept on the exchange so every retry sends exactly the same request.
 *
 * @param operation handoff or bridge, for metrics and logs
 * @param url the full URL, base and path
 * @param body the JSON body
 * @param requestId sent as X-CXone-Request-ID on every attempt
 */
public record CxoneRequest(String operation, String url, String body, String requestId) {

    /** The exchange property that holds the request. */
    public static final String PROPERTY = "cxrCxoneRequest";
}
