package dev.cxoneroutes.api;

/** Names of the exchange properties that carry a request's state through the routes. */
public final class ExchangeKeys {

    /** Our request id: X-Request-ID, generated when absent. */
    public static final String REQUEST_ID = "cxrRequestId";
    /** Where the request came from: http, jms or file. */
    public static final String SOURCE = "cxrSource";
    /** handoff or bridge. */
    public static final String OPERATION = "cxrOperation";
    /** The Accept header of an HTTP request, for choosing the problem document's media type. */
    public static final String ACCEPT = "cxrAccept";
    /** The HTTP status of the answer. */
    public static final String STATUS = "cxrStatus";
    /** The problem code of a failed answer, absent on success. */
    public static final String ERROR_CODE = "cxrErrorCode";
    /** The detail of a failed answer, safe to show. */
    public static final String ERROR_MESSAGE = "cxrErrorMessage";
    /** Retry-After seconds to send with a 503. */
    public static final String RETRY_AFTER_SECONDS = "cxrRetryAfterSeconds";
    /** Set when the answer is a replay of an earlier one. */
    public static final String REPLAYED = "cxrReplayed";
    /** The idempotency key, scoped by operation. */
    public static final String IDEMPOTENCY_KEY = "cxrIdempotencyKey";
    /**
     * An idempotency key the request's body offers (the bridge command's {@code requestId}), used
     * when no Idempotency-Key header came. Unscoped, as the caller sent it.
     */
    public static final String OFFERED_IDEMPOTENCY_KEY = "cxrOfferedIdempotencyKey";
    /**
     * What runs the request, named in its idempotency claim: a JMS message's id, the same on every
     * redelivery of that message. Absent for HTTP requests.
     */
    public static final String CLAIM_HOLDER = "cxrClaimHolder";
    /** Set when the broker delivers a JMS message again (JMSRedelivered, JMSXDeliveryCount > 1). */
    public static final String REDELIVERED = "cxrRedelivered";
    /** The call a bridge command is for, for its answer and result event. */
    public static final String CALL_ID = "cxrCallId";
    /** System.nanoTime() when the request arrived, for the request duration metric and log line. */
    public static final String RECEIVED_NANOS = "cxrReceivedNanos";
    /** System.nanoTime() when the caller's answer was final. */
    public static final String ANSWERED_NANOS = "cxrAnsweredNanos";
    /**
     * The answer as the route built it (a map, a record), before AnswerWriter turned it into JSON
     * text: the result event reads its ids from here instead of parsing that text again.
     */
    public static final String ANSWER = "cxrAnswer";

    private ExchangeKeys() {}
}
