package dev.cxoneroutes.handoff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxoneroutes.api.JsonBodies;
import dev.cxoneroutes.api.ProblemCode;
import dev.cxoneroutes.api.RequestRejectedException;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Reads a handoff request from JSON, or from the form fields the Studio REST action posts by
 * default (where {@code voice_history} is a JSON-encoded string).
 */
public class HandoffRequestReader {

    private final ObjectMapper json;
    private final JsonBodies bodies;

    public HandoffRequestReader(ObjectMapper json, JsonBodies bodies) {
        this.json = json;
        this.bodies = bodies;
    }

    public void read(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        ObjectNode fields = body instanceof Map<?, ?> form ? fromForm(form) : bodies.object(exchange);
        exchange.getMessage().setBody(bodies.bind(fields, HandoffRequest.class));
    }

    private ObjectNode fromForm(Map<?, ?> form) {
        if (form.size() == 1
                && String.valueOf(form.keySet().iterator().next()).trim().startsWith("{")) {
            // curl's default: JSON posted as a form. Form decoding has already turned '+' into ' ',
            // so the JSON cannot be recovered faithfully; say what to fix instead.
            throw new RequestRejectedException(
                    ProblemCode.UNSUPPORTED_MEDIA_TYPE,
                    "The body looks like JSON but was sent as application/x-www-form-urlencoded;"
                            + " send it with Content-Type: application/json.");
        }
        ObjectNode fields = json.createObjectNode();
        form.forEach((name, value) -> fields.put(String.valueOf(name), first(value)));
        JsonNode history = fields.get("voice_history");
        if (history != null && history.isTextual()) {
            fields.set("voice_history", parseEmbedded(history.asText()));
        }
        return fields;
    }

    /** A form field that is not a JSON object stays a string, so binding names the field as invalid. */
    private JsonNode parseEmbedded(String text) {
        try {
            JsonNode parsed = json.readTree(text);
            return parsed != null && parsed.isObject()
                    ? parsed
                    : json.getNodeFactory().textNode(text);
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(text);
        }
    }

    private static String first(Object value) {
        if (value instanceof Iterable<?> values) {
            var it = values.iterator();
            return it.hasNext() ? String.valueOf(it.next()) : "";
        }
        return String.valueOf(value);
    }
}
