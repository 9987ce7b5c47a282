package dev.cxoneroutes.cxone;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.cxoneroutes.testing.CxoneOperation;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.FaultOutcome;
import dev.cxoneroutes.testing.LiveService;
import dev.cxoneroutes.testing.RunningService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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

    static final int MAX_BACKOFF_SECONDS = 1;
    static final String GUEST_WITHOUT_URL = "{\"id\":\"guest-9\",\"state\":\"new\",\"channel\":\"webMessaging\"}";
    static final String GUEST_WITHOUT_ID =
            "{\"url\":\"https://chat.example/s/x\",\"state\":\"new\",\"channel\":\"webMessaging\"}";

    @RegisterExtension
    static final LiveService live = new LiveService(CxoneFaultsTest::smallLimits);

    /**
     * A port held by a socket that is bound but never listens: a connection to it is refused, and no
     * other process can start listening on it meanwhile (a merely free port was once taken by a
     * service running beside the tests, which answered 404).
     */
    static final Socket REFUSING_PORT = portNobodyCanListenOn();

    /** CXone's API at a port where nothing listens; the token endpoint stays on the stub. */
    @RegisterExtension
    static final LiveService unreachable = new LiveService(settings -> {
        smallLimits(settings);
        settings.put("cxone.token-url", settings.get("cxone.base-url") + CxoneStub.TOKEN_PATH);
        settings.put("cxone.base-url", "http://127.0.0.1:" + REFUSING_PORT.getLocalPort());
    });

    private static Socket portNobodyCanListenOn() {
        try {
            Socket socket = new Socket();
            socket.setReuseAddress(false); // a listener's bind with SO_REUSEADDR still conflicts
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void smallLimits(java.util.Map<String, String> settings) {
        settings.put("cxone.max-attempts", String.valueOf(MAX_ATTEMPTS));
        settings.put("cxone.timeout-seconds", "2");
        settings.put("cxone.max-backoff-seconds", String.valueOf(MAX_BACKOFF_SECONDS));
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

    @FunctionalInterface
    interface Arrangement {
        void arrange(CxoneStub cxone, CxoneOperation operation, RunningService service);
    }

    record Case(String fault, CxoneOperation operation, Arrangement arrangement, FaultOutcome expected) {
        @Override
        public String toString() {
            return operation + ": " + fault;
        }
    }

    static Stream<Case> faults() {
        List<Case> cases = new ArrayList<>();
        for (CxoneOperation op : CxoneOperation.values()) {
            FaultOutcome unavailable = FaultOutcome.failed(503, "CXONE_UNAVAILABLE", MAX_ATTEMPTS, "connection");
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
                    FaultOutcome.failed(502, "CXONE_BAD_RESPONSE", 1, null)));
            cases.add(new Case(
                    "slower than CXONE_TIMEOUT_SECONDS",
                    op,
                    answering(aResponse().withStatus(200).withFixedDelay(2_500)),
                    FaultOutcome.failed(504, "CXONE_TIMEOUT", MAX_ATTEMPTS, "timeout")));
            FaultOutcome rateLimited = FaultOutcome.failed(503, "CXONE_UNAVAILABLE", MAX_ATTEMPTS, "rate_limited");
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
                    FaultOutcome.failed(503, "CXONE_UNAVAILABLE", MAX_ATTEMPTS, "server_error")));
            cases.add(new Case(
                    "401 once: the token expired early",
                    op,
                    CxoneFaultsTest::tokenRevokedMidFlight,
                    new FaultOutcome(200, null, 2, "token_refresh", 1)));
            cases.add(new Case(
                    "401 twice",
                    op,
                    answering(aResponse().withStatus(401)),
                    new FaultOutcome(502, "CXONE_AUTH_FAILED", 2, "token_refresh", 1)));
        }
        cases.add(new Case(
                "200 without id",
                CxoneOperation.HANDOFF,
                answering(json(GUEST_WITHOUT_ID)),
                FaultOutcome.failed(502, "CXONE_BAD_RESPONSE", 1, null)));
        cases.add(new Case(
                "200 without url",
                CxoneOperation.HANDOFF,
                answering(json(GUEST_WITHOUT_URL)),
                FaultOutcome.failed(502, "CXONE_BAD_RESPONSE", 1, null)));
        cases.add(new Case(
                "200 with a JSON array",
                CxoneOperation.HANDOFF,
                answering(json("[]")),
                FaultOutcome.failed(502, "CXONE_BAD_RESPONSE", 1, null)));
        cases.add(new Case(
                "200 with an empty JSON object (the bridge needs no fields)",
                CxoneOperation.BRIDGE,
                answering(json("{}")),
                FaultOutcome.answered(1)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void maps_every_cxone_fault(Case fault) {
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
    void maps_connection_refused(CxoneOperation operation) {
        FaultOutcome expected = FaultOutcome.failed(503, "CXONE_UNAVAILABLE", MAX_ATTEMPTS, "connection");

        // Nothing listens, so CXone sees nothing; the service still made every attempt.
        assertOutcome(unreachable.service(), unreachable.cxone(), operation, expected, 0);
    }

    private static void assertOutcome(
            RunningService service, CxoneStub cxone, CxoneOperation operation, FaultOutcome expected, int cxoneSaw) {
        expected.check(service, operation, MAX_BACKOFF_SECONDS);

        assertThat(cxone.count(operation.requests())).as("attempts CXone saw").isEqualTo(cxoneSaw);
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
}
