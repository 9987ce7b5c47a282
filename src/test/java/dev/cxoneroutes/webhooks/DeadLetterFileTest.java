package dev.cxoneroutes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.testing.SampleEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DATA_DIR/dead-letter/cti-webhook.jsonl: what it holds, and reading it back for a replay. */
class DeadLetterFileTest {

    static final Instant CREATED = Instant.parse("2026-11-21T10:00:00Z");
    static final Instant GAVE_UP = Instant.parse("2026-11-21T10:10:00.042Z");

    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void writes_the_event_its_url_id_last_error_and_attempts() throws Exception {
        String body = SampleEvents.bridgeSuccess(CREATED).toJson();
        WebhookDelivery failed = WebhookDelivery.create(body, "https://cti.example/hook", CREATED)
                .afterFailedAttempt("HTTP 500")
                .afterFailedAttempt("HTTP 503");
        DeadLetterFile file = new DeadLetterFile(dataDir.resolve("dead-letter"));

        file.append(DeadLetter.of(failed, GAVE_UP));
        file.close();

        Path written = dataDir.resolve("dead-letter").resolve("cti-webhook.jsonl");
        assertThat(file.file()).isEqualTo(written);
        List<String> lines = Files.readAllLines(written);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .isEqualTo("{\"event\":" + body + ",\"url\":\"https://cti.example/hook\","
                        + "\"webhook_id\":\"" + failed.webhookId() + "\",\"last_error\":\"HTTP 503\",\"attempts\":2,"
                        + "\"dead_lettered_at\":\"2026-11-21T10:10:00.042Z\"}");
        JsonNode event = json.readTree(lines.get(0)).get("event");
        assertThat(event.isObject()).isTrue();
        assertThat(event).isEqualTo(json.readTree(body));
    }

    @Test
    void lists_dead_letters_in_order_for_a_replay_under_the_same_webhook_id() throws Exception {
        DeadLetterFile file = new DeadLetterFile(dataDir.resolve("dead-letter"));
        List<WebhookDelivery> failed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            WebhookDelivery delivery = WebhookDelivery.create(
                            SampleEvents.bridgeSuccess(CREATED.plusSeconds(i)).toJson(),
                            "https://cti.example/" + i,
                            CREATED)
                    .afterFailedAttempt("connection refused");
            failed.add(delivery);
            file.append(DeadLetter.of(delivery, GAVE_UP));
        }

        DeadLetterFile.Listing listing = new DeadLetterFile(dataDir.resolve("dead-letter")).list();

        assertThat(listing.unreadableLines()).isEmpty();
        assertThat(listing.entries())
                .extracting(DeadLetter::webhookId)
                .containsExactly(
                        failed.get(0).webhookId(),
                        failed.get(1).webhookId(),
                        failed.get(2).webhookId());
        Instant replayAt = Instant.parse("2026-11-22T08:00:00Z");
        WebhookDelivery replay = listing.entries().get(1).toDelivery(replayAt);
        assertThat(replay)
                .isEqualTo(new WebhookDelivery(
                        failed.get(1).webhookId(),
                        "https://cti.example/1",
                        failed.get(1).body(),
                        replayAt,
                        0,
                        null));
    }

    @Test
    void skips_and_reports_lines_that_are_not_dead_letters() throws Exception {
        Path dir = Files.createDirectories(dataDir.resolve("dead-letter"));
        DeadLetterFile file = new DeadLetterFile(dir);
        file.append(DeadLetter.of(delivery("one"), GAVE_UP));
        Files.writeString(
                dir.resolve("cti-webhook.jsonl"), "{\"event\":{\"timesta\n\n", java.nio.file.StandardOpenOption.APPEND);
        file.append(DeadLetter.of(delivery("two"), GAVE_UP));
        Files.writeString(
                dir.resolve("cti-webhook.jsonl"),
                "{\"url\":\"missing everything else\"}\n",
                java.nio.file.StandardOpenOption.APPEND);
        file.close();

        DeadLetterFile.Listing listing = file.list();

        assertThat(listing.entries()).extracting(DeadLetter::lastError).containsExactly("one", "two");
        assertThat(listing.unreadableLines()).containsExactly(2, 5);
    }

    @Test
    void keeps_a_body_that_is_not_json_as_text_and_replays_it_unchanged() throws Exception {
        DeadLetterFile file = new DeadLetterFile(dataDir.resolve("dead-letter"));
        WebhookDelivery odd = WebhookDelivery.create("not { json", "https://cti.example/hook", CREATED);

        file.append(DeadLetter.of(odd, GAVE_UP));

        DeadLetter listed = file.list().entries().get(0);
        assertThat(listed.event().isTextual()).isTrue();
        assertThat(listed.toDelivery(GAVE_UP).body()).isEqualTo("not { json");
    }

    @Test
    void lists_nothing_and_creates_nothing_before_the_first_dead_letter() throws Exception {
        DeadLetterFile file = new DeadLetterFile(dataDir.resolve("dead-letter"));

        assertThat(file.list().entries()).isEmpty();
        assertThat(dataDir.resolve("dead-letter")).doesNotExist();
    }

    @Test
    void takes_concurrent_dead_letters_as_whole_lines() throws Exception {
        DeadLetterFile file = new DeadLetterFile(dataDir.resolve("dead-letter"));
        int threads = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        file.append(DeadLetter.of(delivery("t" + thread + "-" + i), GAVE_UP));
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
            file.close();
        }

        DeadLetterFile.Listing listing = file.list();
        assertThat(listing.unreadableLines()).isEmpty();
        assertThat(listing.entries()).hasSize(1000);
        assertThat(listing.entries()).extracting(DeadLetter::lastError).doesNotHaveDuplicates();
    }

    static WebhookDelivery delivery(String lastError) {
        return WebhookDelivery.create(SampleEvents.bridgeSuccess(CREATED).toJson(), "https://cti.example/hook", CREATED)
                .afterFailedAttempt(lastError);
    }
}
