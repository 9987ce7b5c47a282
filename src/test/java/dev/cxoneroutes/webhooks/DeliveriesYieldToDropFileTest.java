package dev.cxoneroutes.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.cxoneroutes.testing.CtiReceiver;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.RunningService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * While a drop file runs, its events' webhook deliveries go one at a time
 * (CTI_WEBHOOK_CONCURRENCY_DURING_BATCH=1, CTI_WEBHOOK_CONCURRENCY=4), and every one of them is
 * delivered in the end.
 */
class DeliveriesYieldToDropFileTest {

    static final int LINES = 24;
    /** Each POST is held this long by the receiver, so that deliveries at once would overlap. */
    static final int RECEIVER_DELAY_MILLIS = 300;

    CxoneStub cxone;
    CtiReceiver receiver;
    RunningService service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        receiver.close();
        cxone.close();
    }

    @Test
    void deliveries_post_one_at_a_time_while_the_file_runs_and_all_arrive() throws Exception {
        cxone = new CxoneStub();
        // Slow bridges and two lines at once: the file runs for a few seconds.
        cxone.stubBridge(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(CxoneStub.BRIDGE_ANSWER)
                .withFixedDelay(400));
        receiver = new CtiReceiver().start();
        receiver.server()
                .stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(RECEIVER_DELAY_MILLIS)));
        Map<String, String> settings = cxone.liveSettings();
        settings.put("api.auth", "disabled");
        settings.put("batch.concurrency", "2");
        settings.put("batch.concurrency-start", "2");
        settings.put("cti.webhook-urls", receiver.url("/cti"));
        settings.put(
                "cti.webhook-secret", "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
        settings.put("cti.webhook-concurrency", "4");
        service = RunningService.start(settings);

        Path inbox = Files.createDirectories(service.dataDirectory().resolve("inbox/bridge"));
        Path temporary = inbox.resolve("paced.jsonl.tmp");
        Files.writeString(
                temporary,
                IntStream.rangeClosed(1, LINES)
                        .mapToObj(i -> "{\"callId\":\"paced-" + i
                                + "\",\"targets\":[{\"type\":\"phone\",\"value\":\"+15550000" + (100 + i)
                                + "\"}],\"direction\":\"transfer\"}")
                        .collect(Collectors.joining("\n", "", "\n")));
        long dropped = System.currentTimeMillis();
        Files.move(temporary, inbox.resolve("paced.jsonl"), StandardCopyOption.ATOMIC_MOVE);
        Path processed = service.dataDirectory().resolve("processed/bridge/paced.jsonl");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(processed));
        long finished = System.currentTimeMillis();

        // Every line's event and the batch_completed event reach the receiver, after the file if not during it.
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(receiver.server().getAllServeEvents()).hasSize(LINES + 1));
        List<ServeEvent> duringTheFile = receiver.server().getAllServeEvents().stream()
                .filter(event -> event.getRequest().getLoggedDate().getTime() >= dropped
                        && event.getRequest().getLoggedDate().getTime() < finished - RECEIVER_DELAY_MILLIS)
                .toList();
        assertThat(duringTheFile).as("deliveries made while the file ran").hasSizeGreaterThan(2);
        assertThat(mostAtOnce(duringTheFile))
                .as("deliveries at the receiver at once during the file")
                .isEqualTo(1);
    }

    /** The most deliveries whose times at the receiver overlapped by more than a third of its delay. */
    private static int mostAtOnce(List<ServeEvent> events) {
        long margin = RECEIVER_DELAY_MILLIS / 3;
        int most = 0;
        for (ServeEvent event : events) {
            long start = event.getRequest().getLoggedDate().getTime();
            long end = start + RECEIVER_DELAY_MILLIS;
            int atOnce = (int) events.stream()
                    .mapToLong(other -> other.getRequest().getLoggedDate().getTime())
                    .filter(otherStart ->
                            Math.min(end, otherStart + RECEIVER_DELAY_MILLIS) - Math.max(start, otherStart) > margin)
                    .count();
            most = Math.max(most, atOnce);
        }
        return most;
    }
}
