package dev.cxoneroutes.apidocs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.config.ServiceVersion;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.LiveService;
import dev.cxoneroutes.testing.LiveServiceTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every answer the service gives, success and each error code, matches the OpenAPI document's
 * response for its operation and status; the document is served without an API key; and every
 * curl example in the README and docs/ gets the answer its schema verdict predicts.
 */
class OpenApiConformanceTest extends LiveServiceTest {

    static final String HANDOFF = "/api/v1/ivr/handoff";
    static final String BRIDGE = "/api/v1/calls/call-123/bridge";
    static final String KEY = "test-key-1";
    static final String VALID_HANDOFF =
            "{\"dtmf_sequence\":\"12#\",\"voice_history\":{\"queue_name\":\"billing\"},\"caller_id\":\"+15551234567\"}";
    static final String VALID_BRIDGE =
            "{\"targets\":[{\"type\":\"phone\",\"value\":\"+15557654321\"}],\"direction\":\"outbound\"}";

    /** "METHOD template status" of every answer checked, to prove every declared status was provoked. */
    static final Set<String> SEEN = new ConcurrentSkipListSet<>();

    static final AtomicInteger TESTS_RUN = new AtomicInteger();

    // Two attempts of at most a second per CXone call, so a timeout is answered within seconds.
    @RegisterExtension
    static final LiveService live = new LiveService(settings -> {
        settings.put("cxone.max-attempts", "2");
        settings.put("cxone.timeout-seconds", "1");
    });

    final ObjectMapper json = new ObjectMapper();
    final OpenApiContract contract = OpenApiContract.load();

    @Override
    protected LiveService live() {
        return live;
    }

    @Test
    void serves_the_document_without_an_api_key_with_the_service_version() throws Exception {
        HttpResponse<String> response = service.get(service.url("/api/v1/openapi.json"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode served = json.readTree(response.body());
        assertThat(served.at("/info/version").asText()).isEqualTo(ServiceVersion.read());
        assertThat(served.path("paths")).isEqualTo(contract.document().path("paths"));
        conforms("GET", "/api/v1/openapi.json", response);
    }

    @Test
    void serves_the_docs_page_and_its_files_without_an_api_key_and_nothing_else() {
        HttpResponse<String> page = service.get(service.url("/api/v1/docs"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("docs/swagger-ui-bundle.js").contains("openapi.json");
        conforms("GET", "/api/v1/docs", page);

        HttpResponse<String> slash = service.get(service.url("/api/v1/docs/"));
        assertThat(slash.statusCode()).isEqualTo(302);
        assertThat(slash.headers().firstValue("Location")).hasValue("../docs");

        HttpResponse<String> bundle = service.get(service.url("/api/v1/docs/swagger-ui-bundle.js"));
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(bundle.body()).contains("SwaggerUIBundle");
        assertThat(service.get(service.url("/api/v1/docs/swagger-ui.css")).statusCode())
                .isEqualTo(200);

        assertThat(service.get(service.url("/api/v1/docs/index.html")).statusCode())
                .isEqualTo(404);
        assertThat(service.get(service.url("/api/v1/docs/..%2F..%2Fapplication.properties"))
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void handoff_answers_match_the_document() throws Exception {
        conforms("POST", HANDOFF, 200, service.postJson(HANDOFF, VALID_HANDOFF, "X-API-Key", KEY));
        conforms(
                "POST",
                HANDOFF,
                200,
                service.post(
                        HANDOFF,
                        CurlExample.FORM,
                        "dtmf_sequence=12%23&caller_id=%2B15551234567&voice_history=%7B%22queue_name%22%3A%22billing%22%7D",
                        "X-API-Key",
                        KEY,
                        "Accept",
                        "application/json"));
        service.postJson(HANDOFF, VALID_HANDOFF, "X-API-Key", KEY, "Idempotency-Key", "conformance-1");
        HttpResponse<String> replayed =
                service.postJson(HANDOFF, VALID_HANDOFF, "X-API-Key", KEY, "Idempotency-Key", "conformance-1");
        assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        conforms("POST", HANDOFF, 200, replayed);

        problem("POST", HANDOFF, 400, "MALFORMED_JSON", service.postJson(HANDOFF, "{not json", "X-API-Key", KEY));
        problem(
                "POST",
                HANDOFF,
                400,
                "INVALID_REQUEST",
                service.postJson(
                        HANDOFF, "{\"dtmf_sequence\":\"12x\",\"voice_history\":\"billing\"}", "X-API-Key", KEY));
        problem("POST", HANDOFF, 401, "UNAUTHORIZED", service.postJson(HANDOFF, VALID_HANDOFF));
        problem(
                "POST",
                HANDOFF,
                413,
                "PAYLOAD_TOO_LARGE",
                service.postJson(HANDOFF, "{\"pad\":\"" + "x".repeat(70_000) + "\"}", "X-API-Key", KEY));
        problem(
                "POST",
                HANDOFF,
                415,
                "UNSUPPORTED_MEDIA_TYPE",
                service.post(HANDOFF, "text/plain", VALID_HANDOFF, "X-API-Key", KEY));
        // The Studio REST action accepts only application/json: the same problem, served as that.
        HttpResponse<String> asJson =
                service.postJson(HANDOFF, "{not json", "X-API-Key", KEY, "Accept", "application/json");
        assertThat(asJson.headers().firstValue("Content-Type")).hasValue("application/json");
        problem("POST", HANDOFF, 400, "MALFORMED_JSON", asJson);

        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .willReturn(aResponse()
                                .withStatus(422)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"message\":\"queue unknown\"}")));
        problem("POST", HANDOFF, 502, "CXONE_REJECTED", service.postJson(HANDOFF, VALID_HANDOFF, "X-API-Key", KEY));
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .willReturn(aResponse().withStatus(503)));
        HttpResponse<String> unavailable = service.postJson(HANDOFF, VALID_HANDOFF, "X-API-Key", KEY);
        problem("POST", HANDOFF, 503, "CXONE_UNAVAILABLE", unavailable);
        assertThat(unavailable.headers().firstValue("Retry-After")).isPresent();
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .willReturn(aResponse()
                                .withStatus(201)
                                .withFixedDelay(1_500)
                                .withBody("{}")));
        problem("POST", HANDOFF, 504, "CXONE_TIMEOUT", service.postJson(HANDOFF, VALID_HANDOFF, "X-API-Key", KEY));
    }

    @Test
    void bridge_answers_match_the_document() {
        conforms("POST", BRIDGE, 200, service.postJson(BRIDGE, VALID_BRIDGE, "X-API-Key", KEY));
        problem("POST", BRIDGE, 400, "MALFORMED_JSON", service.postJson(BRIDGE, "[1,2]", "X-API-Key", KEY));
        String nineTargets = "{\"direction\":\"outbound\",\"targets\":["
                + String.join(",", java.util.Collections.nCopies(9, "{\"type\":\"phone\",\"value\":\"+15550000001\"}"))
                + "]}";
        problem("POST", BRIDGE, 400, "INVALID_REQUEST", service.postJson(BRIDGE, nineTargets, "X-API-Key", KEY));
        problem(
                "POST",
                "/api/v1/calls/call.with.dots/bridge",
                400,
                "INVALID_REQUEST",
                service.postJson("/api/v1/calls/call.with.dots/bridge", VALID_BRIDGE, "X-API-Key", KEY));
        problem("POST", BRIDGE, 401, "UNAUTHORIZED", service.postJson(BRIDGE, VALID_BRIDGE, "X-API-Key", "wrong"));
        problem(
                "POST",
                BRIDGE,
                413,
                "PAYLOAD_TOO_LARGE",
                service.postJson(BRIDGE, "{\"pad\":\"" + "x".repeat(70_000) + "\"}", "X-API-Key", KEY));
        problem(
                "POST",
                BRIDGE,
                415,
                "UNSUPPORTED_MEDIA_TYPE",
                service.post(BRIDGE, CurlExample.FORM, "targets=x", "X-API-Key", KEY));

        cxone.stubBridge(aResponse().withStatus(403).withBody("{\"message\":\"missing scope\"}"));
        problem("POST", BRIDGE, 502, "CXONE_FORBIDDEN", service.postJson(BRIDGE, VALID_BRIDGE, "X-API-Key", KEY));
        cxone.stubBridge(aResponse().withStatus(404).withBody("{\"message\":\"call not found\"}"));
        problem("POST", BRIDGE, 502, "CXONE_REJECTED", service.postJson(BRIDGE, VALID_BRIDGE, "X-API-Key", KEY));
        cxone.stubBridge(aResponse().withStatus(429).withHeader("Retry-After", "1"));
        problem("POST", BRIDGE, 503, "CXONE_UNAVAILABLE", service.postJson(BRIDGE, VALID_BRIDGE, "X-API-Key", KEY));
        cxone.stubBridge(aResponse().withStatus(200).withFixedDelay(1_500).withBody("{}"));
        problem("POST", BRIDGE, 504, "CXONE_TIMEOUT", service.postJson(BRIDGE, VALID_BRIDGE, "X-API-Key", KEY));
    }

    @Test
    void a_refused_token_is_a_bad_gateway_that_matches_the_document() {
        cxone.stubBridge(aResponse().withStatus(401));
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.TOKEN_PATH))
                        .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid_client\"}")));

        problem("POST", BRIDGE, 502, "CXONE_AUTH_FAILED", service.postJson(BRIDGE, VALID_BRIDGE, "X-API-Key", KEY));
    }

    @Test
    void monitoring_answers_match_the_document() {
        service.postJson(BRIDGE, VALID_BRIDGE, "X-API-Key", KEY);
        conforms(
                "GET",
                "/api/v1/metrics/summary",
                200,
                service.get(service.url("/api/v1/metrics/summary"), "X-API-Key", KEY));
        problem(
                "GET",
                "/api/v1/metrics/summary",
                401,
                "UNAUTHORIZED",
                service.get(service.url("/api/v1/metrics/summary")));
        conforms("GET", "/api/v1/batches", 200, service.get(service.url("/api/v1/batches"), "X-API-Key", KEY));
        problem("GET", "/api/v1/batches", 401, "UNAUTHORIZED", service.get(service.url("/api/v1/batches")));
    }

    /**
     * The README's and docs/'s curl examples, sent as written (plus the API key): a request the
     * document calls valid is served (200), one it calls invalid gets 400 INVALID_REQUEST, and the
     * answer matches the document.
     */
    @Test
    void every_curl_example_in_the_documentation_gets_the_answer_the_document_predicts() throws IOException {
        List<CurlExample> examples = new ArrayList<>(CurlExample.in(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            for (Path doc :
                    docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                examples.addAll(CurlExample.in(doc));
            }
        }
        assertThat(examples).extracting(CurlExample::path).contains(HANDOFF, BRIDGE, "/api/v1/batches");
        assertThat(examples)
                .filteredOn(e -> CurlExample.FORM.equals(e.contentType()) && e.body() != null)
                .isNotEmpty();

        for (CurlExample example : examples) {
            List<String> violations = example.body() == null
                    ? List.of()
                    : contract.requestViolations(
                            example.method(), example.path(), example.contentType(), example.body());
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url(example.path())))
                    .timeout(Duration.ofSeconds(30))
                    .method(
                            example.method(),
                            example.body() == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(example.body()))
                    .header("X-API-Key", KEY);
            example.headers().forEach(request::header);
            if (example.body() != null
                    && example.headers().keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
                request.header("Content-Type", example.contentType());
            }
            HttpResponse<String> response = dev.cxoneroutes.testing.RunningService.send(request.build());

            assertThat(response.statusCode())
                    .as(example.source() + " " + violations + " → " + response.body())
                    .isEqualTo(violations.isEmpty() ? 200 : 400);
            if (!violations.isEmpty()) {
                assertThat(json.readTree(response.body()).path("code").asText()).isEqualTo("INVALID_REQUEST");
            }
            conforms(example.method(), example.path(), response);
        }
    }

    /** The checker itself: answers that break the document are caught. */
    @Test
    void answers_that_break_the_document_are_caught() {
        HttpResponse<String> real = service.postJson(HANDOFF, VALID_HANDOFF, "X-API-Key", KEY);
        assertThat(contract.responseViolations(
                        "POST", HANDOFF, withBody(real, real.body().replace("session_url", "url"))))
                .isNotEmpty();
        HttpResponse<String> invalid = service.postJson(HANDOFF, "{}", "X-API-Key", KEY);
        assertThat(contract.responseViolations(
                        "POST", HANDOFF, withBody(invalid, invalid.body().replace("INVALID_REQUEST", "CXONE_TIMEOUT"))))
                .isNotEmpty();
        assertThat(contract.responseViolations("POST", HANDOFF, withStatus(invalid, 418)))
                .isNotEmpty();
    }

    /** Every status the document declares for the POST operations was provoked and checked (500: nothing provokes it). */
    @AfterAll
    static void every_declared_status_was_seen() {
        OpenApiContract contract = OpenApiContract.load();
        Set<String> declared = new TreeSet<>();
        for (String template : List.of("/api/v1/ivr/handoff", "/api/v1/calls/{callId}/bridge")) {
            for (Iterator<String> it = contract.operation("POST", template)
                            .path("responses")
                            .fieldNames();
                    it.hasNext(); ) {
                String status = it.next();
                if (!status.equals("500")) {
                    declared.add("POST " + template + " " + status);
                }
            }
        }
        long tests = Arrays.stream(OpenApiConformanceTest.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Test.class))
                .count();
        if (TESTS_RUN.get() == tests) { // only when the whole class ran, not a single test picked out
            assertThat(SEEN).containsAll(declared);
        }
    }

    @AfterEach
    void countTest() {
        TESTS_RUN.incrementAndGet();
    }

    private void problem(String method, String path, int status, String code, HttpResponse<String> response) {
        conforms(method, path, status, response);
        try {
            assertThat(json.readTree(response.body()).path("code").asText()).isEqualTo(code);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void conforms(String method, String path, int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        conforms(method, path, response);
    }

    private void conforms(String method, String path, HttpResponse<String> response) {
        assertThat(contract.responseViolations(method, path, response))
                .as(method + " " + path + " → " + response.statusCode() + " " + response.body())
                .isEmpty();
        SEEN.add(method + " " + contract.template(path).orElseThrow().getKey() + " " + response.statusCode());
    }

    private static HttpResponse<String> withBody(HttpResponse<String> response, String body) {
        return new Altered(response, response.statusCode(), body);
    }

    private static HttpResponse<String> withStatus(HttpResponse<String> response, int status) {
        return new Altered(response, status, response.body());
    }

    /** A real answer with one thing changed. */
    private record Altered(HttpResponse<String> real, int statusCode, String body) implements HttpResponse<String> {
        @Override
        public HttpRequest request() {
            return real.request();
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return real.headers();
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return real.sslSession();
        }

        @Override
        public URI uri() {
            return real.uri();
        }

        @Override
        public java.net.http.HttpClient.Version version() {
            return real.version();
        }
    }
}
