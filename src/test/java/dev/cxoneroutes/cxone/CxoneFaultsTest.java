package dev.cxoneroutes.cxone;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.cxoneroutes.testing.AuditTrail;
import dev.cxoneroutes.testing.CxoneOperation;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.LiveService;
import dev.cxoneroutes.testing.PrometheusText;
import dev.cxoneroutes.testing.RunningService;
import java.net.http.HttpResponse;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way CXone's two operations (guest session, bridge) can fail, each checked from outside:
 * the caller's status and problem code, how many attempts CXone saw, the request's audit line and
 * {@code cxone_retries_total}. docs/cxone-faults.md is the table of these cases.
 */
class CxoneFaultsTest {

    /** Small on purpose: three attempts, one-second waits and two-second timeouts keep the whole class quick. */
    static final int MAX_ATTEMPTS = 3;

    static final String[] RETRY_REASONS = {"rate_limited", "server_error", "timeout", "connection", "token_refresh"};
    static final String GUEST_WITHOUT_URL = "{\"id\":\"guest-9\",\"state\":\"new\",\"channel\":\"webMessaging\"}";
    static final String GUEST_WITHOUT_ID =
            "{\"url\":\"https://chat.example/s/x\",\"state\":\"new\",\"channel\":\"webMessaging\"}";

    final ObjectMapper json = new ObjectMapper();

    @RegisterExtension
    static final LiveService live = new LiveService(CxoneFaultsTest::smallLimits);

    /** CXone's API at a port where nothing listens; the token endpoint stays on the stub. */
    @RegisterExtension
    static final LiveService unreachable = new LiveService(settings -> {
        smallLimits(settings);
        settings.put("cxone.token-url", settings.get("cxone.base-url") + CxoneStub.TOKEN_PATH);
        settings.put("cxone.base-url", "http://127.0.0.1:" + RunningService.freePort());
    });

    static void smallLimits(java.util.Map<String, String> settings) {
        settings.put("cxone.max-attempts", String.valueOf(MAX_ATTEMPTS));
        settings.put("cxone.timeout-seconds", "2");
        settings.put("cxone.max-backoff-seconds", "1");
        settings.put("cxone.initial-backoff-millis", "50");
    }

    /**
     * The first calls of a fresh service pay for lazy set-up (HTTP clients, connection pools), which
     * can exceed the short timeout here: they are made once before any case is judged.
     */
    @BeforeAll
    static void warmUp() {
        for (CxoneOperation operation : CxoneOperation.values()) {
            operation.call(live.service(), "warm-up-" + operation);
            operation.call(unreachable.service(), "warm-up-" + operation);
        }
    }

    /** What the caller, CXone, the audit file and the metrics must show after one request. */
    record Expected(int status, String code, int attempts, String retryReason, int retries) {

        static Expected answered(int attempts) {
            return new Expected(200, null, attempts, null, 0);
        }

        static Expected failed(int status, String code, int attempts, String retryReason) {
            return new Expected(status, code, attempts, retryReason, retryReason == null ? 0 : attempts - 1);
        }
    }

    @FunctionalInterface
    interface Arrangement {
        void arrange(CxoneStub cxone, CxoneOperation operation, RunningService service);
    }

    record Case(String fault, CxoneOperation operation, Arrangement arrangement, Expected expected) {
        @Override
        public String toString() {
            return operation + ": " + fault;
        }
    }

    static Stream<Case> faults() {
        List<Case> cases = new ArrayList<>();
        for (CxoneOperation op : CxoneOperation.values()) {
            Expected unavailable = Expected.failed(503, "CXONE_UNAVAILABLE", MAX_ATTEMPTS, "connection");
            cases.add(new Case("connection reset", op, answering(fault(Fault.CONNECTION_RESET_BY_PEER)), unavailable));
            cases.add(new Case("empty response", op, answering(fault(Fault.EMPTY_RESPONSE)), unavailable));
            cases.add(new Case(
                    "malformed chunked body", op, answering(fault(Fault.MALFORMED_RESPONSE_CHUNK)), unavailable));
            cases.add(new Case(
                    "random data, then close", op, answering(fault(Fault.RANDOM_DATA_THEN_CLOSE)), unavailable));
            cases.add(new Case(
                    "200 with a body that is not JSON",
                    op,
                    answering(aResponse()
                            .withStatus(200)
                            .withHeader("Content-Type", "text/html")
                            .withBody("<html><body>Service temporarily moved</body></html>")),
                    Expected.failed(502, "CXONE_BAD_RESPONSE", 1, null)));
            cases.add(new Case(
                    "slower than CXONE_TIMEOUT_SECONDS",
                    op,
                    answering(aResponse().withStatus(200).withFixedDelay(2_500)),
                    Expected.failed(504, "CXONE_TIMEOUT", MAX_ATTEMPTS, "timeout")));
            Expected rateLimited = Expected.failed(503, "CXONE_UNAVAILABLE", MAX_ATTEMPTS, "rate_limited");
            cases.add(new Case(
                    "429 storm, no Retry-After", op, answering(aResponse().withStatus(429)), rateLimited));
            for (String retryAfter : List.of("1", "soon", "-5", "999999999", "99999999999999999999")) {
                cases.add(new Case(
                        "429 storm, Retry-After: " + retryAfter,
                        op,
                        answering(aResponse().withStatus(429).withHeader("Retry-After", retryAfter)),
                        rateLimited));
            }
            cases.add(new Case(
                    "429 storm, Retry-After as an HTTP date",
                    op,
                    (cxone, operation, service) -> cxone.server()
                            .stubFor(operation
                                    .stub()
                                    .willReturn(aResponse()
                                            .withStatus(429)
                                            .withHeader(
                                                    "Retry-After",
                                                    DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                                            ZonedDateTime.now(ZoneOffset.UTC)
                                                                    .plusSeconds(1))))),
                    rateLimited));
            cases.add(new Case(
                    "503 storm",
                    op,
                    answering(aResponse().withStatus(503)),
                    Expected.failed(503, "CXONE_UNAVAILABLE", MAX_ATTEMPTS, "server_error")));
            cases.add(new Case(
                    "401 once: the token expired early",
                    op,
                    CxoneFaultsTest::tokenRevokedMidFlight,
                    new Expected(200, null, 2, "token_refresh", 1)));
            cases.add(new Case(
                    "401 twice",
                    op,
                    answering(aResponse().withStatus(401)),
                    new Expected(502, "CXONE_AUTH_FAILED", 2, "token_refresh", 1)));
        }
        cases.add(new Case(
                "200 without id",
                CxoneOperation.HANDOFF,
                answering(json(GUEST_WITHOUT_ID)),
                Expected.failed(502, "CXONE_BAD_RESPONSE", 1, null)));
        cases.add(new Case(
                "200 without url",
                CxoneOperation.HANDOFF,
                answering(json(GUEST_WITHOUT_URL)),
                Expected.failed(502, "CXONE_BAD_RESPONSE", 1, null)));
        cases.add(new Case(
                "200 with a JSON array",
                CxoneOperation.HANDOFF,
                answering(json("[]")),
                Expected.failed(502, "CXONE_BAD_RESPONSE", 1, null)));
        cases.add(new Case(
                "200 with an empty JSON object (the bridge needs no fields)",
                CxoneOperation.BRIDGE,
                answering(json("{}")),
                Expected.answered(1)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void maps_every_cxone_fault(Case fault) throws Exception {
        RunningService service = live.service();
        CxoneStub cxone = live.cxone();
        fault.arrangement().arrange(cxone, fault.operation(), service);

        assertOutcome(
                service,
                cxone,
                fault.operation(),
                fault.expected(),
                fault.expected().attempts());
    }

    @ParameterizedTest
    @EnumSource(CxoneOperation.class)
    void maps_connection_refused(CxoneOperation operation) throws Exception {
        Expected expected = Expected.failed(503, "CXONE_UNAVAILABLE", MAX_ATTEMPTS, "connection");

        // Nothing listens, so CXone sees nothing; the service still made every attempt.
        assertOutcome(unreachable.service(), unreachable.cxone(), operation, expected, 0);
    }

    private void assertOutcome(
            RunningService service, CxoneStub cxone, CxoneOperation operation, Expected expected, int cxoneSaw)
            throws Exception {
        String requestId = "fault-" + UUID.randomUUID();
        PrometheusText before = scrape(service);

        HttpResponse<String> response = operation.call(service, requestId);

        JsonNode answer = json.readTree(response.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected.status());
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        if (expected.code() == null) {
            assertThat(answer.path("status").asText()).isEqualTo("success");
            if (operation == CxoneOperation.HANDOFF) {
                assertThat(answer.path("guest_id").isTextual()).isTrue();
                assertThat(answer.path("session_url").isTextual()).isTrue();
            }
        } else {
            assertThat(answer.path("code").asText()).isEqualTo(expected.code());
            assertThat(answer.path("request_id").asText()).isEqualTo(requestId);
        }
        if (expected.status() == 503) {
            // CXONE_MAX_BACKOFF_SECONDS (1 s here) caps the wait the caller is told, too.
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        }
        assertThat(cxone.count(operation.requests())).as("attempts CXone saw").isEqualTo(cxoneSaw);

        PrometheusText after = scrape(service);
        if (expected.retryReason() != null) {
            assertThat(retries(after, operation, expected.retryReason())
                            - retries(before, operation, expected.retryReason()))
                    .as("cxone_retries_total{reason=%s}", expected.retryReason())
                    .isEqualTo(expected.retries());
        }
        assertThat(allRetries(after, operation) - allRetries(before, operation))
                .as("cxone_retries_total, every reason")
                .isEqualTo(expected.retries());

        JsonNode audit = AuditTrail.onlyEventOf(service.dataDirectory(), requestId);
        assertThat(audit.path("event_type").asText()).isEqualTo(operation.label + "_attempt");
        assertThat(audit.path("success").asBoolean()).isEqualTo(expected.code() == null);
        assertThat(audit.path("status_code").asInt()).isEqualTo(expected.status());
        assertThat(audit.path("attempts").asInt()).isEqualTo(expected.attempts());
        if (expected.code() == null) {
            assertThat(audit.path("error_code").isNull()).isTrue();
        } else {
            assertThat(audit.path("error_code").asText()).isEqualTo(expected.code());
        }
    }

    /**
     * CXone drops the token it issued (expired early, revoked): a token is cached, CXone answers 401
     * to it and accepts only the fresh one the token endpoint now hands out.
     */
    private static void tokenRevokedMidFlight(CxoneStub cxone, CxoneOperation operation, RunningService service) {
        assertThat(operation.call(service, "warm-up-" + UUID.randomUUID()).statusCode())
                .as("a token is cached first")
                .isEqualTo(200);
        String fresh = "tok-" + UUID.randomUUID();
        cxone.stubToken(fresh, 3600);
        // Above the stub's default answer (priority 5), below the fresh token's.
        cxone.server()
                .stubFor(operation.stub().atPriority(4).willReturn(aResponse().withStatus(401)));
        cxone.server()
                .stubFor(operation
                        .stub()
                        .atPriority(1)
                        .withHeader("Authorization", equalTo("Bearer " + fresh))
                        .willReturn(
                                operation == CxoneOperation.HANDOFF
                                        ? json(
                                                "{\"id\":\"guest-2\",\"url\":\"https://chat.example/s/guest-2\",\"state\":\"new\"}")
                                        : json(CxoneStub.BRIDGE_ANSWER)));
        cxone.server().resetRequests();
    }

    private static Arrangement answering(ResponseDefinitionBuilder answer) {
        return (cxone, operation, service) ->
                cxone.server().stubFor(operation.stub().willReturn(answer));
    }

    private static ResponseDefinitionBuilder fault(Fault fault) {
        return aResponse().withFault(fault);
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    private static PrometheusText scrape(RunningService service) {
        return new PrometheusText(
                service.get(service.managementUrl("/observe/metrics")).body());
    }

    private static double retries(PrometheusText metrics, CxoneOperation operation, String reason) {
        return metrics.valueOrZero("cxone_retries_total", "operation", operation.label, "reason", reason);
    }

    private static double allRetries(PrometheusText metrics, CxoneOperation operation) {
        double total = 0;
        for (String reason : RETRY_REASONS) {
            total += retries(metrics, operation, reason);
        }
        return total;
    }
}
