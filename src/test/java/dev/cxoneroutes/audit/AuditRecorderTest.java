package dev.cxoneroutes.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cxoneroutes.metrics.ServiceMetrics.AuditMeters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens to events while the audit folder cannot be written: held in order, bounded, written later. */
class AuditRecorderTest {

    static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");

    @TempDir
    Path dataDir;

    final AtomicInteger writeFailures = new AtomicInteger();
    final AtomicInteger lost = new AtomicInteger();
    IntSupplier held;

    @Test
    void holds_events_in_order_up_to_the_limit_counts_the_rest_as_lost_and_writes_them_on_recovery() throws Exception {
        Path audit = dataDir.resolve("audit");
        Files.writeString(audit, "a file where the folder should be");
        AuditLog files = new AuditLog(audit);
        try (AuditRecorder recorder = new AuditRecorder(files, 3, Duration.ofMillis(50), this::meters)) {
            for (int i = 1; i <= 5; i++) {
                recorder.record(AuditLogTest.event(AT.plusSeconds(i), "req-" + i, null));
            }
            assertThat(recorder.isWritable()).isFalse();
            assertThat(writeFailures).hasValue(5);
            assertThat(lost).hasValue(2);
            assertThat(held.getAsInt()).isEqualTo(3);

            Files.delete(audit);
            await().atMost(Duration.ofSeconds(10)).until(recorder::isWritable);
            recorder.record(AuditLogTest.event(AT.plusSeconds(6), "req-6", null));

            List<String> lines = Files.readAllLines(files.fileFor(AuditLog.dayOf(AuditLogTest.event(AT, "any", null))));
            assertThat(lines).hasSize(4);
            assertThat(lines.get(0)).contains("\"request_id\":\"req-1\"");
            assertThat(lines.get(1)).contains("\"request_id\":\"req-2\"");
            assertThat(lines.get(2)).contains("\"request_id\":\"req-3\"");
            assertThat(lines.get(3)).contains("\"request_id\":\"req-6\"");
            assertThat(held.getAsInt()).isZero();
        }
    }

    @Test
    void a_day_file_moved_away_while_open_is_opened_again_at_its_path() throws Exception {
        AuditLog files = new AuditLog(dataDir.resolve("audit"));
        try (AuditRecorder recorder = new AuditRecorder(files, 10, Duration.ofMillis(50), this::meters)) {
            recorder.record(AuditLogTest.event(AT, "first", null));
            Path file = files.fileFor(AuditLog.dayOf(AuditLogTest.event(AT, "any", null)));
            Files.move(file, dataDir.resolve("archived.jsonl"));

            await().atMost(Duration.ofSeconds(10)).until(() -> !files.filesMovedAway());
            recorder.record(AuditLogTest.event(AT, "second", null));

            assertThat(Files.readString(file))
                    .contains("\"request_id\":\"second\"")
                    .doesNotContain("first");
            assertThat(writeFailures).hasValue(0);
        }
    }

    private AuditMeters meters(IntSupplier heldEvents) {
        this.held = heldEvents;
        return new AuditMeters(writeFailures::incrementAndGet, lost::incrementAndGet);
    }
}
