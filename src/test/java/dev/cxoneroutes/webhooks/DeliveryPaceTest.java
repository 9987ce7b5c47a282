package dev.cxoneroutes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fewer deliveries at once while a drop file runs, none held back for long, none when no file runs. */
class DeliveryPaceTest {

    static final Duration LAG = Duration.ofSeconds(60);

    final ExecutorService consumers = Executors.newFixedThreadPool(4);
    final AtomicBoolean batchRunning = new AtomicBoolean();
    final AtomicInteger posting = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final CountDownLatch receiverAnswers = new CountDownLatch(1);

    @AfterEach
    void stop() {
        receiverAnswers.countDown();
        consumers.shutdownNow();
    }

    @Test
    void lets_one_delivery_post_at_a_time_while_a_file_runs() throws Exception {
        batchRunning.set(true);
        DeliveryPace pace = new DeliveryPace(batchRunning::get, 1, Duration.ofMinutes(1), LAG);

        List<Future<?>> deliveries = startDeliveries(pace, 4);

        await().until(() -> posting.get() == 1);
        receiverAnswers.countDown();
        for (Future<?> delivery : deliveries) {
            delivery.get();
        }
        assertThat(mostAtOnce).hasValue(1);
    }

    @Test
    void lets_every_consumer_post_at_once_when_no_file_runs() throws Exception {
        DeliveryPace pace = new DeliveryPace(batchRunning::get, 1, Duration.ofMinutes(1), LAG);

        startDeliveries(pace, 4);

        await().until(() -> posting.get() == 4);
    }

    @Test
    void a_delivery_goes_ahead_once_it_waited_the_longest_wait() throws Exception {
        batchRunning.set(true);
        DeliveryPace pace = new DeliveryPace(batchRunning::get, 1, Duration.ofMillis(200), LAG);

        startDeliveries(pace, 2);

        // The first holds its turn until the receiver answers; the second stops waiting for it.
        await().atMost(Duration.ofSeconds(10)).until(() -> posting.get() == 2);
    }

    @Test
    void does_not_hold_back_events_older_than_the_longest_lag() throws Exception {
        batchRunning.set(true);
        DeliveryPace pace = new DeliveryPace(batchRunning::get, 1, Duration.ofMinutes(1), LAG);

        startDeliveries(pace, 4, LAG.plusSeconds(1));

        await().until(() -> posting.get() == 4);
    }

    @Test
    void refuses_a_concurrency_below_one() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DeliveryPace(() -> true, 0, Duration.ZERO, LAG))
                .hasMessageContaining("CTI_WEBHOOK_CONCURRENCY_DURING_BATCH");
    }

    /** Each delivery takes its turn, then "posts" until the receiver answers. */
    private List<Future<?>> startDeliveries(DeliveryPace pace, int count) {
        return startDeliveries(pace, count, Duration.ofSeconds(1));
    }

    private List<Future<?>> startDeliveries(DeliveryPace pace, int count, Duration eventAge) {
        List<Future<?>> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(consumers.submit(() -> {
                DeliveryPace.Permit turn = pace.enter(eventAge);
                try {
                    mostAtOnce.accumulateAndGet(posting.incrementAndGet(), Math::max);
                    receiverAnswers.await();
                    posting.decrementAndGet();
                } finally {
                    pace.leave(turn);
                }
                return null;
            }));
        }
        return started;
    }
}
