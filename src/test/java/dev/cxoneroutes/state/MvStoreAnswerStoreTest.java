package dev.cxoneroutes.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxoneroutes.files.SegmentSpool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The embedded store, for one instance: the contract, and on top answers survive a restart and stay
 * bounded.
 */
class MvStoreAnswerStoreTest extends AnswerStoreContract {

    @Override
    AnswerStore openEmptyStore() {
        return MvStoreAnswerStore.inMemory(RETENTION, 100, clock);
    }

    @Test
    void an_answer_survives_closing_and_reopening_the_store() throws Exception {
        Path file = Files.createTempDirectory("kept-answers").resolve("state/idempotency.mv.db");
        try (MvStoreAnswerStore answers = MvStoreAnswerStore.open(file, Duration.ofHours(24), 100, clock)) {
            answers.remember("bridge:crm-1", new StoredAnswer(200, "{\"status\":\"success\"}"));
        }

        try (MvStoreAnswerStore reopened = MvStoreAnswerStore.open(file, Duration.ofHours(24), 100, clock)) {
            assertThat(reopened.find("bridge:crm-1")).contains(new StoredAnswer(200, "{\"status\":\"success\"}"));
            assertThat(reopened.find("bridge:crm-2")).isEmpty();
        }
    }

    @Test
    void forgets_an_answer_after_the_retention() {
        MvStoreAnswerStore answers = MvStoreAnswerStore.inMemory(Duration.ofHours(24), 100, clock);
        answers.remember("k", new StoredAnswer(200, "{}"));

        clock.advance(Duration.ofHours(23));
        assertThat(answers.find("k")).isPresent();
        clock.advance(Duration.ofHours(2));
        assertThat(answers.find("k")).isEmpty();
        answers.remember("other", new StoredAnswer(200, "{}"));
        assertThat(answers.size())
                .as("the expired answer is dropped by the next put")
                .isEqualTo(1);
    }

    @Test
    void keeps_at_most_max_entries_dropping_the_oldest() {
        MvStoreAnswerStore answers = MvStoreAnswerStore.inMemory(Duration.ofHours(24), 3, clock);
        for (int i = 1; i <= 5; i++) {
            answers.remember("k" + i, new StoredAnswer(200, "{\"n\":" + i + "}"));
        }

        assertThat(answers.size()).isEqualTo(3);
        assertThat(answers.find("k1")).isEmpty();
        assertThat(answers.find("k2")).isEmpty();
        assertThat(answers.find("k5")).contains(new StoredAnswer(200, "{\"n\":5}"));
    }

    /**
     * A kill leaves the files as written: answers remembered by many threads at once are all in a
     * copy of the store file and its log taken once every remember has returned.
     */
    @Test
    void answers_remembered_at_once_by_many_threads_are_all_in_the_file_when_remember_returns() throws Exception {
        Path directory = Files.createTempDirectory("concurrent-answers");
        Path file = directory.resolve("idempotency.mv.db");
        Path copy = directory.resolve("copy.mv.db");
        int threads = 8;
        int each = 50;
        try (MvStoreAnswerStore answers = MvStoreAnswerStore.open(file, Duration.ofHours(24), 10_000, clock)) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int n = 0; n < each; n++) {
                        answers.remember("k-" + thread + "-" + n, new StoredAnswer(200, "{}"));
                    }
                }));
            }
            for (java.util.concurrent.Future<?> future : done) {
                future.get();
            }
            pool.shutdown();
            copyAsAKillLeavesIt(file, copy);
        }

        try (MvStoreAnswerStore reopened = MvStoreAnswerStore.open(copy, Duration.ofHours(24), 10_000, clock)) {
            assertThat(reopened.size()).isEqualTo(threads * each);
            assertThat(reopened.find("k-7-49")).contains(new StoredAnswer(200, "{}"));
        }
    }

    /**
     * The route's overlap: an answer begun with rememberSoon is found at once by a repeat, and is
     * in the files (a kill leaves it there) by the time its future completes.
     */
    @Test
    void an_answer_kept_soon_is_found_at_once_and_is_in_the_file_when_its_future_completes() throws Exception {
        Path directory = Files.createTempDirectory("answers-kept-soon");
        Path file = directory.resolve("idempotency.mv.db");
        Path copy = directory.resolve("copy.mv.db");
        try (MvStoreAnswerStore answers = MvStoreAnswerStore.open(file, Duration.ofHours(24), 10_000, clock)) {
            java.util.List<java.util.concurrent.CompletableFuture<Void>> writes = new java.util.ArrayList<>();
            for (int n = 0; n < 300; n++) {
                answers.claim("k-" + n);
                writes.add(answers.rememberSoon("k-" + n, new StoredAnswer(200, "{\"n\":" + n + "}")));
                assertThat(answers.find("k-" + n)).contains(new StoredAnswer(200, "{\"n\":" + n + "}"));
            }
            writes.forEach(java.util.concurrent.CompletableFuture::join);
            copyAsAKillLeavesIt(file, copy);
        }

        try (MvStoreAnswerStore reopened = MvStoreAnswerStore.open(copy, Duration.ofHours(24), 10_000, clock)) {
            assertThat(reopened.size()).isEqualTo(300);
            assertThat(reopened.find("k-299")).contains(new StoredAnswer(200, "{\"n\":299}"));
        }
    }

    /**
     * Lines of the log are committed into the store file within the commit pause, and the log then
     * empties: the file alone holds the answers.
     */
    @Test
    void the_log_is_committed_into_the_store_file_and_then_emptied() throws Exception {
        Path directory = Files.createTempDirectory("answers-committed");
        Path file = directory.resolve("idempotency.mv.db");
        Path copy = directory.resolve("copy.mv.db");
        try (MvStoreAnswerStore answers = MvStoreAnswerStore.open(file, Duration.ofHours(24), 10_000, clock)) {
            answers.remember("k-1", new StoredAnswer(200, "{\"n\":1}"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> SegmentSpool.segments(
                            MvStoreAnswerStore.logDirOf(file))
                    .isEmpty());
            Files.copy(file, copy);
        }

        try (MvStoreAnswerStore reopened = MvStoreAnswerStore.open(copy, Duration.ofHours(24), 10_000, clock)) {
            assertThat(reopened.find("k-1")).contains(new StoredAnswer(200, "{\"n\":1}"));
        }
    }

    /**
     * A killed run's log holds answers its store file never got: opening the store puts them back,
     * in the order they were logged (the later answer under a key wins), with their own times, and
     * keeps the bound. Keys and bodies with line breaks, tabs and backslashes survive the log.
     */
    @Test
    void answers_only_in_a_killed_runs_log_are_found_after_the_next_open() throws Exception {
        Path directory = Files.createTempDirectory("answers-in-log");
        Path file = directory.resolve("idempotency.mv.db");
        Path copy = directory.resolve("copy.mv.db");
        String oddKey = "key\twith\ttabs\\and\nbreaks";
        String oddBody = "{\"text\":\"line\\none\\\\two\"}\n";
        try (MvStoreAnswerStore answers =
                MvStoreAnswerStore.open(file, Duration.ofDays(1), Duration.ofHours(24), 3, clock)) {
            // No commit within this test (a day apart): only the log has them.
            Files.copy(file, copy);
            answers.remember("k-1", new StoredAnswer(200, "{}"));
            answers.remember(oddKey, new StoredAnswer(502, oddBody));
            answers.remember("k-2", new StoredAnswer(500, "{\"first\":true}"));
            answers.remember("k-2", new StoredAnswer(200, "{\"second\":true}"));
            answers.remember("k-3", new StoredAnswer(200, "{}"));
            copyDirectory(MvStoreAnswerStore.logDirOf(file), MvStoreAnswerStore.logDirOf(copy));
        }

        try (MvStoreAnswerStore reopened = MvStoreAnswerStore.open(copy, Duration.ofHours(24), 3, clock)) {
            assertThat(reopened.find(oddKey)).contains(new StoredAnswer(502, oddBody));
            assertThat(reopened.find("k-2")).contains(new StoredAnswer(200, "{\"second\":true}"));
            assertThat(reopened.find("k-3")).isPresent();
            assertThat(reopened.find("k-1"))
                    .as("beyond the bound of 3, the oldest is dropped")
                    .isEmpty();
            assertThat(reopened.size()).isEqualTo(3);
            assertThat(SegmentSpool.segments(MvStoreAnswerStore.logDirOf(copy)))
                    .as("the log, once in the store file, is deleted")
                    .isEmpty();
            clock.advance(Duration.ofHours(25));
            assertThat(reopened.find("k-3"))
                    .as("logged answers keep the time they were stored")
                    .isEmpty();
        }
    }

    /** A log line that was not written whole is skipped with a warning; the store still opens. */
    @Test
    void an_unreadable_log_line_is_skipped_and_the_others_kept() throws Exception {
        Path file = Files.createTempDirectory("answers-bad-line").resolve("idempotency.mv.db");
        Path log = MvStoreAnswerStore.logDirOf(file);
        Files.createDirectories(log);
        long now = clock.millis();
        Files.writeString(
                log.resolve("spool-000000000001.jsonl"),
                "no tab here\n" + "k-1\t7\\n" + now + "\\n200\\n{}\n" + "k-2\tnot-a-number\\n1\\n200\\n{}\n");

        try (MvStoreAnswerStore answers = MvStoreAnswerStore.open(file, Duration.ofHours(24), 100, clock)) {
            assertThat(answers.find("k-1")).contains(new StoredAnswer(200, "{}"));
            assertThat(answers.find("k-2")).isEmpty();
            assertThat(answers.size()).isEqualTo(1);
        }
    }

    /** What a kill -9 leaves: the store file and its write-ahead log, as they are at this moment. */
    private static void copyAsAKillLeavesIt(Path file, Path copy) throws Exception {
        Files.copy(file, copy);
        copyDirectory(MvStoreAnswerStore.logDirOf(file), MvStoreAnswerStore.logDirOf(copy));
    }

    private static void copyDirectory(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        for (Path segment : SegmentSpool.segments(from)) {
            Files.copy(segment, to.resolve(segment.getFileName()));
        }
    }
}
