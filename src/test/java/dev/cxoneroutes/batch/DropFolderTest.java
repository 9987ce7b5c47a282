package dev.cxoneroutes.batch;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.PrometheusText;
import dev.cxoneroutes.testing.RunningService;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Drop files end to end (CONTRACT §5): real files in DATA_DIR, a stub CXone, exact counts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DropFolderTest {

    static final Duration FILE_WAIT = Duration.ofSeconds(60);

    final ObjectMapper json = new ObjectMapper();
    CxoneStub cxone;
    RunningService service;
    Path inbox;

    @BeforeAll
    void start() {
        cxone = new CxoneStub();
        Map<String, String> settings = cxone.liveSettings();
        settings.put("batch.concurrency", "8");
        service = RunningService.start(settings);
        inbox = service.dataDirectory().resolve("inbox/bridge");
    }

    @AfterAll
    void stop() {
        service.close();
        cxone.close();
    }

    @BeforeEach
    void resetStub() {
        cxone.reset();
    }

    static String command(String callId) {
        return "{\"callId\":\"" + callId
                + "\",\"targets\":[{\"type\":\"phone\",\"value\":\"+15551234567\"}],\"direction\":\"transfer\"}";
    }

    @Test
    void processes_a_thousand_lines_with_bad_ones_mixed_in_and_moves_the_file() throws Exception {
        List<String> lines = new ArrayList<>();
        Map<Integer, String> expectedErrors = new TreeMap<>();
        int valid = 0;
        for (int n = 1; n <= 1000; n++) {
            if (n % 100 == 0) {
                lines.add("");
            } else if (n % 50 == 0) {
                lines.add("# comment line " + n);
            } else if (n % 97 == 0) {
                lines.add("{\"callId\":\"broken-" + n);
                expectedErrors.put(n, "MALFORMED_JSON");
            } else if (n % 89 == 0) {
                lines.add("{\"callId\":\"call-" + n + "\",\"targets\":[],\"direction\":\"sideways\"}");
                expectedErrors.put(n, "INVALID_REQUEST");
            } else {
                lines.add(command("call-" + n));
                valid++;
            }
        }
        PrometheusText metricsBefore = metrics();
        drop("thousand.jsonl", String.join("\n", lines) + "\n");

        Path processed = awaitMoved("processed", "thousand.jsonl");

        List<JsonNode> results = results("thousand.jsonl");
        int skipped = 10 + 10; // blank (n % 100) and comment (n % 50, not % 100) lines
        assertThat(results).hasSize(1000 - skipped);
        Map<Integer, JsonNode> byLine =
                results.stream().collect(Collectors.toMap(r -> r.path("line").asInt(), r -> r));
        assertThat(byLine).hasSize(1000 - skipped); // exactly one result per line
        assertThat(byLine.keySet()).noneMatch(n -> n % 50 == 0);
        expectedErrors.forEach((n, code) -> {
            assertThat(byLine.get(n).path("code").asText()).as("line " + n).isEqualTo(code);
            assertThat(byLine.get(n).path("status").asInt()).isEqualTo(400);
        });
        JsonNode sample = byLine.get(1);
        assertThat(sample.fieldNames())
                .toIterable()
                .containsExactly(
                        "line", "status", "request_id", "call_id", "status_code", "latency_ms", "attempts", "data");
        assertThat(sample.path("call_id").asText()).isEqualTo("call-1");
        assertThat(results.stream()
                        .filter(r -> "success".equals(r.path("status").asText())))
                .hasSize(valid);
        assertThat(cxone.count(postRequestedFor(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN))))
                .isEqualTo(valid);
        assertThat(Files.readString(processed)).isEqualTo(String.join("\n", lines) + "\n");
        assertThat(inbox.resolve("thousand.jsonl")).doesNotExist();

        JsonNode status = batch("thousand.jsonl");
        assertThat(status.path("state").asText()).isEqualTo("done");
        assertThat(status.path("lines_read").asInt()).isEqualTo(1000);
        assertThat(status.path("succeeded").asInt()).isEqualTo(valid);
        assertThat(status.path("failed").asInt()).isEqualTo(expectedErrors.size());
        assertThat(status.path("finished_at").isTextual()).isTrue();

        // Each line's answer time runs from its reading to its result, inside the file's run with at
        // most 8 lines in flight: together they add up to at most 8 times that run. Timed from the
        // file's pickup instead, they added up to hundreds of times it.
        PrometheusText metricsAfter = metrics();
        double count = metricsAfter.valueOrZero("cxone_request_duration_seconds_count", "operation", "bridge")
                - metricsBefore.valueOrZero("cxone_request_duration_seconds_count", "operation", "bridge");
        double seconds = metricsAfter.valueOrZero("cxone_request_duration_seconds_sum", "operation", "bridge")
                - metricsBefore.valueOrZero("cxone_request_duration_seconds_sum", "operation", "bridge");
        assertThat(count).isEqualTo(1000 - skipped);
        double fileSeconds = Duration.between(
                                java.time.Instant.parse(
                                        status.path("started_at").asText()),
                                java.time.Instant.parse(
                                        status.path("finished_at").asText()))
                        .toMillis()
                / 1000.0;
        assertThat(seconds).isLessThanOrEqualTo(8 * fileSeconds + 0.1);
    }

    private PrometheusText metrics() {
        return new PrometheusText(
                service.get(service.managementUrl("/observe/metrics")).body());
    }

    @Test
    void numbers_lines_by_their_place_in_the_file_when_it_starts_with_empty_lines() throws Exception {
        // Camel's streaming tokenizer skipped an empty first line: every later line was numbered one
        // too low, and the blank line 2 "got" line 3's result.
        String longCallId = "x".repeat(60);
        String content = "\n\n" + command("first") + "\r\n\n# a comment\n{broken\n" + "{\"padding\":\""
                + "p".repeat(40_000) + "\"," + command(longCallId).substring(1) + "\n";
        drop("leading-blanks.jsonl", content);

        awaitMoved("processed", "leading-blanks.jsonl");

        Map<Integer, JsonNode> byLine = results("leading-blanks.jsonl").stream()
                .collect(Collectors.toMap(r -> r.path("line").asInt(), r -> r));
        assertThat(byLine).containsOnlyKeys(3, 6, 7);
        assertThat(byLine.get(3).path("call_id").asText()).isEqualTo("first");
        assertThat(byLine.get(6).path("code").asText()).isEqualTo("MALFORMED_JSON");
        assertThat(byLine.get(7).path("call_id").asText()).isEqualTo(longCallId);
    }

    @Test
    void ignores_dot_files_and_tmp_files() throws Exception {
        Files.createDirectories(inbox);
        Files.writeString(inbox.resolve(".hidden.jsonl"), command("hidden") + "\n");
        Files.writeString(inbox.resolve("half-written.jsonl.tmp"), command("tmp") + "\n");
        drop("after-ignored.jsonl", command("visible") + "\n");

        awaitMoved("processed", "after-ignored.jsonl");

        assertThat(inbox.resolve(".hidden.jsonl")).exists();
        assertThat(inbox.resolve("half-written.jsonl.tmp")).exists();
        assertThat(service.dataDirectory().resolve("outbox/bridge/.hidden.jsonl.results.jsonl"))
                .doesNotExist();
        assertThat(service.dataDirectory().resolve("outbox/bridge/half-written.jsonl.tmp.results.jsonl"))
                .doesNotExist();
        assertThat(cxone.count(postRequestedFor(urlPathMatching(CxoneStub.bridgePath("(hidden|tmp)")))))
                .isZero();
    }

    /**
     * The read lock takes a file once it has not been written for a second. A file modified "in the
     * future" stands for one still being written, whatever the machine's speed: it must stay put
     * (with the size-only check it went after a second, unchanged in size); once quiet, it runs.
     */
    @Test
    void leaves_a_file_alone_while_it_is_being_written_and_runs_it_once_quiet() throws Exception {
        Files.createDirectories(inbox);
        Path temporary = inbox.resolve("being-written.jsonl.tmp");
        Files.writeString(temporary, command("being-written") + "\n");
        Path file = inbox.resolve("being-written.jsonl");
        Files.setLastModifiedTime(temporary, FileTime.from(Instant.now().plus(Duration.ofHours(1))));
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file));
        assertThat(service.dataDirectory().resolve("outbox/bridge/being-written.jsonl.results.jsonl"))
                .doesNotExist();

        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(1))));
        awaitMoved("processed", "being-written.jsonl");
        assertThat(results("being-written.jsonl"))
                .singleElement()
                .satisfies(result -> assertThat(result.path("call_id").asText()).isEqualTo("being-written"));
    }

    @Test
    void moves_a_file_that_is_not_utf8_to_failed_with_the_reason_and_no_results() throws Exception {
        byte[] latin1 = (command("call-1") + "\n{\"callId\":\"Gr\u00fcn\"}\n").getBytes(StandardCharsets.ISO_8859_1);
        Files.createDirectories(inbox);
        Path temporary = inbox.resolve("latin1.jsonl.tmp");
        Files.write(temporary, latin1);
        Files.move(temporary, inbox.resolve("latin1.jsonl"), StandardCopyOption.ATOMIC_MOVE);

        awaitMoved("failed", "latin1.jsonl");

        Path report = service.dataDirectory().resolve("failed/bridge/latin1.jsonl.error.txt");
        await().atMost(FILE_WAIT).until(() -> Files.exists(report));
        assertThat(Files.readString(report))
                .contains("not valid UTF-8")
                .contains("line 2")
                .contains("No line was processed");
        assertThat(service.dataDirectory().resolve("outbox/bridge/latin1.jsonl.results.jsonl"))
                .doesNotExist();
        assertThat(cxone.count(postRequestedFor(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN))))
                .isZero();
        assertThat(batch("latin1.jsonl").path("state").asText()).isEqualTo("failed");
    }

    @Test
    void resumes_an_interrupted_file_without_resending_what_was_sent() throws Exception {
        // What a crash leaves: lines 1-2 have results, 3 was sent but has none, 4-5 were never sent.
        String content = String.join(
                        "\n",
                        command("r1"),
                        command("r2"),
                        command("r3"),
                        command("r4"),
                        "{\"requestId\":\"crm-r5\"," + command("r5").substring(1))
                + "\n";
        Path scratch = Files.createTempFile("resume", ".jsonl");
        Files.writeString(scratch, content);
        String sha256 = DropFileScan.sha256OfUtf8Text(scratch);
        Path results = service.dataDirectory().resolve("outbox/bridge/resume.jsonl.results.jsonl");
        Files.createDirectories(results.getParent());
        Files.writeString(
                results,
                "{\"line\":1,\"status\":\"success\",\"call_id\":\"r1\"}\n"
                        + "{\"line\":2,\"status\":400,\"code\":\"CXONE_REJECTED\"}\n"
                        + "{\"line\":4,\"sta"); // a write cut short by a power cut
        Path journal = service.dataDirectory().resolve("state/bridge-batch/resume.jsonl.inflight");
        Files.createDirectories(journal.getParent());
        Files.writeString(journal, "# sha256=" + sha256 + "\n1\n2\n3\n");
        drop("resume.jsonl", content);

        awaitMoved("processed", "resume.jsonl");

        Map<Integer, JsonNode> byLine = results("resume.jsonl").stream()
                .collect(Collectors.toMap(r -> r.path("line").asInt(), r -> r));
        assertThat(byLine).containsOnlyKeys(1, 2, 3, 4, 5);
        assertThat(byLine.get(3).path("code").asText()).isEqualTo("OUTCOME_UNKNOWN");
        assertThat(byLine.get(4).path("status").asText()).isEqualTo("success");
        assertThat(byLine.get(5).path("request_id").asText()).isEqualTo("crm-r5");
        assertThat(cxone.count(postRequestedFor(urlPathMatching(CxoneStub.bridgePath("r[123]")))))
                .isZero();
        assertThat(cxone.count(postRequestedFor(urlPathMatching(CxoneStub.bridgePath("r[45]")))))
                .isEqualTo(2);
        JsonNode status = batch("resume.jsonl");
        assertThat(status.path("succeeded").asInt()).isEqualTo(3); // 1, 4, 5
        assertThat(status.path("failed").asInt()).isEqualTo(2); // 2, 3
        assertThat(Files.readString(journal)).isEqualTo("# sha256=" + sha256 + "\n# complete\n");
    }

    private void drop(String name, String content) throws IOException {
        Files.createDirectories(inbox);
        Path temporary = inbox.resolve(name + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private Path awaitMoved(String folder, String name) {
        Path moved = service.dataDirectory().resolve(folder).resolve("bridge").resolve(name);
        await().atMost(FILE_WAIT).until(() -> Files.exists(moved));
        return moved;
    }

    private List<JsonNode> results(String name) throws IOException {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : Files.readAllLines(
                service.dataDirectory().resolve("outbox/bridge").resolve(name + ".results.jsonl"))) {
            parsed.add(json.readTree(line));
        }
        return parsed;
    }

    private JsonNode batch(String name) throws IOException {
        HttpResponse<String> response = RunningService.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(service.url("/api/v1/batches")))
                        .header("X-API-Key", "test-key-1")
                        .GET()
                        .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        for (JsonNode entry : json.readTree(response.body())) {
            if (entry.path("file").asText().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError(name + " is not listed in " + response.body());
    }
}
