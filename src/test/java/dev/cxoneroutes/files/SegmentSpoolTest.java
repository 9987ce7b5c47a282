package dev.cxoneroutes.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool on real files, with the store behind it played by the drain given here: lines reach
 * the drain in the order appended, segments stay small while the drain is behind, and a drain that
 * fails gets the same lines again until it takes them.
 */
class SegmentSpoolTest {

    @TempDir
    Path dir;

    final List<String> taken = new CopyOnWriteArrayList<>();

    @Test
    void segments_close_at_their_size_limit_while_nothing_drains_them_and_every_line_is_taken_in_order()
            throws Exception {
        String line = "x".repeat(999); // 1,000 bytes with its line break
        int lines = 2_500; // about 2.4 segments' worth
        try (SegmentSpool spool =
                new SegmentSpool(dir, "test-spool", this::take, Duration.ZERO, Duration.ofMillis(50))) {
            for (int i = 0; i < lines; i++) {
                spool.append(i + ":" + line);
            }
            List<Path> segments = SegmentSpool.segments(dir);
            assertThat(segments).hasSize(3);
            for (Path segment : segments) {
                assertThat(Files.size(segment)).isLessThanOrEqualTo(SegmentSpool.MAX_SEGMENT_BYTES + 1_010);
            }

            spool.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> taken.size() == lines);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> SegmentSpool.segments(dir).isEmpty());
        }
        for (int i = 0; i < lines; i++) {
            assertThat(taken.get(i)).startsWith(i + ":");
        }
    }

    @Test
    void a_segment_whose_drain_failed_is_kept_and_drained_again_with_the_same_lines() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        SegmentSpool.Drain failingTwice = segment -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new IllegalStateException("the store is away");
            }
            take(segment);
        };
        try (SegmentSpool spool =
                new SegmentSpool(dir, "test-spool", failingTwice, Duration.ZERO, Duration.ofMillis(50))) {
            spool.start();
            spool.append("first");
            spool.append("second");
            await().atMost(Duration.ofSeconds(10)).until(() -> taken.size() >= 2);
            spool.append("third");
            await().atMost(Duration.ofSeconds(10)).until(() -> taken.size() == 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> spool.segmentsPending() == 0);
        }
        assertThat(attempts.get()).isGreaterThanOrEqualTo(3);
        assertThat(taken).containsExactly("first", "second", "third");
    }

    @Test
    void what_was_not_drained_at_close_is_drained_after_the_next_start() throws Exception {
        try (SegmentSpool spool =
                new SegmentSpool(dir, "test-spool", this::take, Duration.ZERO, Duration.ofMillis(50))) {
            spool.append("written before a stop");
        }
        assertThat(taken).isEmpty();
        assertThat(SegmentSpool.segments(dir)).hasSize(1);

        try (SegmentSpool spool =
                new SegmentSpool(dir, "test-spool", this::take, Duration.ZERO, Duration.ofMillis(50))) {
            spool.start();
            spool.append("written after");
            await().atMost(Duration.ofSeconds(10)).until(() -> taken.size() == 2);
        }
        assertThat(taken).containsExactly("written before a stop", "written after");
    }

    /** An OS crash may cut the last write inside a multi-byte character: the whole lines still read. */
    @Test
    void a_last_line_torn_inside_a_character_is_left_out_and_the_rest_read() throws Exception {
        Path segment = dir.resolve("spool-000000000001.jsonl");
        byte[] whole = "caf\u00e9 au lait\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] torn = "cr\u00e8me".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] file = new byte[whole.length + 3];
        System.arraycopy(whole, 0, file, 0, whole.length);
        System.arraycopy(torn, 0, file, whole.length, 3); // "cr" and the first byte of "è"
        Files.write(segment, file);

        assertThat(SegmentSpool.readWholeLines(segment)).containsExactly("caf\u00e9 au lait");
    }

    private void take(Path segment) throws Exception {
        taken.addAll(SegmentSpool.readWholeLines(segment));
    }
}
