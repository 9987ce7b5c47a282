package dev.cxoneroutes.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Remembers a probe's answer for a while, so that health polling (every few seconds, from several
 * places) does not turn into a stream of calls at the dependency. One probe runs at a time; callers
 * arriving meanwhile wait for its answer.
 */
public final class CachedProbe implements BooleanSupplier {

    private final BooleanSupplier probe;
    private final Duration ttl;
    private final Clock clock;
    private volatile boolean lastAnswer = true; // written under this
    private Instant answeredAt; // guarded by this

    public CachedProbe(BooleanSupplier probe, Duration ttl, Clock clock) {
        this.probe = probe;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public synchronized boolean getAsBoolean() {
        Instant now = clock.instant();
        if (answeredAt == null || !now.isBefore(answeredAt.plus(ttl))) {
            boolean answer;
            try {
                answer = probe.getAsBoolean();
            } catch (RuntimeException e) {
                answer = false;
            }
            lastAnswer = answer;
            answeredAt = clock.instant();
        }
        return lastAnswer;
    }

    /**
     * The last probe's answer without probing or waiting (true before the first probe): for a hot
     * path that must never run the probe itself, while something else keeps asking {@link
     * #getAsBoolean}.
     */
    public boolean lastAnswer() {
        return lastAnswer;
    }
}
