package dev.cxoneroutes.batch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.RunningService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A normal stop (SIGTERM, a redeploy) in the middle of a drop file is not a failure: the file stays
 * in the inbox, not in failed/, and the next start finishes it with one result per line.
 */
class BatchShutdownTest {

    static final int LINES = 1500;

    final ObjectMapper json = new ObjectMapper();

    @Test
    void a_file_cut_short_by_a_stop_stays_in_the_inbox_and_is_finished_by_the_next_start() throws Exception {
        try (CxoneStub cxone = new CxoneStub()) {
            cxone.stubBridge(aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(CxoneStub.BRIDGE_ANSWER)
                    .withFixedDelay(20));
            Map<String, String> settings = cxone.liveSettings();
            settings.put("batch.concurrency", "4");
            settings.put(
                    "data.dir", Files.createTempDirectory("cxone-routes-stop").toString());
            Path data = Path.of(settings.get("data.dir"));
            Path inbox = Files.createDirectories(data.resolve("inbox/bridge"));
            StringBuilder content = new StringBuilder();
            for (int n = 1; n <= LINES; n++) {
                content.append(DropFolderTest.command("stop-" + n)).append('\n');
            }
            Files.writeString(inbox.resolve("stop.jsonl.tmp"), content);
            Path results = data.resolve("outbox/bridge/stop.jsonl.results.jsonl");

            try (RunningService first = RunningService.start(settings)) {
                Files.move(
                        inbox.resolve("stop.jsonl.tmp"), inbox.resolve("stop.jsonl"), StandardCopyOption.ATOMIC_MOVE);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> Files.exists(results)
                                && Files.readAllLines(results).size() >= 100);
            }

            assertThat(inbox.resolve("stop.jsonl")).exists();
            assertThat(data.resolve("failed/bridge/stop.jsonl")).doesNotExist();
            assertThat(data.resolve("processed/bridge/stop.jsonl")).doesNotExist();
            int resultsAtStop = Files.readAllLines(results).size();
            assertThat(resultsAtStop).isLessThan(LINES);

            try (RunningService second = RunningService.start(settings)) {
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> Files.exists(data.resolve("processed/bridge/stop.jsonl")));
            }

            List<String> lines = Files.readAllLines(results);
            Map<Integer, JsonNode> byLine = new HashMap<>();
            for (String line : lines) {
                JsonNode result = json.readTree(line);
                assertThat(byLine.put(result.path("line").asInt(), result))
                        .as("one result per line")
                        .isNull();
            }
            assertThat(byLine).hasSize(LINES);
            assertThat(byLine.values()).allSatisfy(result -> assertThat(
                            result.path("status").asText().equals("success")
                                    || result.path("code").asText().equals("OUTCOME_UNKNOWN"))
                    .as(result.toString())
                    .isTrue());
            Map<String, Long> requestsPerCall = cxone.server().getAllServeEvents().stream()
                    .filter(e -> e.getRequest().getUrl().matches(CxoneStub.BRIDGE_PATH_PATTERN))
                    .collect(Collectors.groupingBy(e -> e.getRequest().getUrl(), Collectors.counting()));
            assertThat(requestsPerCall.values()).as("no call bridged twice").allMatch(count -> count == 1);
        }
    }
}
