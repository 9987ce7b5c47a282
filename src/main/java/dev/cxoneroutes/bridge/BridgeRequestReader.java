package dev.cxoneroutes.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.api.FieldError;
import dev.cxoneroutes.api.JsonBodies;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * Reads a {@link BridgeCommand} from a JSON body. Wrong types are named here, every field at once;
 * the rules are checked by {@code bridge-call-cxone}, so every entry point gets the same ones.
 * Also offers the command's {@code requestId} as its idempotency key.
 */
public class BridgeRequestReader {

    /** Where platform-http puts the {@code {callId}} of {@code /api/v1/calls/{callId}/bridge}. */
    static final String CALL_ID_HEADER = "callId";

    private static final String CALL_ID = "callId";
    private static final Pattern CALL_ID_SHAPE = Pattern.compile(BridgeCommand.CALL_ID_PATTERN);

    private final JsonBodies bodies;

    public BridgeRequestReader(JsonBodies bodies) {
        this.bodies = bodies;
    }

    /** A command from the queue or a drop file: the body carries {@code callId}. */
    public void read(Exchange exchange) {
        ObjectNode fields = bodies.object(exchange);
        JsonNode callId = fields.get(CALL_ID);
        recordCallId(exchange, callId != null && callId.isTextual() ? callId.asText() : null);
        accept(exchange, bodies.bind(fields, BridgeCommand.class));
    }

    /**
     * A command posted to the call's URL: the path names the call. A body may repeat the call id,
     * but one naming another call is refused rather than guessed at: bridging the wrong call
     * cannot be undone.
     */
    public void readHttp(Exchange exchange) {
        ObjectNode fields = bodies.object(exchange);
        Object fromPath = exchange.getMessage().getHeader(CALL_ID_HEADER);
        // platform-http adds a request header or query parameter of the same name to the path's value.
        String pathCallId = fromPath instanceof String single ? single : null;
        recordCallId(exchange, pathCallId);
        JsonNode offered = fields.get(CALL_ID);
        List<FieldError> conflicts = new ArrayList<>();
        if (pathCallId == null) {
            conflicts.add(new FieldError(CALL_ID, "must be given once, in the URL path only"));
        } else if (offered != null && !offered.isNull() && !offered.asText().equals(pathCallId)) {
            conflicts.add(new FieldError(CALL_ID, "must match the call id in the URL path"));
        }
        fields.put(CALL_ID, pathCallId);
        accept(exchange, bodies.bind(fields, BridgeCommand.class, conflicts));
    }

    /**
     * Names the call in the request's result event even when the command is refused before it
     * reaches CXone (ResultEvents reads {@link ExchangeKeys#CALL_ID}); only a well-formed call id,
     * so that no arbitrary input reaches events and logs.
     */
    private static void recordCallId(Exchange exchange, String callId) {
        if (callId != null && CALL_ID_SHAPE.matcher(callId).matches()) {
            exchange.setProperty(ExchangeKeys.CALL_ID, callId);
        }
    }

    private static void accept(Exchange exchange, BridgeCommand command) {
        exchange.setProperty(ExchangeKeys.OFFERED_IDEMPOTENCY_KEY, command.requestId());
        exchange.getMessage().setBody(command);
    }
}
