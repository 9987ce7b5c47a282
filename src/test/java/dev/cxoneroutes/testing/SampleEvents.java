package dev.cxoneroutes.testing;

import dev.cxoneroutes.results.ResultEvent;
import dev.cxoneroutes.results.ResultEvent.EventType;
import dev.cxoneroutes.results.ResultEvent.Source;
import java.time.Instant;

/** Result events for tests of what carries them (audit, webhooks, dead letters). */
public final class SampleEvents {

    private SampleEvents() {}

    /** A successful HTTP bridge of call {@code call}, request {@code req}, at the given moment. */
    public static ResultEvent bridgeSuccess(Instant at) {
        return new ResultEvent(
                at, EventType.BRIDGE_ATTEMPT, Source.HTTP, "req", "call", null, true, 200, 1.0, 1, null, null);
    }
}
