package dev.cxoneroutes.cxone;

/** Exchange properties describing the CXone exchange of a request, read by answers and events. */
public final class CxoneCallState {

    /** Attempts sent to CXone so far. */
    public static final String ATTEMPTS = "cxrCxoneAttempts";
    /** System.nanoTime() when the first attempt started. */
    public static final String STARTED_NANOS = "cxrCxoneStartedNanos";
    /** Milliseconds from the first attempt to the final answer, as a double. */
    public static final String LATENCY_MS = "cxrCxoneLatencyMs";
    /** HTTP status of CXone's final answer. */
    public static final String STATUS_CODE = "cxrCxoneStatusCode";
    /** Set once a rejected token was replaced, so a second 401 is final. */
    public static final String TOKEN_REFRESHED = "cxrCxoneTokenRefreshed";

    private CxoneCallState() {}
}
