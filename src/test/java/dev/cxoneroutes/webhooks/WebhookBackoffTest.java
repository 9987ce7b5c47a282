package dev.cxoneroutes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The webhook retry schedule: exponential, jittered, and covering the whole budget before giving up. */
class WebhookBackoffTest {

    static final double LONGEST = 1.0;
    static final double SHORTEST = 0.0;

    @Test
    void by_default_keeps_retrying_for_ten_minutes_then_gives_up() {
        Random random = new Random(7);
        for (int run = 0; run < 500; run++) {
            WebhookBackoff backoff = new WebhookBackoff(
                    WebhookBackoff.DEFAULT_FIRST_DELAY,
                    WebhookBackoff.DEFAULT_MAX_DELAY,
                    WebhookBackoff.DEFAULT_TOTAL_BUDGET,
                    random::nextDouble);

            List<Duration> waits = schedule(backoff);

            Duration lastAttemptAt = waits.stream().reduce(Duration.ZERO, Duration::plus);
            assertThat(lastAttemptAt).isEqualTo(Duration.ofMinutes(10));
            assertThat(waits).hasSizeBetween(8, 16);
            assertThat(waits)
                    .allSatisfy(wait -> assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(2)));
        }
    }

    @Test
    void doubles_each_wait_up_to_the_cap() {
        WebhookBackoff backoff = fixed(LONGEST, Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofHours(1));

        assertThat(waitsFor(backoff, 8))
                .containsExactly(
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(40),
                        Duration.ofSeconds(80),
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(2));
    }

    @Test
    void jitter_waits_at_least_half_of_each_step() {
        WebhookBackoff backoff = fixed(SHORTEST, Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofHours(1));

        assertThat(waitsFor(backoff, 7))
                .containsExactly(
                        Duration.ofMillis(2500),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(40),
                        Duration.ofMinutes(1),
                        Duration.ofMinutes(1));
    }

    @Test
    void shortens_the_last_wait_to_end_exactly_at_the_budget() {
        WebhookBackoff backoff = fixed(LONGEST, Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofMinutes(10));

        assertThat(backoff.nextDelay(9, Duration.ofSeconds(545))).hasValue(Duration.ofSeconds(55));
        assertThat(backoff.nextDelay(10, Duration.ofMinutes(10))).isEmpty();
        assertThat(backoff.nextDelay(10, Duration.ofMinutes(11))).isEmpty();
    }

    @Test
    void a_two_second_budget_for_tests_retries_quickly_then_gives_up() {
        WebhookBackoff backoff =
                new WebhookBackoff(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2));

        List<Duration> waits = schedule(backoff);

        assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofSeconds(2));
        assertThat(waits).hasSizeBetween(5, 12);
        assertThat(backoff.totalBudget()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void reads_attempts_and_age_from_a_failed_delivery() {
        WebhookBackoff backoff = fixed(LONGEST, Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofMinutes(10));
        Instant created = Instant.parse("2026-11-21T10:00:00Z");
        WebhookDelivery failedThrice = WebhookDelivery.create("{}", "https://cti.example/", created)
                .afterFailedAttempt("HTTP 500")
                .afterFailedAttempt("HTTP 500")
                .afterFailedAttempt("HTTP 500");

        assertThat(backoff.nextDelay(failedThrice, created.plusSeconds(35))).hasValue(Duration.ofSeconds(20));
        assertThat(backoff.nextDelay(failedThrice, created.plus(Duration.ofMinutes(10))))
                .isEmpty();
    }

    @Test
    void a_restart_that_outlasted_the_budget_gives_up_after_the_next_failure() {
        WebhookBackoff backoff = new WebhookBackoff();

        assertThat(backoff.nextDelay(1, Duration.ofMinutes(30))).isEmpty();
    }

    @Test
    void copes_with_any_number_of_attempts() {
        WebhookBackoff backoff = fixed(LONGEST, Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofDays(365));

        assertThat(backoff.nextDelay(Integer.MAX_VALUE, Duration.ZERO)).hasValue(Duration.ofMinutes(2));
        assertThat(backoff.nextDelay(64, Duration.ZERO)).hasValue(Duration.ofMinutes(2));
    }

    @Test
    void refuses_settings_that_make_no_schedule() {
        assertThatThrownBy(() -> new WebhookBackoff(Duration.ZERO, Duration.ofMinutes(2), Duration.ofMinutes(10)))
                .hasMessageContaining("firstDelay");
        assertThatThrownBy(
                        () -> new WebhookBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(10)))
                .hasMessageContaining("maxDelay");
        assertThatThrownBy(
                        () -> new WebhookBackoff(Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofSeconds(-1)))
                .hasMessageContaining("totalBudget");
        assertThatThrownBy(() -> new WebhookBackoff().nextDelay(0, Duration.ZERO))
                .hasMessageContaining("at least 1");
    }

    /** Every wait a delivery that always fails goes through, from its first failure to giving up. */
    static List<Duration> schedule(WebhookBackoff backoff) {
        List<Duration> waits = new ArrayList<>();
        Duration elapsed = Duration.ZERO;
        for (int attempts = 1; attempts < 1000; attempts++) {
            Optional<Duration> wait = backoff.nextDelay(attempts, elapsed);
            if (wait.isEmpty()) {
                return waits;
            }
            waits.add(wait.get());
            elapsed = elapsed.plus(wait.get());
        }
        throw new AssertionError("never gave up");
    }

    static List<Duration> waitsFor(WebhookBackoff backoff, int failures) {
        List<Duration> waits = new ArrayList<>();
        for (int attempts = 1; attempts <= failures; attempts++) {
            waits.add(backoff.nextDelay(attempts, Duration.ZERO).orElseThrow());
        }
        return waits;
    }

    static WebhookBackoff fixed(double jitter, Duration first, Duration max, Duration budget) {
        return new WebhookBackoff(first, max, budget, () -> jitter);
    }
}
