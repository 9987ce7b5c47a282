package dev.cxoneroutes.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.util.HashMap;
import java.util.Map;

/** A WireMock server standing in for a live CXone tenant, with the stubs most tests need. */
public final class CxoneStub implements AutoCloseable {

    public static final String TOKEN_PATH = "/oauth/token";
    public static final String GUEST_PATH = "/api/v2/interactions/guests";
    /** Any call's bridge endpoint, as CXONE_BRIDGE_PATH's default spells it. */
    public static final String BRIDGE_PATH_PATTERN = "/api/v2/cti/calls/[^/]+/bridge";

    public static final String BRIDGE_ANSWER = "{\"bridgeId\":\"bridge-1\",\"state\":\"bridged\"}";
    public static final String CLIENT_SECRET = "s3cr3t-client-secret-value";

    private final WireMockServer server;

    /** @param extensions WireMock extensions, e.g. a listener that watches the requests */
    public CxoneStub(com.github.tomakehurst.wiremock.extension.Extension... extensions) {
        this(0, extensions);
    }

    /** On a given port (0: any free one), e.g. to bring CXone back where the service expects it. */
    public CxoneStub(int port, com.github.tomakehurst.wiremock.extension.Extension... extensions) {
        server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .port(port)
                .containerThreads(250)
                .jettyAcceptors(2)
                .extensions(extensions));
        server.start();
        reset();
    }

    /** Back to the default stubs: a token, a guest session and a bridge, with no requests recorded. */
    public void reset() {
        server.resetAll();
        stubToken("tok-1", 3600);
        server.stubFor(
                post(urlPathEqualTo(GUEST_PATH))
                        .willReturn(
                                aResponse()
                                        .withStatus(201)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"id\":\"guest-1\",\"url\":\"https://chat.example/s/guest-1\",\"state\":\"new\",\"channel\":\"webMessaging\"}")));
        stubBridge(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(BRIDGE_ANSWER));
    }

    /** Every call's bridge endpoint answers so. */
    public void stubBridge(ResponseDefinitionBuilder answer) {
        server.stubFor(post(urlPathMatching(BRIDGE_PATH_PATTERN)).willReturn(answer));
    }

    /** The bridge endpoint of one call. */
    public static String bridgePath(String callId) {
        return "/api/v2/cti/calls/" + callId + "/bridge";
    }

    public void stubToken(String token, long expiresIn) {
        server.stubFor(post(urlPathEqualTo(TOKEN_PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                                + expiresIn + "}")));
    }

    public WireMockServer server() {
        return server;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Live-mode settings pointing the service at this stub. */
    public Map<String, String> liveSettings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("cxone.base-url", baseUrl());
        settings.put("cxone.client-id", "test-client");
        settings.put("cxone.client-secret", CLIENT_SECRET);
        settings.put("api.keys", "test-key-1,test-key-2");
        settings.put("cxone.initial-backoff-millis", "50");
        settings.put("cxone.max-backoff-seconds", "2");
        settings.put("cxone.timeout-seconds", "2");
        // Tests fail CXone on purpose, many times: only the circuit breaker's own test opens it.
        settings.put("cxone.circuit.window-calls", "1000");
        settings.put("cxone.circuit.minimum-calls", "1000");
        return settings;
    }

    public int count(com.github.tomakehurst.wiremock.matching.RequestPatternBuilder pattern) {
        return server.countRequestsMatching(pattern.build()).getCount();
    }

    public static WireMock client(CxoneStub stub) {
        return new WireMock(stub.server);
    }

    @Override
    public void close() {
        server.stop();
    }
}
