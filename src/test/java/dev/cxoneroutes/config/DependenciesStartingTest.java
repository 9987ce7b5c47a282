package dev.cxoneroutes.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.testing.RunningService;
import dev.cxoneroutes.testing.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The embedded broker and the sandbox start in the background while the routes are built
 * (BackgroundStart). Held up here for real: the broker cannot start while another process holds
 * its journal's lock file, as when a previous instance still runs on the same DATA_DIR. Meanwhile
 * readiness is DOWN and a request gets a 503 problem document (not a hang, a 404 or a 500); once
 * the broker can start, the service becomes ready by itself and answers.
 */
class DependenciesStartingTest {

    static final String HANDOFF = "{\"dtmf_sequence\":\"12#\",\"voice_history\":{},\"caller_id\":\"+15551234567\"}";
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final ObjectMapper json = new ObjectMapper();

    @Test
    void is_not_ready_and_answers_503_until_the_broker_has_started_then_serves() throws Exception {
        Path data = Files.createTempDirectory("cxone-routes-start");
        Path journal = Files.createDirectories(data.resolve("broker").resolve("journal"));
        int http = RunningService.freePort();
        int management = RunningService.freePort();
        URI ready = URI.create("http://127.0.0.1:" + management + "/observe/health/ready");
        URI handoff = URI.create("http://127.0.0.1:" + http + "/api/v1/ivr/handoff");
        Process service;
        try (FileChannel lockFile = FileChannel.open(
                        journal.resolve("server.lock"),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock held = lockFile.lock()) {
            service = ServiceProcess.start(
                    Map.of(
                            "HTTP_PORT", String.valueOf(http),
                            "MANAGEMENT_PORT", String.valueOf(management),
                            "JMS_EMBEDDED_PORT", String.valueOf(RunningService.freePort()),
                            "DATA_DIR", data.toString()),
                    Path.of("target", "dependencies-starting.log"));
            try {
                // Both ports listen while the broker waits for its lock.
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> send(HttpRequest.newBuilder(handoff)).isPresent()
                                && send(HttpRequest.newBuilder(ready)).isPresent());

                assertThat(send(HttpRequest.newBuilder(ready)).orElseThrow().statusCode())
                        .isEqualTo(503);
                HttpResponse<String> early =
                        send(post(handoff).header("X-Request-ID", "early-1")).orElseThrow();
                assertThat(early.statusCode()).isEqualTo(503);
                assertThat(early.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(early.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(early.headers().firstValue("X-Request-ID")).hasValue("early-1");
                JsonNode problem = json.readTree(early.body());
                assertThat(problem.path("status").asInt()).isEqualTo(503);
                assertThat(problem.path("code").asText()).isEqualTo("SERVICE_STARTING");
                assertThat(problem.path("request_id").asText()).isEqualTo("early-1");
                assertThat(send(HttpRequest.newBuilder(ready)).orElseThrow().statusCode())
                        .as("still not ready: the broker cannot start yet")
                        .isEqualTo(503);
                assertThat(service.isAlive()).isTrue();
            } catch (AssertionError | RuntimeException e) {
                service.destroyForcibly();
                throw e;
            }
        }
        try {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(
                            send(HttpRequest.newBuilder(ready)).orElseThrow().statusCode())
                    .isEqualTo(200));
            HttpResponse<String> answer = send(post(handoff)).orElseThrow();
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(json.readTree(answer.body()).path("status").asText()).isEqualTo("success");
            HttpResponse<String> unknownPath = send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + http + "/nothing-here")))
                    .orElseThrow();
            assertThat(unknownPath.statusCode())
                    .as("once started, an unknown path is a 404")
                    .isEqualTo(404);
        } finally {
            service.destroy();
            service.waitFor();
        }
    }

    private static HttpRequest.Builder post(URI uri) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(HANDOFF));
    }

    /** The answer, or empty while nothing listens on the port yet. */
    private static Optional<HttpResponse<String>> send(HttpRequest.Builder request) {
        try {
            return Optional.of(
                    HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException notListening) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
