package dev.cxoneroutes.batch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.RunningService;
import dev.cxoneroutes.testing.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kill -9 in the middle of a drop file, then a restart (CONTRACT §5): the service runs in a child
 * JVM, as in production, and is killed with SIGKILL while lines are in flight. The guarantee proven,
 * with exact counts at the stub CXone (docs/batch.md):
 *
 * <ul>
 *   <li>every line ends with exactly one result;</li>
 *   <li>no line reaches CXone twice; in particular no line that had a result before the kill;</li>
 *   <li>a line with a success result reached CXone exactly once;</li>
 *   <li>the only other result is OUTCOME_UNKNOWN, for at most BATCH_CONCURRENCY lines that were in
 *       flight at the kill, each of which reached CXone at most once.</li>
 * </ul>
 */
class BatchCrashTest {

    static final int LINES = 3000;
    static final int CONCURRENCY = 8;
    static final String FILE = "crash.jsonl";

    final ObjectMapper json = new ObjectMapper();
    CxoneStub cxone;
    Path dataDirectory;
    Process service;

    @BeforeEach
    void start() throws IOException {
        cxone = new CxoneStub();
        // Slow enough that the file is still running when the test kills the service.
        cxone.stubBridge(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(CxoneStub.BRIDGE_ANSWER)
                .withFixedDelay(20));
        dataDirectory = Files.createTempDirectory("cxone-routes-crash");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null && service.isAlive()) {
            service.destroyForcibly().waitFor();
        }
        cxone.close();
    }

    @Test
    void a_file_interrupted_by_kill_9_is_finished_after_restart_without_bridging_any_line_twice() throws Exception {
        StringBuilder content = new StringBuilder();
        for (int n = 1; n <= LINES; n++) {
            content.append("{\"callId\":\"crash-")
                    .append(n)
                    .append(
                            "\",\"targets\":[{\"type\":\"phone\",\"value\":\"+15551234567\"}],\"direction\":\"transfer\"}\n");
        }
        Path inbox = Files.createDirectories(dataDirectory.resolve("inbox/bridge"));
        Files.writeString(inbox.resolve(FILE + ".tmp"), content);
        Files.move(inbox.resolve(FILE + ".tmp"), inbox.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
        Path results = dataDirectory.resolve("outbox/bridge/" + FILE + ".results.jsonl");

        service = startService("first-run");
        await().atMost(Duration.ofSeconds(120)).until(() -> lineCount(results) >= 300);
        service.destroyForcibly().waitFor();
        Set<Integer> finishedBeforeKill = readResults(results).keySet();
        int requestsBeforeRestart = bridgeRequests().size();

        service = startService("second-run");
        await().atMost(Duration.ofSeconds(180))
                .until(() -> Files.exists(dataDirectory.resolve("processed/bridge/" + FILE)));

        Map<Integer, JsonNode> byLine = readResults(results);
        assertThat(Files.readAllLines(results)).hasSize(LINES);
        assertThat(byLine.keySet()).hasSize(LINES).allMatch(n -> n >= 1 && n <= LINES);
        assertThat(finishedBeforeKill.size()).as("killed mid-file").isBetween(300, LINES - 1);
        assertThat(bridgeRequests().size())
                .as("lines were sent after the restart")
                .isGreaterThan(requestsBeforeRestart);

        Map<String, Long> requestsPerId = bridgeRequests().stream()
                .collect(Collectors.groupingBy(
                        e -> e.getRequest().getHeader("X-CXone-Request-ID"), Collectors.counting()));
        assertThat(requestsPerId.values()).as("no line reached CXone twice").allMatch(count -> count == 1);

        List<Integer> unknown = new ArrayList<>();
        long unknownThatReachedCxone = 0;
        for (Map.Entry<Integer, JsonNode> entry : byLine.entrySet()) {
            JsonNode result = entry.getValue();
            long requests = requestsPerId.getOrDefault(result.path("request_id").asText(), 0L);
            if ("success".equals(result.path("status").asText())) {
                assertThat(requests).as("line %d succeeded", entry.getKey()).isEqualTo(1);
                assertThat(result.path("call_id").asText()).isEqualTo("crash-" + entry.getKey());
            } else {
                assertThat(result.path("code").asText())
                        .as("line %d: %s", entry.getKey(), result)
                        .isEqualTo("OUTCOME_UNKNOWN");
                assertThat(finishedBeforeKill).doesNotContain(entry.getKey());
                unknown.add(entry.getKey());
                unknownThatReachedCxone += requests;
            }
        }
        assertThat(unknown.size())
                .as("only lines in flight at the kill are unknown")
                .isLessThanOrEqualTo(CONCURRENCY);
        long succeeded = LINES - unknown.size();
        assertThat((long) bridgeRequests().size()).isEqualTo(succeeded + unknownThatReachedCxone);
    }

    private Process startService(String name) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("CXONE_BASE_URL", cxone.baseUrl());
        env.put("CXONE_CLIENT_ID", "test-client");
        env.put("CXONE_CLIENT_SECRET", CxoneStub.CLIENT_SECRET);
        env.put("API_KEYS", "test-key-1");
        env.put("DATA_DIR", dataDirectory.toString());
        env.put("HTTP_PORT", String.valueOf(RunningService.freePort()));
        env.put("MANAGEMENT_PORT", String.valueOf(RunningService.freePort()));
        env.put("JMS_EMBEDDED_PORT", String.valueOf(RunningService.freePort()));
        env.put("BATCH_CONCURRENCY", String.valueOf(CONCURRENCY));
        return ServiceProcess.start(env, Path.of("target", "batch-crash-" + name + ".log"));
    }

    private List<ServeEvent> bridgeRequests() {
        return cxone.server().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().matches(CxoneStub.BRIDGE_PATH_PATTERN))
                .toList();
    }

    private Map<Integer, JsonNode> readResults(Path results) throws IOException {
        Map<Integer, JsonNode> byLine = new HashMap<>();
        for (String line : Files.readAllLines(results)) {
            JsonNode result = json.readTree(line);
            JsonNode earlier = byLine.put(result.path("line").asInt(), result);
            assertThat(earlier)
                    .as("a second result for line %d", result.path("line").asInt())
                    .isNull();
        }
        return byLine;
    }

    private static long lineCount(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        }
    }
}
