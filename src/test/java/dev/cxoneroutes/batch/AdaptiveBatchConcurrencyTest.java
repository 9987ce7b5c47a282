package dev.cxoneroutes.batch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.RunningService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The drop folder's adaptive concurrency (AdaptiveLimit) through the real route: the stub CXone
 * counts how many bridge calls it holds at once, and a 429 storm must bring that down from the
 * starting 16 to one or two, with the ceiling at 32; once CXone answers again it grows back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdaptiveBatchConcurrencyTest {

    static final int STUB_DELAY_MILLIS = 50;

    final ObjectMapper json = new ObjectMapper();
    final ConcurrentBridgeCalls bridgeCalls = new ConcurrentBridgeCalls();
    CxoneStub cxone;
    RunningService service;

    /** For each bridge call, in arrival order: the calls the stub held at that moment, itself included. */
    static final class ConcurrentBridgeCalls implements ServeEventListener {
        final AtomicInteger inFlight = new AtomicInteger();
        final List<Integer> atArrival = Collections.synchronizedList(new ArrayList<>());

        static boolean isBridge(ServeEvent event) {
            return event.getRequest().getUrl().endsWith("/bridge");
        }

        @Override
        public void beforeMatch(ServeEvent event, Parameters parameters) {
            if (isBridge(event)) {
                atArrival.add(inFlight.incrementAndGet());
            }
        }

        @Override
        public void afterComplete(ServeEvent event, Parameters parameters) {
            if (isBridge(event)) {
                inFlight.decrementAndGet();
            }
        }

        /** Takes the arrivals seen so far and starts a new list. */
        List<Integer> drain() {
            synchronized (atArrival) {
                List<Integer> seen = List.copyOf(atArrival);
                atArrival.clear();
                return seen;
            }
        }

        @Override
        public String getName() {
            return "concurrent-bridge-calls";
        }
    }

    @BeforeAll
    void start() {
        cxone = new CxoneStub(bridgeCalls);
        Map<String, String> settings = cxone.liveSettings();
        settings.put("batch.concurrency", "32");
        settings.put("batch.concurrency-start", "16");
        // One attempt: a 429 is the line's final answer at once, so the storm's file ends quickly.
        settings.put("cxone.max-attempts", "1");
        // A loaded build machine must not turn the calm file's answers into timeouts.
        settings.put("cxone.timeout-seconds", "10");
        service = RunningService.start(settings);
    }

    @AfterAll
    void stop() {
        service.close();
        cxone.close();
    }

    @Test
    void a_429_storm_brings_the_lines_at_cxone_down_to_one_and_answers_bring_them_back() throws Exception {
        cxone.stubBridge(aResponse().withStatus(429).withFixedDelay(STUB_DELAY_MILLIS));
        List<JsonNode> stormResults = runFile("storm.jsonl", 80);

        assertThat(stormResults).hasSize(80);
        assertThat(stormResults)
                .allSatisfy(r -> assertThat(r.path("code").asText()).isEqualTo("CXONE_UNAVAILABLE"));
        List<Integer> storm = bridgeCalls.drain();
        assertThat(storm).hasSize(80);
        // At first the starting limit's 16 lines are at CXone together ...
        assertThat(Collections.max(storm.subList(0, 16))).isGreaterThan(4);
        // ... after five rounds of 429s (16, 8, 4, 2, 1: 31 calls) one line at a time. Two at most:
        // the stub counts a call as done only after its answer has left.
        assertThat(Collections.max(storm.subList(40, 80))).isLessThanOrEqualTo(2);

        cxone.stubBridge(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(CxoneStub.BRIDGE_ANSWER)
                .withFixedDelay(STUB_DELAY_MILLIS));
        List<JsonNode> calmResults = runFile("calm.jsonl", 400);

        assertThat(calmResults).hasSize(400);
        assertThat(calmResults)
                .allSatisfy(r -> assertThat(r.path("status").asText()).isEqualTo("success"));
        List<Integer> calm = bridgeCalls.drain();
        // From one at a time, one more per round of answers: 1 + 2 + ... + 27 is 378 answers.
        assertThat(Collections.max(calm.subList(200, 400))).isGreaterThan(8);
    }

    private List<JsonNode> runFile(String name, int lines) throws IOException {
        String content = IntStream.rangeClosed(1, lines)
                .mapToObj(
                        n -> "{\"callId\":\"" + name.replace(".jsonl", "") + "-" + n
                                + "\",\"targets\":[{\"type\":\"phone\",\"value\":\"+15551234567\"}],\"direction\":\"transfer\"}")
                .collect(Collectors.joining("\n", "", "\n"));
        Path inbox = service.dataDirectory().resolve("inbox/bridge");
        Files.createDirectories(inbox);
        Path temporary = inbox.resolve(name + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);

        Path processed = service.dataDirectory().resolve("processed/bridge").resolve(name);
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(processed));
        List<JsonNode> results = new ArrayList<>();
        for (String line : Files.readAllLines(
                service.dataDirectory().resolve("outbox/bridge").resolve(name + ".results.jsonl"))) {
            results.add(json.readTree(line));
        }
        return results;
    }
}
