package dev.cxoneroutes.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;

/**
 * The JSON codec of result events and of what carries them (queued webhook deliveries, dead
 * letters). One mapper, configured here and never changed afterwards, so the audit line, the
 * webhook body and the queued delivery are written the same way everywhere.
 */
public final class ResultsJson {

    /**
     * Unknown properties are ignored: a delivery queued by a newer version must still be readable
     * by an older one after a rollback, and vice versa.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ResultsJson() {}

    /** Compact, single-line JSON (Jackson escapes line breaks inside strings). */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // Only our own records pass through here; they always serialise.
            throw new UncheckedIOException("Could not write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new IllegalArgumentException("Not a " + type.getSimpleName() + ": the JSON is null");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "Not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    public static JsonNode tree(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }
}
