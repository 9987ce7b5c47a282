package dev.cxoneroutes.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.testing.RunningService;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without CXONE_BASE_URL the bridge API works against the simulated CXone (sandbox/mappings/bridge.json). */
class BridgeSandboxTest {

    @Test
    void bridges_against_the_sandbox_cxone() throws Exception {
        try (RunningService service = RunningService.start(Map.of())) {
            HttpResponse<String> response = service.postJson(
                    "/api/v1/calls/sandbox-call-1/bridge",
                    "{\"targets\":[{\"type\":\"phone\",\"value\":\"+15551234567\"}],\"direction\":\"outbound\"}");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = new ObjectMapper().readTree(response.body());
            assertThat(body.path("call_id").asText()).isEqualTo("sandbox-call-1");
            assertThat(body.path("data").path("callId").asText()).isEqualTo("sandbox-call-1");
            assertThat(body.path("data").path("state").asText()).isEqualTo("bridged");
        }
    }
}
