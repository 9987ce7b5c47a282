package dev.cxoneroutes.handoff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.cxone.CxoneBadResponseException;
import dev.cxoneroutes.cxone.CxoneCallState;
import dev.cxoneroutes.cxone.CxoneRequest;
import dev.cxoneroutes.cxone.CxoneSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Maps a handoff to CXone's guest session request (channel switch from voice, voice data as
 * messaging variables) and CXone's answer back to what the IVR reads.
 */
public class GuestSessionMapping {

    static final String REDIRECT_INSTRUCTIONS =
            "Use the session_url to redirect the caller or inject into IVR variables.";

    private final ObjectMapper json;
    private final CxoneSettings settings;
    private final String serviceVersion;

    public GuestSessionMapping(ObjectMapper json, CxoneSettings settings, String serviceVersion) {
        this.json = json;
        this.settings = settings;
        this.serviceVersion = serviceVersion;
    }

    /** Stores the guest session request on the exchange for {@code cxone-call}. */
    public void toCxoneRequest(Exchange exchange) throws JsonProcessingException {
        HandoffRequest request = exchange.getMessage().getBody(HandoffRequest.class);
        String body = json.writeValueAsString(guestSession(request));
        exchange.setProperty(
                CxoneRequest.PROPERTY,
                new CxoneRequest(
                        "handoff",
                        settings.guestUrl(),
                        body,
                        exchange.getProperty(ExchangeKeys.REQUEST_ID, String.class)));
    }

    ObjectNode guestSession(HandoffRequest request) {
        Map<String, Object> voiceHistory = request.voiceHistory();
        ObjectNode session = json.createObjectNode();
        session.put("channel", "webMessaging");
        session.putObject("channelSwitch").put("from", "voice");
        ObjectNode attributes = session.putObject("attributes");
        attributes.put("dtmf_sequence", request.dtmfSequence());
        attributes.set("voice_history", json.valueToTree(voiceHistory));
        attributes.put("caller_id", request.callerId());
        attributes.put("language_preference", request.languageOrDefault());
        attributes.put("source", "ivr_channel_switch");
        ObjectNode mapped = attributes.putObject("mapped_variables");
        Object queue = voiceHistory.get("queue_name");
        mapped.put("previous_queue", queue == null ? "unknown" : String.valueOf(queue));
        Object duration = voiceHistory.get("duration");
        mapped.set(
                "call_duration_seconds",
                duration == null ? json.getNodeFactory().numberNode(0) : json.valueToTree(duration));
        mapped.put("ivr_menu_selections", request.dtmfSequence());
        ObjectNode metadata = session.putObject("metadata");
        metadata.put("system", "cxone-routes");
        metadata.put("version", serviceVersion);
        return session;
    }

    /**
     * CXone's {@code {"id","url","state","channel"}} → the IVR's answer. Without an id and a url the
     * IVR has nowhere to send the caller: that is {@link CxoneBadResponseException}, never a 200.
     */
    public void toAnswer(Exchange exchange) {
        JsonNode guest = exchange.getMessage().getBody(JsonNode.class);
        if (guest == null || isBlank(guest.path("id")) || isBlank(guest.path("url"))) {
            throw new CxoneBadResponseException(
                    exchange.getProperty(CxoneCallState.STATUS_CODE, 200, Integer.class),
                    "CXone answered HTTP " + exchange.getProperty(CxoneCallState.STATUS_CODE, 200, Integer.class)
                            + " without the guest session's id and url.");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "success");
        answer.put("request_id", exchange.getProperty(ExchangeKeys.REQUEST_ID, String.class));
        answer.put("guest_id", guest.path("id").asText(null));
        answer.put("session_url", guest.path("url").asText(null));
        answer.put("state", guest.path("state").asText(null));
        answer.put("channel", guest.path("channel").asText("webMessaging"));
        answer.put("redirect_instructions", REDIRECT_INSTRUCTIONS);
        exchange.setProperty(ExchangeKeys.STATUS, 200);
        exchange.getMessage().setBody(answer);
    }

    /** Missing, null, blank, or not a value at all (an object, a list). */
    private static boolean isBlank(JsonNode field) {
        return !(field.isTextual() || field.isNumber()) || field.asText().isBlank();
    }
}
