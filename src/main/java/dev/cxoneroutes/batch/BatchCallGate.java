package dev.cxoneroutes.batch;

import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.api.ProblemCode;
import dev.cxoneroutes.cxone.CxoneCallState;
import org.apache.camel.Exchange;

/**
 * Lets a drop-file line call CXone only within the {@link AdaptiveLimit}, and tells the limit
 * what the call showed. Every line that passes {@link #enter} leaves through {@link #leave}
 * (bridge-batch-send's doFinally).
 */
public class BatchCallGate {

    private static final String PERMIT = "cxrBatchPermit";

    private final AdaptiveLimit limit;

    public BatchCallGate(AdaptiveLimit limit) {
        this.limit = limit;
    }

    public void enter(Exchange exchange) {
        exchange.setProperty(PERMIT, limit.acquire());
    }

    public void leave(Exchange exchange) {
        AdaptiveLimit.Permit permit = exchange.getProperty(PERMIT, AdaptiveLimit.Permit.class);
        if (permit != null) {
            exchange.removeProperty(PERMIT);
            limit.release(permit, outcome(exchange));
        }
    }

    /**
     * A call that needed a second attempt met a 429, a 5xx, a timeout or a reset (a refreshed token
     * aside); a final CXONE_UNAVAILABLE or CXONE_TIMEOUT (an open circuit included) is the same
     * message. A call that never reached CXone (an invalid command) says nothing about it.
     */
    static AdaptiveLimit.Outcome outcome(Exchange exchange) {
        String code = exchange.getProperty(ExchangeKeys.ERROR_CODE, String.class);
        if (ProblemCode.CXONE_UNAVAILABLE.name().equals(code)
                || ProblemCode.CXONE_TIMEOUT.name().equals(code)) {
            return AdaptiveLimit.Outcome.PUSHED_BACK;
        }
        int attempts = exchange.getProperty(CxoneCallState.ATTEMPTS, 0, Integer.class);
        if (attempts == 0) {
            return AdaptiveLimit.Outcome.NEUTRAL;
        }
        int tokenRetries = exchange.getProperty(CxoneCallState.TOKEN_REFRESHED) != null ? 1 : 0;
        return attempts > 1 + tokenRetries ? AdaptiveLimit.Outcome.PUSHED_BACK : AdaptiveLimit.Outcome.ANSWERED;
    }
}
