package dev.cxoneroutes.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxoneroutes.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AnswerStore} does, whatever keeps it: each implementation's test extends this
 * class and says how to open a fresh, empty store.
 */
abstract class AnswerStoreContract {

    static final Duration RETENTION = Duration.ofHours(24);

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    AnswerStore store;

    /** A store with nothing in it, on {@link #clock}, keeping answers for {@link #RETENTION}. */
    abstract AnswerStore openEmptyStore();

    @BeforeEach
    void open() {
        store = openEmptyStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void the_first_claim_wins_and_every_other_is_refused_until_released() {
        assertThat(store.claim("handoff:call-1")).isTrue();
        assertThat(store.claim("handoff:call-1")).isFalse();
        assertThat(store.claim("handoff:call-2")).as("another key").isTrue();

        store.release("handoff:call-1");

        assertThat(store.claim("handoff:call-1")).isTrue();
    }

    @Test
    void a_remembered_answer_is_found_ends_the_claim_and_survives_a_release() {
        assertThat(store.find("handoff:call-1")).isEmpty();
        assertThat(store.claim("handoff:call-1")).isTrue();

        store.remember("handoff:call-1", new StoredAnswer(200, "{\"guest_id\":\"guest-1\"}"));
        store.release("handoff:call-1");

        assertThat(store.find("handoff:call-1")).contains(new StoredAnswer(200, "{\"guest_id\":\"guest-1\"}"));
        assertThat(store.claim("handoff:call-1"))
                .as("answered: nothing to run again")
                .isFalse();
    }

    @Test
    void remembers_without_a_claim_and_keeps_the_latest_answer() {
        store.remember("bridge:crm-1", new StoredAnswer(200, "{\"n\":1}"));
        store.remember("bridge:crm-1", new StoredAnswer(201, "{\"n\":2}"));

        assertThat(store.find("bridge:crm-1")).contains(new StoredAnswer(201, "{\"n\":2}"));
    }

    @Test
    void an_answer_expires_after_the_retention_and_its_key_can_be_claimed_again() {
        store.remember("handoff:call-1", new StoredAnswer(200, "{}"));

        clock.advance(RETENTION.minusMinutes(1));
        assertThat(store.find("handoff:call-1")).isPresent();
        clock.advance(Duration.ofMinutes(2));
        assertThat(store.find("handoff:call-1")).isEmpty();
        assertThat(store.claim("handoff:call-1")).isTrue();
    }

    @Test
    void an_open_claim_names_its_holder_until_it_is_answered_or_released() {
        assertThat(store.claim("bridge:crm-7", "jms-message:ID:m-1")).isTrue();

        assertThat(store.claimHeldBy("bridge:crm-7", "jms-message:ID:m-1")).isTrue();
        assertThat(store.claimHeldBy("bridge:crm-7", "jms-message:ID:m-2"))
                .as("another message")
                .isFalse();
        assertThat(store.claimHeldBy("bridge:crm-7", null)).isFalse();
        assertThat(store.claim("bridge:crm-7", "jms-message:ID:m-1"))
                .as("its own redelivery is refused like anyone else")
                .isFalse();

        store.remember("bridge:crm-7", new StoredAnswer(500, "{\"code\":\"OUTCOME_UNKNOWN\"}"));
        assertThat(store.claimHeldBy("bridge:crm-7", "jms-message:ID:m-1"))
                .as("answered")
                .isFalse();

        assertThat(store.claim("bridge:crm-8", "jms-message:ID:m-3")).isTrue();
        store.release("bridge:crm-8");
        assertThat(store.claimHeldBy("bridge:crm-8", "jms-message:ID:m-3"))
                .as("released")
                .isFalse();
        assertThat(store.claim("handoff:http-1")).isTrue();
        assertThat(store.claimHeldBy("handoff:http-1", "jms-message:ID:m-1"))
                .as("an HTTP claim names no holder")
                .isFalse();
    }

    @Test
    void of_many_callers_claiming_one_key_at_the_same_moment_exactly_one_wins() throws Exception {
        int callers = 16;
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                Callable<Boolean> claim = () -> {
                    start.await();
                    return store.claim("handoff:same-moment");
                };
                claims.add(threads.submit(claim));
            }
            start.countDown();
            int won = 0;
            for (Future<Boolean> claim : claims) {
                won += claim.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void is_reachable_while_open() {
        assertThat(store.reachable()).isTrue();
    }
}
