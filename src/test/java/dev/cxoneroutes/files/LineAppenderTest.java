package dev.cxoneroutes.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer under the audit log and the dead-letter file. */
class LineAppenderTest {

    @TempDir
    Path dir;

    @Test
    void never_interleaves_lines_larger_than_an_atomic_write() throws Exception {
        Path file = dir.resolve("big.jsonl");
        int threads = 16;
        int linesPerThread = 25;
        try (LineAppender appender = LineAppender.open(file)) {
            // 100 KB of one letter per line: a mixed line would show two letters
            appendAtOnce(appender, threads, linesPerThread, (thread, i) -> String.valueOf((char) ('a' + thread))
                    .repeat(100_000));
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(threads * linesPerThread);
        for (String line : lines) {
            assertThat(line).hasSize(100_000);
            assertThat(line.chars().distinct().count()).isEqualTo(1);
        }
    }

    /** Callers that find a write under way park: every one of them must be woken, none twice written. */
    @Test
    void every_caller_of_many_returns_with_its_line_written_once() throws Exception {
        Path file = dir.resolve("many.jsonl");
        int threads = 48;
        int linesPerThread = 400;
        try (LineAppender appender = LineAppender.open(file, java.time.Duration.ofSeconds(1))) {
            appendAtOnce(appender, threads, linesPerThread, (thread, i) -> thread + "-" + i);
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(threads * linesPerThread).doesNotHaveDuplicates();
    }

    /**
     * Threads that start appending together, each its lines in turn; returns once all are written.
     * A caller never woken would time out here.
     */
    private static void appendAtOnce(
            LineAppender appender,
            int threads,
            int linesPerThread,
            java.util.function.BiFunction<Integer, Integer, String> line)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < linesPerThread; i++) {
                        appender.append(line.apply(thread, i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void writes_utf8_and_ends_every_line() throws IOException {
        Path file = dir.resolve("nested/folders/text.jsonl");
        try (LineAppender appender = LineAppender.open(file)) {
            appender.append("{\"name\":\"Zoë ☎\"}");
            appender.append("");
        }

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"Zoë ☎\"}\n\n");
    }

    @Test
    void refuses_text_that_would_become_two_lines() throws IOException {
        try (LineAppender appender = LineAppender.open(dir.resolve("x.jsonl"))) {
            assertThatThrownBy(() -> appender.append("one\ntwo")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> appender.append("one\rtwo")).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Files.readString(dir.resolve("x.jsonl"))).isEmpty();
    }

    @Test
    void keeps_what_was_there_and_never_adds_a_blank_line_to_a_whole_file() throws IOException {
        Path file = dir.resolve("kept.jsonl");
        Files.writeString(file, "existing\n");

        try (LineAppender appender = LineAppender.open(file)) {
            appender.append("new");
        }

        assertThat(Files.readString(file)).isEqualTo("existing\nnew\n");
    }

    @Test
    void fails_after_close_without_touching_the_file() throws IOException {
        Path file = dir.resolve("closed.jsonl");
        LineAppender appender = LineAppender.open(file);
        appender.append("before");
        appender.close();

        assertThatThrownBy(() -> appender.append("after"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
        assertThat(Files.readString(file)).isEqualTo("before\n");
    }
}
