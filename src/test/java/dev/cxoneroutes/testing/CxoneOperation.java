package dev.cxoneroutes.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.matching.UrlPattern;
import java.net.http.HttpResponse;

/**
 * The two CXone operations as a caller reaches them over HTTP, with the CXone endpoint each one
 * calls: a test can run the same fault against both.
 */
public enum CxoneOperation {
    HANDOFF(
            "handoff",
            urlPathEqualTo(CxoneStub.GUEST_PATH),
            "/api/v1/ivr/handoff",
            "{\"dtmf_sequence\":\"12#\",\"voice_history\":{\"queue_name\":\"billing\"},\"caller_id\":\"+15551234567\"}"),
    BRIDGE(
            "bridge",
            urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN),
            "/api/v1/calls/call-42/bridge",
            "{\"targets\":[{\"type\":\"phone\",\"value\":\"+15557654321\"}],\"direction\":\"outbound\"}");

    /** The {@code operation} label of the metrics. */
    public final String label;

    private final UrlPattern cxoneEndpoint;
    private final String path;
    private final String body;

    CxoneOperation(String label, UrlPattern cxoneEndpoint, String path, String body) {
        this.label = label;
        this.cxoneEndpoint = cxoneEndpoint;
        this.path = path;
        this.body = body;
    }

    /** Sends a valid request with this request id and an accepted API key. */
    public HttpResponse<String> call(RunningService service, String requestId) {
        return service.postJson(path, body, "X-API-Key", "test-key-1", "X-Request-ID", requestId);
    }

    /** A stub of the CXone endpoint this operation calls. */
    public MappingBuilder stub() {
        return post(cxoneEndpoint);
    }

    /** The requests CXone received for this operation. */
    public RequestPatternBuilder requests() {
        return postRequestedFor(cxoneEndpoint);
    }
}
