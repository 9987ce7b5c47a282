package dev.cxoneroutes.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.results.ResultEvent;
import dev.cxoneroutes.results.ResultEvent.EventType;
import dev.cxoneroutes.results.ResultEvent.Source;
import dev.cxoneroutes.results.ResultEvents;
import dev.cxoneroutes.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daily audit files: whole lines under heavy concurrency, the UTC midnight roll, append-only. */
class AuditLogTest {

    static final Instant BEFORE_MIDNIGHT = Instant.parse("2026-11-21T23:59:59.998Z");
    static final LocalDate NOV_21 = LocalDate.parse("2026-11-21");
    static final LocalDate NOV_22 = LocalDate.parse("2026-11-22");

    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void writes_4000_whole_lines_from_200_threads_at_once() throws Exception {
        Path auditDir = dataDir.resolve("audit");
        int threads = 200;
        int eventsPerThread = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try (AuditLog audit = new AuditLog(auditDir)) {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int e = 0; e < eventsPerThread; e++) {
                        audit.append(event(
                                Instant.parse("2026-11-21T12:00:00Z"),
                                "t" + thread + "-e" + e,
                                // a long message makes each line larger than a pipe's atomic write
                                "x".repeat(thread * 25)));
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

        Path file = auditDir.resolve("audit-2026-11-21.jsonl");
        assertThat(listFiles(auditDir)).containsExactly(file);
        String content = Files.readString(file);
        assertThat(content).endsWith("\n");
        List<String> lines = content.lines().toList();
        assertThat(lines).hasSize(threads * eventsPerThread);
        Set<String> requestIds = new HashSet<>();
        for (String line : lines) {
            JsonNode node = json.readTree(line);
            assertThat(node.size()).as("keys of %s", line).isEqualTo(12);
            String requestId = node.get("request_id").asText();
            int thread = Integer.parseInt(requestId.substring(1, requestId.indexOf('-')));
            assertThat(node.get("error_message").asText()).hasSize(thread * 25);
            requestIds.add(requestId);
        }
        assertThat(requestIds).hasSize(threads * eventsPerThread);
    }

    @Test
    void starts_a_new_file_at_utc_midnight() throws IOException {
        MutableClock clock = new MutableClock(BEFORE_MIDNIGHT);
        ResultEvents events = new ResultEvents(clock);
        Path auditDir = dataDir.resolve("audit");
        try (AuditLog audit = new AuditLog(auditDir)) {
            audit.append(events.batchCompleted("before.jsonl", 1, 1, 0, Duration.ZERO));
            clock.advance(Duration.ofMillis(1)); // 23:59:59.999, still the 21st
            audit.append(events.batchCompleted("last.jsonl", 1, 1, 0, Duration.ZERO));
            clock.advance(Duration.ofMillis(1)); // 00:00:00.000 on the 22nd
            audit.append(events.batchCompleted("first.jsonl", 1, 1, 0, Duration.ZERO));
            clock.advance(Duration.ofHours(1));
            audit.append(events.batchCompleted("later.jsonl", 1, 1, 0, Duration.ZERO));
        }

        assertThat(listFiles(auditDir))
                .containsExactly(
                        auditDir.resolve("audit-2026-11-21.jsonl"), auditDir.resolve("audit-2026-11-22.jsonl"));
        assertThat(filesNamed(auditDir.resolve("audit-2026-11-21.jsonl")))
                .containsExactly("before.jsonl", "last.jsonl");
        assertThat(filesNamed(auditDir.resolve("audit-2026-11-22.jsonl")))
                .containsExactly("first.jsonl", "later.jsonl");
        assertThat(Files.readAllLines(auditDir.resolve("audit-2026-11-22.jsonl"))
                        .get(0))
                .startsWith("{\"timestamp\":\"2026-11-22T00:00:00.000Z\",\"event_type\":\"batch_completed\"");
    }

    @Test
    void files_an_event_by_its_own_timestamp_even_when_it_arrives_after_midnight() throws IOException {
        Path auditDir = dataDir.resolve("audit");
        try (AuditLog audit = new AuditLog(auditDir)) {
            audit.append(event(Instant.parse("2026-11-22T00:00:00.010Z"), "after", null));
            audit.append(event(BEFORE_MIDNIGHT, "late", null));
        }

        assertThat(requestIds(auditDir.resolve("audit-2026-11-21.jsonl"))).containsExactly("late");
        assertThat(requestIds(auditDir.resolve("audit-2026-11-22.jsonl"))).containsExactly("after");
    }

    @Test
    void keeps_writing_to_any_day_after_several_rolls() throws IOException {
        Path auditDir = dataDir.resolve("audit");
        try (AuditLog audit = new AuditLog(auditDir)) {
            for (String day :
                    List.of("2026-11-20", "2026-11-21", "2026-11-22", "2026-11-20", "2026-11-23", "2026-11-21")) {
                audit.append(event(Instant.parse(day + "T08:00:00Z"), day, null));
            }
        }

        assertThat(requestIds(auditDir.resolve("audit-2026-11-20.jsonl"))).containsExactly("2026-11-20", "2026-11-20");
        assertThat(requestIds(auditDir.resolve("audit-2026-11-21.jsonl"))).containsExactly("2026-11-21", "2026-11-21");
        assertThat(requestIds(auditDir.resolve("audit-2026-11-22.jsonl"))).containsExactly("2026-11-22");
        assertThat(requestIds(auditDir.resolve("audit-2026-11-23.jsonl"))).containsExactly("2026-11-23");
    }

    @Test
    void only_grows_the_file_across_restarts() throws IOException {
        Path auditDir = dataDir.resolve("audit");
        Path file = auditDir.resolve("audit-2026-11-21.jsonl");
        try (AuditLog first = new AuditLog(auditDir)) {
            for (int i = 0; i < 3; i++) {
                first.append(event(Instant.parse("2026-11-21T09:00:00Z"), "first-" + i, null));
            }
        }
        byte[] before = Files.readAllBytes(file);

        try (AuditLog second = new AuditLog(auditDir)) {
            second.append(event(Instant.parse("2026-11-21T10:00:00Z"), "second-0", null));
            second.append(event(Instant.parse("2026-11-21T10:00:01Z"), "second-1", null));
        }

        byte[] after = Files.readAllBytes(file);
        assertThat(after.length).isGreaterThan(before.length);
        assertThat(new String(after, 0, before.length, StandardCharsets.UTF_8))
                .isEqualTo(new String(before, StandardCharsets.UTF_8));
        assertThat(requestIds(file)).containsExactly("first-0", "first-1", "first-2", "second-0", "second-1");
    }

    @Test
    void keeps_a_line_torn_by_a_crash_apart_from_the_next_one() throws IOException {
        Path auditDir = Files.createDirectories(dataDir.resolve("audit"));
        Path file = auditDir.resolve("audit-2026-11-21.jsonl");
        String whole =
                event(Instant.parse("2026-11-21T09:00:00Z"), "whole", null).toJson();
        Files.writeString(file, whole + "\n{\"timestamp\":\"2026-11-21T09:00:01.000Z\",\"event_ty");

        try (AuditLog audit = new AuditLog(auditDir)) {
            audit.append(event(Instant.parse("2026-11-21T09:00:02Z"), "after-restart", null));
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo(whole);
        assertThat(lines.get(1)).isEqualTo("{\"timestamp\":\"2026-11-21T09:00:01.000Z\",\"event_ty");
        assertThat(json.readTree(lines.get(2)).get("request_id").asText()).isEqualTo("after-restart");
    }

    @Test
    void refuses_to_append_once_closed() throws IOException {
        AuditLog audit = new AuditLog(dataDir.resolve("audit"));
        audit.append(event(BEFORE_MIDNIGHT, "open", null));
        audit.close();

        assertThatThrownBy(() -> audit.append(event(BEFORE_MIDNIGHT, "closed", null)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> audit.append(event(Instant.parse("2026-12-01T00:00:00Z"), "closed", null)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void names_files_by_utc_day() {
        AuditLog audit = new AuditLog(dataDir.resolve("audit"));

        assertThat(audit.fileFor(NOV_22)).isEqualTo(dataDir.resolve("audit").resolve("audit-2026-11-22.jsonl"));
        assertThat(audit.fileFor(NOV_21).getFileName()).hasToString("audit-2026-11-21.jsonl");
    }

    static ResultEvent event(Instant at, String requestId, String errorMessage) {
        return new ResultEvent(
                at,
                EventType.HANDOFF_ATTEMPT,
                Source.HTTP,
                requestId,
                null,
                "guest-1",
                errorMessage == null,
                errorMessage == null ? 200 : 503,
                5.5,
                1,
                errorMessage == null ? null : "CXONE_UNAVAILABLE",
                errorMessage);
    }

    List<String> requestIds(Path file) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            ids.add(json.readTree(line).get("request_id").asText());
        }
        return ids;
    }

    List<String> filesNamed(Path file) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            names.add(json.readTree(line).get("file").asText());
        }
        return names;
    }

    static List<Path> listFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
