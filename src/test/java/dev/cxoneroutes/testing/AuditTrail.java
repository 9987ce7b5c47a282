package dev.cxoneroutes.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The audit lines of one request, waited for: the fan-out writes them just after the answer. */
public final class AuditTrail {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditTrail() {}

    /** The one audit event of this request; fails when none comes within 10 s or more than one does. */
    public static JsonNode onlyEventOf(Path dataDirectory, String requestId) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !eventsOf(dataDirectory, requestId).isEmpty());
        List<JsonNode> events = eventsOf(dataDirectory, requestId);
        if (events.size() != 1) {
            throw new AssertionError("expected one audit line for " + requestId + ", got " + events);
        }
        return events.get(0);
    }

    public static List<JsonNode> eventsOf(Path dataDirectory, String requestId) {
        return DataFiles.auditLines(dataDirectory).stream()
                .map(AuditTrail::parse)
                .flatMap(Optional::stream)
                .filter(event -> requestId.equals(event.path("request_id").asText(null)))
                .toList();
    }

    private static Optional<JsonNode> parse(String line) {
        try {
            return Optional.of(JSON.readTree(line));
        } catch (JsonProcessingException e) {
            throw new AssertionError("an audit line is not JSON: " + line, e);
        }
    }
}
