package dev.cxoneroutes.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cxoneroutes.batch.AdaptiveLimit.Outcome;
import dev.cxoneroutes.batch.AdaptiveLimit.Permit;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The additive-increase, multiplicative-decrease rule of the drop folder's concurrency limit. */
class AdaptiveLimitTest {

    final List<Integer> decreases = new ArrayList<>();

    AdaptiveLimit limit(int initial, int ceiling) {
        return new AdaptiveLimit(initial, ceiling, decreases::add);
    }

    /** Takes every place the limit has now. */
    static List<Permit> fill(AdaptiveLimit limit) {
        List<Permit> permits = new ArrayList<>();
        for (Permit permit = limit.tryAcquire(); permit != null; permit = limit.tryAcquire()) {
            permits.add(permit);
        }
        return permits;
    }

    @Test
    void admits_no_more_than_the_limit() {
        AdaptiveLimit limit = limit(4, 64);
        assertThat(fill(limit)).hasSize(4);
        assertThat(limit.inFlight()).isEqualTo(4);
        assertThat(limit.tryAcquire()).isNull();
    }

    /**
     * A busy file: every place is taken, and each call that ends is replaced by the next line at once
     * (as the line threads do).
     */
    static final class BusyFile {
        final AdaptiveLimit limit;
        final ArrayDeque<Permit> inFlight;

        BusyFile(AdaptiveLimit limit) {
            this.limit = limit;
            this.inFlight = new ArrayDeque<>(fill(limit));
        }

        /** Ends the oldest calls one by one with this outcome; the limit after each. */
        List<Integer> calls(int count, Outcome outcome) {
            List<Integer> limits = new ArrayList<>();
            for (int call = 0; call < count; call++) {
                limit.release(inFlight.removeFirst(), outcome);
                limits.add(limit.limit());
                inFlight.addAll(fill(limit));
            }
            return limits;
        }
    }

    @Test
    void grows_by_one_per_answer_until_cxone_first_pushes_back_and_stops_at_the_ceiling() {
        BusyFile file = new BusyFile(limit(4, 20));
        // The first call went alone, with the limit unused: it teaches nothing.
        assertThat(file.calls(21, Outcome.ANSWERED))
                .containsExactly(4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 20, 20, 20, 20);
        assertThat(decreases).isEmpty();
    }

    @Test
    void halves_once_for_a_round_of_429s_not_once_per_429() {
        BusyFile file = new BusyFile(limit(32, 64));
        // The 32 calls in flight were all sent before the first 429 came back: one halving. The
        // 16 sent after it are a new round: their first 429 halves again, the rest are its round.
        assertThat(file.calls(32, Outcome.PUSHED_BACK)).containsOnly(16);
        assertThat(decreases).containsExactly(16);
        assertThat(file.calls(16, Outcome.PUSHED_BACK)).containsOnly(8);
        assertThat(decreases).containsExactly(16, 8);
    }

    @Test
    void a_storm_takes_it_down_to_one_and_never_below() {
        BusyFile file = new BusyFile(limit(64, 64));
        List<Integer> limits = file.calls(500, Outcome.PUSHED_BACK);
        assertThat(decreases).containsExactly(32, 16, 8, 4, 2, 1);
        assertThat(limits.get(limits.size() - 1)).isEqualTo(1);
        assertThat(file.inFlight).hasSize(1);
    }

    @Test
    void after_a_pushback_grows_by_one_per_round_of_answers_not_per_answer() {
        BusyFile file = new BusyFile(limit(16, 64));
        file.calls(16, Outcome.PUSHED_BACK);
        assertThat(file.limit.limit()).isEqualTo(8);
        List<Integer> limits = file.calls(8 + 9 + 10, Outcome.ANSWERED);
        assertThat(limits.get(7 - 1)).isEqualTo(8);
        assertThat(limits.get(8 - 1)).isEqualTo(9);
        assertThat(limits.get(8 + 9 - 1)).isEqualTo(10);
        assertThat(limits.get(8 + 9 + 10 - 1)).isEqualTo(11);
    }

    @Test
    void calls_that_say_nothing_about_cxone_leave_it_alone() {
        AdaptiveLimit limit = limit(8, 64);
        fill(limit).forEach(permit -> limit.release(permit, Outcome.NEUTRAL));
        assertThat(limit.limit()).isEqualTo(8);
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void does_not_grow_while_mostly_unused() {
        AdaptiveLimit limit = limit(16, 64);
        for (int call = 0; call < 100; call++) {
            limit.release(limit.tryAcquire(), Outcome.ANSWERED); // one at a time, far below 16
        }
        assertThat(limit.limit()).isEqualTo(16);
    }

    @Test
    void a_waiting_call_goes_when_a_place_frees_up() {
        AdaptiveLimit limit = limit(1, 1);
        Permit first = limit.acquire();
        CompletableFuture<Permit> second = CompletableFuture.supplyAsync(limit::acquire);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !second.isDone());
        limit.release(first, Outcome.ANSWERED);
        await().atMost(Duration.ofSeconds(5)).until(second::isDone);
        assertThat(limit.inFlight()).isEqualTo(1);
    }

    @Test
    void starts_within_one_and_the_ceiling() {
        assertThat(limit(500, 64).limit()).isEqualTo(64);
        assertThat(limit(0, 64).limit()).isEqualTo(1);
    }
}
