package dev.cxoneroutes.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;

/** Reads request bodies as JSON objects and binds them to request records, naming the field at fault. */
public class JsonBodies {

    private final ObjectMapper json;

    public JsonBodies(ObjectMapper json) {
        this.json = json;
    }

    /** The body as a JSON object; anything else is {@link ProblemCode#MALFORMED_JSON}. */
    public ObjectNode object(Exchange exchange) {
        String text = exchange.getMessage().getBody(String.class);
        JsonNode node;
        try {
            node = text == null ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new RequestRejectedException(ProblemCode.MALFORMED_JSON, "The body is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw new RequestRejectedException(ProblemCode.MALFORMED_JSON, "The body must be a JSON object.");
        }
        return (ObjectNode) node;
    }

    /** Binds the object; a value of the wrong type is {@link ProblemCode#INVALID_REQUEST} naming its field. */
    public <T> T bind(ObjectNode fields, Class<T> type) {
        try {
            return json.treeToValue(fields, type);
        } catch (MismatchedInputException e) {
            String field = path(e.getPath());
            throw new RequestRejectedException(
                    ProblemCode.INVALID_REQUEST,
                    "1 field(s) are invalid.",
                    List.of(new FieldError(field, "has the wrong type")));
        } catch (JsonProcessingException e) {
            throw new RequestRejectedException(ProblemCode.INVALID_REQUEST, "The body does not match the request's shape.");
        }
    }

    private static String path(List<com.fasterxml.jackson.databind.JsonMappingException.Reference> references) {
        return references.stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
    }
}
