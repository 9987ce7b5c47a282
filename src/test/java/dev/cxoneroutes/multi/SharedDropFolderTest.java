package dev.cxoneroutes.multi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.TwoInstances;
import dev.cxoneroutes.testing.TwoInstances.Instance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two service JVMs sharing one drop folder (CONTRACT §9, {@link TwoInstances}): each with its own
 * DATA_DIR, both on one standalone Artemis broker, one PostgreSQL state store, one DROP_DIR and one
 * CXone. Each file is worked on by one instance at a time; an instance killed mid-file (SIGKILL)
 * loses it to the other after BATCH_CLAIM_TIMEOUT_SECONDS, which finishes it. Counted at the stub
 * CXone by X-CXone-Request-ID: no line reaches CXone twice, every line ends with exactly one result.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// Each test stands alone (its own file names; a killed instance is restarted before the next); the
// kill goes last only because a restart costs seconds.
@TestMethodOrder(MethodOrderer.MethodName.class)
class SharedDropFolderTest {

    static final int CLAIM_TIMEOUT_SECONDS = 3;
    static final int CONCURRENCY = 8;

    final ObjectMapper json = new ObjectMapper();
    TwoInstances instances;
    CxoneStub cxone;
    Path dropDirectory;

    @BeforeAll
    void start() {
        instances = TwoInstances.start(
                "shared-drop-folder",
                Map.of(
                        "batch.claim-timeout-seconds", String.valueOf(CLAIM_TIMEOUT_SECONDS),
                        "batch.concurrency", String.valueOf(CONCURRENCY)));
        cxone = instances.cxone();
        dropDirectory = instances.dropDirectory();
    }

    @AfterAll
    void stop() {
        if (instances != null) {
            instances.close();
        }
    }

    @BeforeEach
    void bothRunning() {
        instances.ensureRunning();
        instances.resetStub();
    }

    @Test
    void a_two_instances_share_four_files_each_line_bridged_once_with_one_result() throws Exception {
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
        for (Instance instance : instances.both()) {
            Map<String, String> finishedBy = new HashMap<>();
            batches(instance, files).forEach(batch -> {
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
    void b_a_file_whose_instance_is_killed_mid_file_is_finished_by_the_other_without_bridging_a_line_twice()
            throws Exception {
        // CXone slow until the kill (the file must still be running when the instance working on it
        // is killed, however busy the machine), quick afterwards.
        cxone.stubBridge(bridgeAnswer(400));
        int lines = 1000;
        String file = "takeover.jsonl";
        drop(file, lines);
        Path results = dropDirectory.resolve("outbox/bridge/" + file + ".results.jsonl");
        await().atMost(Duration.ofSeconds(90)).until(() -> lineCount(results) >= 20);

        String victimId = inProgressBy(instances.first(), file);
        assertThat(victimId).as("one instance works on the file").isNotNull();
        Instance victim = instances.instance(victimId);
        Instance survivor = victim == instances.first() ? instances.second() : instances.first();
        // The other instance keeps polling the shared inbox meanwhile.
        long resultsAtFirstLook = lineCount(results);
        await().atMost(Duration.ofSeconds(60)).until(() -> lineCount(results) >= resultsAtFirstLook + 20);
        assertThat(inProgressBy(survivor, file))
                .as("the file stays with its instance")
                .isEqualTo(victimId);
        victim.kill();
        Set<Integer> finishedBeforeKill = readResults(file).keySet();
        int requestsBeforeKill = requestsPerId().size();
        cxone.stubBridge(bridgeAnswer(0));

        await().atMost(Duration.ofSeconds(CLAIM_TIMEOUT_SECONDS + 10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> survivor.id().equals(inProgressBy(survivor, file)));
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
        assertThat(batches(survivor, List.of(file))).singleElement().satisfies(batch -> {
            assertThat(batch.path("state").asText()).isEqualTo("done");
            assertThat(batch.path("instance").asText()).isEqualTo(survivor.id());
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

    /**
     * GET /api/v1/batches of one instance, only the entries of these files: the shared folder also
     * lists the files of the class's other tests.
     */
    private List<JsonNode> batches(Instance instance, Collection<String> files) throws IOException {
        JsonNode listing = json.readTree(instance.getApi("/api/v1/batches").body());
        List<JsonNode> ours = new ArrayList<>();
        listing.forEach(batch -> {
            if (files.contains(batch.path("file").asText())) {
                ours.add(batch);
            }
        });
        return ours;
    }

    /** The instance a running file is listed with, or null while it is not running. */
    private String inProgressBy(Instance instance, String file) throws IOException {
        for (JsonNode batch : batches(instance, List.of(file))) {
            if ("in_progress".equals(batch.path("state").asText())) {
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
