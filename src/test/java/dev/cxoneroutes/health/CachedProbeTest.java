package dev.cxoneroutes.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxoneroutes.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Health polling asks the dependency at most once per time-to-live. */
class CachedProbeTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));

    @Test
    void asks_again_only_once_the_answer_is_older_than_its_time_to_live() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Boolean> up = new AtomicReference<>(false);
        CachedProbe probe = new CachedProbe(
                () -> {
                    calls.incrementAndGet();
                    return up.get();
                },
                Duration.ofSeconds(30),
                clock);

        assertThat(probe.getAsBoolean()).isFalse();
        up.set(true);
        clock.advance(Duration.ofSeconds(29));
        assertThat(probe.getAsBoolean()).isFalse();
        assertThat(calls).hasValue(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(probe.getAsBoolean()).isTrue();
        assertThat(calls).hasValue(2);
    }

    @Test
    void a_probe_that_throws_means_down() {
        CachedProbe probe = new CachedProbe(
                () -> {
                    throw new IllegalStateException("token endpoint unreachable");
                },
                Duration.ofSeconds(1),
                clock);

        assertThat(probe.getAsBoolean()).isFalse();
    }

    @Test
    void the_last_answer_is_read_without_probing_even_once_it_is_stale() {
        AtomicInteger calls = new AtomicInteger();
        CachedProbe probe = new CachedProbe(
                () -> {
                    calls.incrementAndGet();
                    return false;
                },
                Duration.ofSeconds(10),
                clock);

        assertThat(probe.lastAnswer()).as("before any probe: presumed up").isTrue();
        assertThat(calls).hasValue(0);

        assertThat(probe.getAsBoolean()).isFalse();
        clock.advance(Duration.ofMinutes(5));
        assertThat(probe.lastAnswer()).isFalse();
        assertThat(calls).hasValue(1);
    }
}
