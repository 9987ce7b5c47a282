package dev.cxoneroutes.results;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The one timestamp format of events, deliveries and dead letters: ISO-8601 in UTC with exactly three
 * fraction digits ({@code 2026-11-21T23:59:59.123Z}). {@link Instant#toString()} drops the fraction
 * when it is zero, which makes lines of one file sort and parse differently, hence this format.
 *
 * <p>The records bind these (de)serializers by annotation, so they come out the same whatever
 * {@code ObjectMapper} (with or without the JSR-310 module) writes them.
 */
public final class EventTimestamps {

    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private EventTimestamps() {}

    public static String format(Instant instant) {
        return UTC_MILLIS.format(instant);
    }

    /** Reads any ISO-8601 instant ({@code Z} offset), not only the three-digit form we write. */
    public static Instant parse(String text) {
        return Instant.parse(text);
    }

    /** Writes an {@link Instant} as {@link #format(Instant)}. */
    public static final class Serializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeString(format(value));
        }
    }

    /** Reads what {@link Serializer} wrote. */
    public static final class Deserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser in, DeserializationContext context) throws IOException {
            String text = in.getValueAsString();
            try {
                return parse(text);
            } catch (DateTimeParseException e) {
                return (Instant) context.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 UTC instant");
            }
        }
    }
}
