package dev.cxoneroutes.bridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.cxone.CxoneCallState;
import dev.cxoneroutes.cxone.CxoneRequest;
import dev.cxoneroutes.cxone.CxoneSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Maps a bridge command to CXone's bridge request (CONTRACT §8) and CXone's answer back to the
 * caller's (§3), which passes CXone's answer on whole as {@code data}.
 */
public class BridgeMapping {

    private final ObjectMapper json;
    private final CxoneSettings settings;

    public BridgeMapping(ObjectMapper json, CxoneSettings settings) {
        this.json = json;
        this.settings = settings;
    }

    /** Stores the bridge request on the exchange for {@code cxone-call}. */
    public void toCxoneRequest(Exchange exchange) throws JsonProcessingException {
        BridgeCommand command = exchange.getMessage().getBody(BridgeCommand.class);
        exchange.setProperty(ExchangeKeys.CALL_ID, command.callId());
        exchange.setProperty(
                CxoneRequest.PROPERTY,
                new CxoneRequest(
                        "bridge",
                        settings.bridgeUrl(command.callId()),
                        json.writeValueAsString(bridgeRequest(command)),
                        exchange.getProperty(ExchangeKeys.REQUEST_ID, String.class)));
    }

    /** Every field spelled out, the defaults too: what CXone receives never depends on its defaults. */
    ObjectNode bridgeRequest(BridgeCommand command) {
        ObjectNode request = json.createObjectNode();
        request.put("callId", command.callId());
        ArrayNode targets = request.putArray("targets");
        command.targets().forEach(t -> targets.addObject().put("type", t.type()).put("value", t.value()));
        request.put("direction", command.direction());
        ArrayNode matrix = request.putArray("bridgeMatrix");
        command.bridgeMatrixOrEmpty()
                .forEach(e -> matrix.addObject().put("source", e.source()).put("target", e.target()));
        request.put("dtmf", command.dtmfOrDefault());
        return request;
    }

    /** CXone's answer → the caller's, with how long CXone took and how many attempts it needed. */
    public void toAnswer(Exchange exchange) {
        JsonNode cxoneAnswer = exchange.getMessage().getBody(JsonNode.class);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "success");
        answer.put("request_id", exchange.getProperty(ExchangeKeys.REQUEST_ID, String.class));
        answer.put("call_id", exchange.getProperty(ExchangeKeys.CALL_ID, String.class));
        answer.put("status_code", exchange.getProperty(CxoneCallState.STATUS_CODE, Integer.class));
        answer.put("latency_ms", exchange.getProperty(CxoneCallState.LATENCY_MS, Double.class));
        answer.put("attempts", exchange.getProperty(CxoneCallState.ATTEMPTS, Integer.class));
        answer.put("data", cxoneAnswer);
        exchange.setProperty(ExchangeKeys.STATUS, 200);
        exchange.getMessage().setBody(answer);
    }
}
