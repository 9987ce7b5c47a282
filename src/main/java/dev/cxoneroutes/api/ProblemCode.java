package dev.cxoneroutes.api;

/** The error codes of the contract, each with its HTTP status and a title an IVR designer can read. */
public enum ProblemCode {
    MALFORMED_JSON(400, "Malformed JSON"),
    INVALID_REQUEST(400, "Invalid request"),
    UNAUTHORIZED(401, "Unauthorized"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    CXONE_REJECTED(502, "CXone rejected the request"),
    CXONE_FORBIDDEN(502, "CXone refused access"),
    CXONE_AUTH_FAILED(502, "CXone authentication failed"),
    /**
     * CXone answered 2xx with a body the operation cannot use (not JSON; a guest session without id
     * or url). Not in the contract's list, which is silent on this case: neither CXONE_REJECTED (CXone
     * did not refuse) nor CXONE_UNAVAILABLE (whose Retry-After invites a retry that may create a
     * second session) would tell the truth. docs/cxone-faults.md.
     */
    CXONE_BAD_RESPONSE(502, "CXone answered unreadably"),
    CXONE_UNAVAILABLE(503, "CXone unavailable"),
    CXONE_TIMEOUT(504, "CXone timed out"),
    /** The shared state store (STATE_STORE_URL) cannot be reached; nothing was sent to CXone. */
    STATE_STORE_UNAVAILABLE(503, "State store unavailable"),
    INTERNAL_ERROR(500, "Internal error"),
    /**
     * A drop-file line that was being sent to CXone when the service stopped: CXone may or may not
     * have acted on it, so it is not sent again (docs/batch.md).
     */
    OUTCOME_UNKNOWN(500, "Outcome unknown");

    private final int status;
    private final String title;

    ProblemCode(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** A stable type URI per code (RFC 9457 §3.1.1). */
    public String type() {
        return "urn:cxone-routes:problem:"
                + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
