package dev.cxoneroutes.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cxoneroutes.testing.CtiReceiver;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.RunningService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged jar, started the way operators start it (its own log4j2.xml, every level that ships
 * on), in live mode with a distinctive value in every secret setting, driven through its entry
 * points and stopped: from the first line to the last, its output holds none of them. Camel's
 * startup summaries print every setting they were given, so this is where a new secret setting
 * that nobody masked shows up.
 */
class SecretsNeverLoggedIT {

    static final byte[] SIGNING_KEY = "zq-webhook-signing-key-4417".getBytes(StandardCharsets.UTF_8);
    static final byte[] OLD_SIGNING_KEY = "zq-old-webhook-signing-key-9921".getBytes(StandardCharsets.UTF_8);
    static final String SIGNING_KEY_BASE64 = Base64.getEncoder().encodeToString(SIGNING_KEY);
    static final String OLD_SIGNING_KEY_BASE64 = Base64.getEncoder().encodeToString(OLD_SIGNING_KEY);
    static final String ACCESS_TOKEN = "zq-access-token-5531";

    /** Every secret setting, by environment variable, each with a value found nowhere else. */
    static final Map<String, String> SECRETS = secrets();

    static Map<String, String> secrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("CXONE_CLIENT_SECRET", "zq-client-secret-7301");
        secrets.put("CXONE_ACCESS_KEY_SECRET", "zq-access-key-secret-2290");
        secrets.put("API_KEYS", "zq-api-key-one-8812,zq-api-key-two-6604");
        secrets.put("CTI_WEBHOOK_SECRET", "whsec_" + SIGNING_KEY_BASE64 + ",whsec_" + OLD_SIGNING_KEY_BASE64);
        secrets.put("STATE_STORE_PASSWORD", "zq-state-store-password-1187");
        return secrets;
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void no_secret_setting_reaches_the_log_from_start_to_stop(String logFormat) throws Exception {
        try (CxoneStub cxone = new CxoneStub();
                CtiReceiver receiver = new CtiReceiver().start()) {
            cxone.stubToken(ACCESS_TOKEN, 3600);
            int httpPort = RunningService.freePort();
            int managementPort = RunningService.freePort();
            Path output = Files.createTempFile("cxone-routes-secrets", ".log");
            ProcessBuilder builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-jar",
                            "target/cxone-routes.jar")
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            Map<String, String> env = builder.environment();
            env.keySet()
                    .removeIf(name -> name.startsWith("CXONE_")
                            || name.startsWith("API_")
                            || name.startsWith("CTI_")
                            || name.startsWith("STATE_STORE_"));
            env.put("LOG_FORMAT", logFormat);
            env.put("CXONE_BASE_URL", cxone.baseUrl());
            env.put("CXONE_CLIENT_ID", "zq-client-id");
            env.put("CXONE_AUTH_GRANT", "password");
            env.put("CXONE_ACCESS_KEY_ID", "zq-access-key-id");
            env.put("CTI_WEBHOOK_URLS", receiver.url("/cti"));
            env.putAll(SECRETS);
            env.put("HTTP_PORT", String.valueOf(httpPort));
            env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
            env.put("JMS_EMBEDDED_PORT", String.valueOf(RunningService.freePort()));
            env.put(
                    "DATA_DIR",
                    Files.createTempDirectory("cxone-routes-secrets-data").toString());
            Process service = builder.start();
            try {
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            assertThat(service.isAlive()).as(() -> read(output)).isTrue();
                            return get("http://127.0.0.1:" + managementPort + "/observe/health/ready") == 200;
                        });
                String api = "http://127.0.0.1:" + httpPort;
                assertThat(post(
                                api + "/api/v1/ivr/handoff",
                                "{\"dtmf_sequence\":\"12#\",\"voice_history\":{},\"caller_id\":\"+15551234567\"}",
                                "zq-api-key-one-8812"))
                        .isEqualTo(200);
                assertThat(post(
                                api + "/api/v1/calls/call-7/bridge",
                                "{\"targets\":[{\"type\":\"phone\",\"value\":\"+15557654321\"}],\"direction\":\"outbound\"}",
                                "zq-api-key-two-6604"))
                        .isEqualTo(200);
                // A wrong key is refused without being echoed.
                assertThat(post(api + "/api/v1/ivr/handoff", "{}", "zq-api-key-one-8812x"))
                        .isEqualTo(401);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> receiver.server().getAllServeEvents().size() >= 3);
            } finally {
                service.destroy(); // SIGTERM: the graceful stop's lines are read too
                assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }

            String log = read(output);
            // The capture saw the service's whole life, Camel's settings summary included.
            assertThat(log).contains("Property-placeholders summary").contains("cxone.client-secret");
            assertThat(log).contains("Request answered");
            List<String> forbidden = new java.util.ArrayList<>();
            SECRETS.values().forEach(value -> forbidden.addAll(List.of(value.split(","))));
            forbidden.addAll(List.of(
                    SIGNING_KEY_BASE64,
                    OLD_SIGNING_KEY_BASE64,
                    new String(SIGNING_KEY, StandardCharsets.UTF_8),
                    new String(OLD_SIGNING_KEY, StandardCharsets.UTF_8),
                    ACCESS_TOKEN));
            for (String secret : forbidden) {
                assertThat(log).as("the %s log", logFormat).doesNotContain(secret);
            }
        }
    }

    private static int get(String url) {
        try {
            return RunningService.send(
                            HttpRequest.newBuilder(URI.create(url)).GET().build())
                    .statusCode();
        } catch (RuntimeException notYet) {
            return 0;
        }
    }

    private static int post(String url, String body, String apiKey) {
        return RunningService.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .header("X-API-Key", apiKey)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build())
                .statusCode();
    }

    private static String read(Path output) {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
