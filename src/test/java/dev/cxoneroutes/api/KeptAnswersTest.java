package dev.cxoneroutes.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxoneroutes.api.IdempotentReplay.StoredAnswer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The idempotency store: answers survive a restart, expire after the retention, and stay bounded. */
class KeptAnswersTest {

    final MovingClock clock = new MovingClock();

    @Test
    void an_answer_survives_closing_and_reopening_the_store() throws Exception {
        Path file = Files.createTempDirectory("kept-answers").resolve("state/idempotency.mv.db");
        try (KeptAnswers answers = KeptAnswers.open(file, Duration.ofHours(24), 100, clock)) {
            answers.put("bridge:crm-1", new StoredAnswer(200, "{\"status\":\"success\"}"));
        }

        try (KeptAnswers reopened = KeptAnswers.open(file, Duration.ofHours(24), 100, clock)) {
            assertThat(reopened.find("bridge:crm-1")).contains(new StoredAnswer(200, "{\"status\":\"success\"}"));
            assertThat(reopened.find("bridge:crm-2")).isEmpty();
        }
    }

    @Test
    void forgets_an_answer_after_the_retention() {
        KeptAnswers answers = KeptAnswers.inMemory(Duration.ofHours(24), 100, clock);
        answers.put("k", new StoredAnswer(200, "{}"));

        clock.advance(Duration.ofHours(23));
        assertThat(answers.find("k")).isPresent();
        clock.advance(Duration.ofHours(2));
        assertThat(answers.find("k")).isEmpty();
        answers.put("other", new StoredAnswer(200, "{}"));
        assertThat(answers.size())
                .as("the expired answer is dropped by the next put")
                .isEqualTo(1);
    }

    @Test
    void keeps_at_most_max_entries_dropping_the_oldest() {
        KeptAnswers answers = KeptAnswers.inMemory(Duration.ofHours(24), 3, clock);
        for (int i = 1; i <= 5; i++) {
            answers.put("k" + i, new StoredAnswer(200, "{\"n\":" + i + "}"));
        }

        assertThat(answers.size()).isEqualTo(3);
        assertThat(answers.find("k1")).isEmpty();
        assertThat(answers.find("k2")).isEmpty();
        assertThat(answers.find("k5")).contains(new StoredAnswer(200, "{\"n\":5}"));
    }

    /** A clock the test moves forward by hand. */
    static final class MovingClock extends Clock {
        private volatile Instant now = Instant.parse("2026-11-21T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
