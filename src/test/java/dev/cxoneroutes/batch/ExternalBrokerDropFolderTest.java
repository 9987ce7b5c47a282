package dev.cxoneroutes.batch;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cxoneroutes.testing.CtiReceiver;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.RunningService;
import dev.cxoneroutes.testing.StandaloneBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Drop files with JMS_BROKER_URL pointing at a broker in another JVM (issue 8): every result event
 * goes to the webhook outbox over TCP while the drop file's lines run at full concurrency.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalBrokerDropFolderTest {

    static final int FILES = 4;
    static final int LINES = 200;

    StandaloneBroker broker;
    CxoneStub cxone;
    CtiReceiver receiver;
    RunningService service;

    @BeforeAll
    void start() {
        broker = StandaloneBroker.start();
        cxone = new CxoneStub();
        receiver = new CtiReceiver().start();
        Map<String, String> settings = cxone.liveSettings();
        settings.put("jms.broker-url", broker.url());
        // Each line is counted at the stub exactly once: no timeout retries, however busy the machine.
        settings.put("cxone.timeout-seconds", "30");
        settings.put("cti.webhook-urls", receiver.url("/hooks/cti"));
        settings.put("cti.webhook-secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        service = RunningService.start(settings);
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
        receiver.close();
        cxone.close();
        broker.close();
    }

    @Test
    void four_files_dropped_at_once_all_finish_with_every_event_queued_on_the_external_broker() throws Exception {
        Path inbox = service.dataDirectory().resolve("inbox/bridge");
        Files.createDirectories(inbox);
        for (int file = 1; file <= FILES; file++) {
            int f = file;
            String content = IntStream.rangeClosed(1, LINES)
                            .mapToObj(n -> DropFolderTest.command("f" + f + "-" + n))
                            .collect(Collectors.joining("\n"))
                    + "\n";
            Path temporary = inbox.resolve("file-" + file + ".jsonl.tmp");
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
        }
        for (int file = 1; file <= FILES; file++) {
            Files.move(
                    inbox.resolve("file-" + file + ".jsonl.tmp"),
                    inbox.resolve("file-" + file + ".jsonl"),
                    StandardCopyOption.ATOMIC_MOVE);
        }

        Path processed = service.dataDirectory().resolve("processed/bridge");
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> IntStream.rangeClosed(1, FILES)
                        .allMatch(file -> Files.exists(processed.resolve("file-" + file + ".jsonl"))));

        for (int file = 1; file <= FILES; file++) {
            assertThat(resultLines("file-" + file + ".jsonl"))
                    .as("file " + file)
                    .hasSize(LINES);
        }
        assertThat(cxone.count(postRequestedFor(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN))))
                .isEqualTo(FILES * LINES);
        // Each line's event went through the webhook outbox on that broker to the receiver.
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(bridgeEventsReceived())
                        .as("bridge_attempt events POSTed to the receiver")
                        .isEqualTo(FILES * LINES));
        // The cause of the stall (issue 8): a TCP connection to the broker per result event.
        assertThat(broker.connectionsAccepted())
                .as("connections the service opened to the broker for %d events", FILES * LINES)
                .isLessThan(FILES * LINES / 10);
    }

    private long bridgeEventsReceived() {
        return receiver.server().getAllServeEvents().stream()
                .map(event -> CtiReceiver.event(event.getRequest()))
                .filter(event ->
                        "bridge_attempt".equals(event.path("event_type").asText()))
                .count();
    }

    private List<String> resultLines(String name) throws IOException {
        return Files.readAllLines(
                service.dataDirectory().resolve("outbox/bridge").resolve(name + ".results.jsonl"));
    }
}
