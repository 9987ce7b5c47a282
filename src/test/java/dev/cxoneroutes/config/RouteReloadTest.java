package dev.cxoneroutes.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.RunningService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.spi.ResourceReloadStrategy;
import org.apache.camel.support.ResourceReloadStrategySupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Integration teams edit routes/*.yaml on a running service: new routes serve within seconds, and a
 * broken edit leaves everything else serving. Runs on a copy of routes/ so the repository stays clean.
 */
class RouteReloadTest {

    static final String HANDOFF = "{\"dtmf_sequence\":\"1\",\"voice_history\":{},\"caller_id\":\"x\"}";

    Path routes;
    CxoneStub cxone;
    RunningService service;

    @BeforeEach
    void start() throws IOException {
        routes = Files.createTempDirectory("routes");
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        cxone = new CxoneStub();
        Map<String, String> settings = cxone.liveSettings();
        settings.put("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml");
        settings.put("camel.main.routes-reload-directory", routes.toString());
        service = RunningService.start(settings);
    }

    @AfterEach
    void stop() {
        service.close();
        cxone.close();
    }

    @Test
    void a_route_file_added_at_runtime_serves_requests_within_seconds() throws IOException {
        assertThat(service.get(service.url("/api/v1/ping")).statusCode()).isEqualTo(404);

        Files.writeString(
                routes.resolve("ping.camel.yaml"),
                """
                - route:
                    id: ping-http
                    from:
                      uri: platform-http:/api/v1/ping
                      steps:
                        - setBody: {constant: pong}
                """);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                        service.get(service.url("/api/v1/ping")).body())
                .isEqualTo("pong"));
    }

    @Test
    void a_broken_edit_leaves_traffic_flowing_on_the_last_good_routes() throws IOException {
        Path handoff = routes.resolve("ivr-handoff.camel.yaml");
        String good = Files.readString(handoff);

        Files.writeString(
                handoff, good.replace("steps:", "steps: [oops").replace("id: handoff-http", "id handoff-http"));

        // Camel's reload strategy counts failed reloads and keeps the last error (also visible over JMX).
        ResourceReloadStrategySupport reloads =
                (ResourceReloadStrategySupport) service.context().hasService(ResourceReloadStrategy.class);
        await().atMost(Duration.ofSeconds(15)).until(() -> reloads.getFailedCounter() > 0);
        assertThat(reloads.getLastError()).hasMessageContaining("ivr-handoff.camel.yaml");

        assertThat(service.postJson("/api/v1/ivr/handoff", HANDOFF, "X-API-Key", "test-key-1")
                        .statusCode())
                .isEqualTo(200);
        assertThat(service.context().getRoute("handoff-http")).isNotNull();
        // Readiness can still be settling right after start (the drop folder's first poll); what
        // matters is that the broken file does not keep the service DOWN.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            var health = service.get(service.managementUrl("/observe/health?data=true"));
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        });
    }
}
