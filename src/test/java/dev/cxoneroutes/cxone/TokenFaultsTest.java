package dev.cxoneroutes.cxone;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.cxoneroutes.testing.CxoneOperation;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.FaultOutcome;
import dev.cxoneroutes.testing.LiveService;
import dev.cxoneroutes.testing.RunningService;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way CXone's token endpoint can fail, seen through both operations: the caller's status and
 * code, how often the token endpoint was asked, that the operation's endpoint was never called
 * without a token, the audit line and {@code cxone_retries_total}. docs/cxone-faults.md lists them.
 *
 * <p>The token endpoint here hands out tokens that expire at once ({@code expires_in: 0}), so every
 * attempt asks it again and each case starts without a cached token.
 */
class TokenFaultsTest {

    static final int MAX_ATTEMPTS = 3;
    static final int MAX_BACKOFF_SECONDS = 1;

    @RegisterExtension
    static final LiveService live = new LiveService(TokenFaultsTest::smallLimits);

    /** The token endpoint at a port where nothing listens. */
    @RegisterExtension
    static final LiveService unreachable = new LiveService(settings -> {
        smallLimits(settings);
        settings.put("cxone.token-url", "http://127.0.0.1:" + RunningService.freePort() + CxoneStub.TOKEN_PATH);
    });

    static void smallLimits(Map<String, String> settings) {
        settings.put("cxone.max-attempts", String.valueOf(MAX_ATTEMPTS));
        settings.put("cxone.timeout-seconds", "2");
        settings.put("cxone.max-backoff-seconds", String.valueOf(MAX_BACKOFF_SECONDS));
        settings.put("cxone.initial-backoff-millis", "50");
        // Readiness must not ask the token endpoint behind a test's back.
        settings.put("health.token-check-seconds", "3600");
    }

    /** The first calls of a fresh service pay for lazy set-up: made once before any case is judged. */
    @BeforeAll
    static void warmUp() {
        instantTokens();
        for (CxoneOperation operation : CxoneOperation.values()) {
            operation.call(live.service(), "warm-up-" + operation);
            operation.call(unreachable.service(), "warm-up-" + operation);
        }
    }

    @BeforeEach
    void noTokenIsEverCached() {
        instantTokens();
        live.cxone().server().resetRequests();
        unreachable.cxone().server().resetRequests();
    }

    record Case(
            String fault,
            CxoneOperation operation,
            Supplier<ResponseDefinitionBuilder> tokenAnswer,
            FaultOutcome expected,
            int tokenRequests) {
        @Override
        public String toString() {
            return operation + ": token endpoint " + fault;
        }
    }

    static Stream<Case> faults() {
        List<Case> cases = new ArrayList<>();
        for (CxoneOperation op : CxoneOperation.values()) {
            FaultOutcome unreachable = FaultOutcome.failed(503, "CXONE_UNAVAILABLE", MAX_ATTEMPTS, "connection");
            cases.add(new Case("resets the connection", op, fault(Fault.CONNECTION_RESET_BY_PEER), unreachable, 3));
            cases.add(new Case("sends an empty response", op, fault(Fault.EMPTY_RESPONSE), unreachable, 3));
            cases.add(new Case(
                    "sends a malformed chunked body", op, fault(Fault.MALFORMED_RESPONSE_CHUNK), unreachable, 3));
            cases.add(new Case(
                    "sends random data, then closes", op, fault(Fault.RANDOM_DATA_THEN_CLOSE), unreachable, 3));
            FaultOutcome badGateway = FaultOutcome.failed(503, "CXONE_UNAVAILABLE", MAX_ATTEMPTS, "server_error");
            cases.add(new Case(
                    "answers 200 with a body that is not JSON",
                    op,
                    () -> aResponse()
                            .withStatus(200)
                            .withHeader("Content-Type", "text/html")
                            .withBody("<html>login</html>"),
                    badGateway,
                    3));
            cases.add(new Case(
                    "answers 200 without access_token",
                    op,
                    () -> aResponse().withStatus(200).withBody("{\"token_type\":\"Bearer\",\"expires_in\":3600}"),
                    badGateway,
                    3));
            cases.add(new Case(
                    "is slower than CXONE_TIMEOUT_SECONDS",
                    op,
                    () -> token().withFixedDelay(2_500),
                    FaultOutcome.failed(504, "CXONE_TIMEOUT", MAX_ATTEMPTS, "timeout"),
                    3));
            FaultOutcome rateLimited = FaultOutcome.failed(503, "CXONE_UNAVAILABLE", MAX_ATTEMPTS, "rate_limited");
            cases.add(new Case(
                    "answers 429s, no Retry-After", op, () -> aResponse().withStatus(429), rateLimited, 3));
            for (String retryAfter : List.of("1", "soon", "-5", "999999999")) {
                cases.add(new Case(
                        "answers 429s, Retry-After: " + retryAfter,
                        op,
                        () -> aResponse().withStatus(429).withHeader("Retry-After", retryAfter),
                        rateLimited,
                        3));
            }
            cases.add(new Case(
                    "answers 429s, Retry-After as an HTTP date",
                    op,
                    () -> aResponse()
                            .withStatus(429)
                            .withHeader(
                                    "Retry-After",
                                    DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(1))),
                    rateLimited,
                    3));
            cases.add(new Case(
                    "answers 503s",
                    op,
                    () -> aResponse().withStatus(503),
                    FaultOutcome.failed(503, "CXONE_UNAVAILABLE", MAX_ATTEMPTS, "server_error"),
                    3));
            FaultOutcome refused = FaultOutcome.failed(502, "CXONE_AUTH_FAILED", 1, null);
            cases.add(new Case(
                    "refuses the credentials (401)",
                    op,
                    () -> aResponse().withStatus(401).withBody("{\"error\":\"invalid_client\"}"),
                    refused,
                    1));
            cases.add(new Case(
                    "refuses the credentials (403)", op, () -> aResponse().withStatus(403), refused, 1));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void maps_every_token_endpoint_fault(Case fault) {
        live.cxone()
                .server()
                .stubFor(post(urlPathEqualTo(CxoneStub.TOKEN_PATH))
                        .willReturn(fault.tokenAnswer().get()));

        fault.expected().check(live.service(), fault.operation(), MAX_BACKOFF_SECONDS);

        assertThat(tokenRequests(live)).as("requests the token endpoint saw").isEqualTo(fault.tokenRequests());
        assertThat(live.cxone().count(fault.operation().requests()))
                .as("CXone is never called without a token")
                .isZero();
    }

    @ParameterizedTest
    @EnumSource(CxoneOperation.class)
    void maps_a_token_endpoint_nobody_listens_at(CxoneOperation operation) {
        FaultOutcome.failed(503, "CXONE_UNAVAILABLE", MAX_ATTEMPTS, "connection")
                .check(unreachable.service(), operation, MAX_BACKOFF_SECONDS);

        assertThat(unreachable.cxone().count(operation.requests())).isZero();
    }

    @ParameterizedTest
    @EnumSource(CxoneOperation.class)
    void recovers_when_the_token_endpoint_comes_back(CxoneOperation operation) {
        live.cxone()
                .server()
                .stubFor(post(urlPathEqualTo(CxoneStub.TOKEN_PATH))
                        .willReturn(aResponse().withStatus(503)));

        FaultOutcome.failed(503, "CXONE_UNAVAILABLE", MAX_ATTEMPTS, "server_error")
                .check(live.service(), operation, MAX_BACKOFF_SECONDS);
        assertThat(tokenRequests(live)).isEqualTo(MAX_ATTEMPTS);

        instantTokens();
        live.cxone().server().resetRequests();

        FaultOutcome.answered(1).check(live.service(), operation, MAX_BACKOFF_SECONDS);
        assertThat(tokenRequests(live)).isEqualTo(1);
        assertThat(live.cxone().count(operation.requests())).isEqualTo(1);
    }

    private static void instantTokens() {
        live.cxone().stubToken("tok-instant", 0);
        unreachable.cxone().stubToken("tok-instant", 0);
    }

    private static int tokenRequests(LiveService service) {
        return service.cxone().count(postRequestedFor(urlPathEqualTo(CxoneStub.TOKEN_PATH)));
    }

    private static Supplier<ResponseDefinitionBuilder> fault(Fault fault) {
        return () -> aResponse().withFault(fault);
    }

    private static ResponseDefinitionBuilder token() {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"tok-slow\",\"token_type\":\"Bearer\",\"expires_in\":0}");
    }
}
