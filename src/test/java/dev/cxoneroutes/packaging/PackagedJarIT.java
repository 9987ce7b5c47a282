package dev.cxoneroutes.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.testing.RunningService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The README's run command: the packaged jar, started from the repository root with no settings, serves a handoff. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagedJarIT {

    final ObjectMapper json = new ObjectMapper();
    final int httpPort = RunningService.freePort();
    final int managementPort = RunningService.freePort();
    Process service;
    Path output;

    @BeforeAll
    void startJar() throws IOException {
        output = Files.createTempFile("cxone-routes-jar", ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:SharedArchiveFile=target/cxone-routes.jsa",
                        "-XX:TieredStopAtLevel=1",
                        "-Xmx256m",
                        "-jar",
                        "target/cxone-routes.jar")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("CXONE_") || name.startsWith("API_") || name.startsWith("CTI_"));
        env.put("HTTP_PORT", String.valueOf(httpPort));
        env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("JMS_EMBEDDED_PORT", String.valueOf(RunningService.freePort()));
        env.put("DATA_DIR", Files.createTempDirectory("cxone-routes-jar-data").toString());
        service = builder.start();
    }

    @AfterAll
    void stop() throws InterruptedException {
        service.destroy();
        service.waitFor();
    }

    @Test
    void starts_in_sandbox_mode_and_answers_a_handoff_with_a_session_url() throws Exception {
        awaitReady();

        HttpResponse<String> response = RunningService.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/ivr/handoff"))
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"dtmf_sequence\":\"12#\",\"voice_history\":{\"queue_name\":\"billing\"},\"caller_id\":\"+15551234567\"}"))
                        .build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("success");
        assertThat(body.path("session_url").asText()).startsWith("https://");
        assertThat(body.path("guest_id").asText()).isNotBlank();
        assertThat(log()).contains("SANDBOX MODE").contains("curl");
    }

    /** The shaded jar keeps the webjar's files and the OpenAPI document. */
    @Test
    void serves_the_api_description_and_swagger_ui_from_the_jar() {
        awaitReady();

        HttpResponse<String> document = get("/api/v1/openapi.json");
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body()).contains("/api/v1/calls/{callId}/bridge");
        HttpResponse<String> bundle = get("/api/v1/docs/swagger-ui-bundle.js");
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body()).contains("SwaggerUIBundle");
        assertThat(get("/api/v1/docs/swagger-ui.css").statusCode()).isEqualTo(200);
    }

    /**
     * The class-data archive the build made beside the jar fits it: with {@code -Xshare:on} the JVM
     * refuses to start when it cannot use the archive (missing, made for another jar or JVM), where
     * the README's launch would silently start without it, twice as slowly.
     */
    @Test
    void the_class_data_archive_fits_the_packaged_jar() throws Exception {
        Process check = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xshare:on",
                        "-XX:SharedArchiveFile=target/cxone-routes.jsa",
                        "-Xlog:class+load=info",
                        "-jar",
                        "target/cxone-routes.jar",
                        "check",
                        "routes/")
                .redirectErrorStream(true)
                .start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("dev.cxoneroutes.Application source: shared objects file")
                .contains("org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader source: shared objects file");
    }

    /** The route check of the README, run from the jar: passes on routes/, names file and line on a broken copy. */
    @Test
    void checks_route_files_without_starting_the_service() throws Exception {
        Path broken = Files.createTempDirectory("routes-broken");
        Files.writeString(
                broken.resolve("broken.camel.yaml"),
                """
                - route:
                    id: broken
                    routeConfigurationId: api-errors
                    from:
                      uri: direct:broken
                      steps:
                        - bean: {ref: answerWritr, method: write}
                """);

        Process good = check("routes/");
        Process bad = check(broken.toString());

        assertThat(good.exitValue()).isZero();
        assertThat(new String(good.getInputStream().readAllBytes())).startsWith("OK: ");
        assertThat(bad.exitValue()).isEqualTo(1);
        assertThat(new String(bad.getInputStream().readAllBytes()))
                .contains(broken.resolve("broken.camel.yaml") + ":7: bean 'answerWritr' is not bound by the service");
    }

    private Process check(String routes) throws IOException, InterruptedException {
        Process check = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        "target/cxone-routes.jar",
                        "check",
                        routes)
                .redirectErrorStream(true)
                .start();
        assertThat(check.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return check;
    }

    private HttpResponse<String> get(String path) {
        return RunningService.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .GET()
                .build());
    }

    private void awaitReady() {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    assertThat(service.isAlive()).as(this::log).isTrue();
                    return ready();
                });
    }

    private boolean ready() {
        try {
            return RunningService.send(HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready"))
                                    .GET()
                                    .build())
                            .statusCode()
                    == 200;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    private String log() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
