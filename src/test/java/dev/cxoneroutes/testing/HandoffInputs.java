package dev.cxoneroutes.testing;

import static dev.cxoneroutes.testing.Generated.length;
import static dev.cxoneroutes.testing.Generated.oneOf;
import static dev.cxoneroutes.testing.Generated.stringOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Generated handoff requests (CONTRACT §3): valid ones with the guest session CONTRACT §8 says they
 * map to, worked out here independently of the service's mapping, and invalid ones that break
 * exactly one field, with the name the problem document must give it.
 */
public final class HandoffInputs {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String DTMF = "0123456789*#ABCD";
    /** Letters, digits, punctuation, spaces and a few non-ASCII letters: a caller id is any non-blank text. */
    static final String CALLER_ID = "abcXYZ0123456789+-() .'_éøß名字";

    private HandoffInputs() {}

    /** A valid handoff request; {@code language} and fields of {@code voiceHistory} may be absent. */
    public record Valid(String dtmf, ObjectNode voiceHistory, String callerId, String language, boolean explicitNull) {

        public ObjectNode json() {
            ObjectNode body = JSON.createObjectNode();
            body.put("dtmf_sequence", dtmf);
            body.set("voice_history", voiceHistory);
            body.put("caller_id", callerId);
            if (language != null) {
                body.put("language_preference", language);
            } else if (explicitNull) {
                body.putNull("language_preference");
            }
            return body;
        }

        /** The Studio REST action's fields: {@code voice_history} is JSON text. */
        public Map<String, String> form() {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("dtmf_sequence", dtmf);
            fields.put("voice_history", voiceHistory.toString());
            fields.put("caller_id", callerId);
            if (language != null) {
                fields.put("language_preference", language);
            }
            return fields;
        }

        /** The guest session request CONTRACT §8 prescribes for this handoff. */
        public JsonNode expectedGuestSession(String version) {
            ObjectNode session = JSON.createObjectNode();
            session.put("channel", "webMessaging");
            session.putObject("channelSwitch").put("from", "voice");
            ObjectNode attributes = session.putObject("attributes");
            attributes.put("dtmf_sequence", dtmf);
            attributes.set("voice_history", voiceHistory);
            attributes.put("caller_id", callerId);
            attributes.put("language_preference", language == null ? "en-US" : language);
            attributes.put("source", "ivr_channel_switch");
            ObjectNode mapped = attributes.putObject("mapped_variables");
            JsonNode queue = voiceHistory.get("queue_name");
            mapped.put("previous_queue", queue == null || queue.isNull() ? "unknown" : queue.asText());
            JsonNode duration = voiceHistory.get("duration");
            if (duration == null || duration.isNull()) {
                mapped.put("call_duration_seconds", 0);
            } else {
                mapped.set("call_duration_seconds", duration);
            }
            mapped.put("ivr_menu_selections", dtmf);
            ObjectNode metadata = session.putObject("metadata");
            metadata.put("system", "cxone-routes");
            metadata.put("version", version);
            return session;
        }
    }

    /** A request that breaks one rule; {@code field} is the name the answer's errors[] must give. */
    public record Invalid(String body, Map<String, String> form, String field, String broken) {
        @Override
        public String toString() {
            return "Invalid[" + broken + " → " + field + "] " + (form == null ? body : form);
        }
    }

    public static Valid valid(Random random) {
        String language =
                switch (random.nextInt(4)) {
                    case 0 -> null;
                    case 1 -> "en-US";
                    default -> stringOf(random, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 2, 8)
                            + (random.nextBoolean() ? "-" + stringOf(random, "abcDEF0123456789", 1, 8) : "")
                            + (random.nextInt(4) == 0 ? "-" + stringOf(random, "xyzXYZ789", 1, 8) : "");
                };
        String callerId =
                stringOf(random, "abcXYZ0123456789+é名", 1, 1) + stringOf(random, CALLER_ID, 0, length(random, 0, 63));
        return new Valid(
                stringOf(random, DTMF, 1, length(random, 1, 64)),
                voiceHistory(random),
                callerId,
                language,
                random.nextBoolean());
    }

    static ObjectNode voiceHistory(Random random) {
        ObjectNode history = JSON.createObjectNode();
        switch (random.nextInt(5)) {
            case 0 -> {}
            case 1 -> history.putNull("queue_name");
            case 2 -> history.put("queue_name", random.nextInt(1000));
            default -> history.put("queue_name", stringOf(random, "billing support 名 -_0123", 0, 20));
        }
        switch (random.nextInt(5)) {
            case 0 -> {}
            case 1 -> history.putNull("duration");
            case 2 -> history.put("duration", random.nextInt(10_000) / 100.0);
            default -> history.put("duration", random.nextInt(100_000));
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            String key = stringOf(random, "abcdefgh_", 1, 10);
            switch (random.nextInt(5)) {
                case 0 -> history.put(key, stringOf(random, "xyz \"\\/名\n", 0, 10));
                case 1 -> history.put(key, random.nextBoolean());
                case 2 -> history.putArray(key).add(random.nextInt(9)).add("menu");
                case 3 -> history.putObject(key).put("nested", random.nextLong());
                default -> history.putNull(key);
            }
        }
        return history;
    }

    /** A JSON handoff with one field broken. */
    public static Invalid invalidJson(Random random) {
        ObjectNode body = valid(random).json();
        String broken = oneOf(
                random,
                List.of(
                        "dtmf missing",
                        "dtmf empty",
                        "dtmf too long",
                        "dtmf bad digit",
                        "dtmf not a string",
                        "history missing",
                        "history a string",
                        "history an array",
                        "history a number",
                        "caller missing",
                        "caller blank",
                        "caller too long",
                        "caller an object",
                        "language malformed",
                        "language a list"));
        String field = fieldBrokenBy(broken);
        switch (broken) {
            case "dtmf missing" -> body.remove("dtmf_sequence");
            case "dtmf empty" -> body.put("dtmf_sequence", "");
            case "dtmf too long" -> body.put("dtmf_sequence", stringOf(random, DTMF, 65, 80));
            case "dtmf bad digit" -> body.put("dtmf_sequence", badDtmf(random));
            case "dtmf not a string" -> body.putObject("dtmf_sequence").put("digits", "12");
            case "history missing" -> body.remove("voice_history");
            case "history a string" -> body.put("voice_history", "billing");
            case "history an array" -> body.putArray("voice_history").add("billing");
            case "history a number" -> body.put("voice_history", 42);
            case "caller missing" -> body.remove("caller_id");
            case "caller blank" -> body.put("caller_id", " ".repeat(random.nextInt(5)));
            case "caller too long" -> body.put("caller_id", stringOf(random, CALLER_ID, 65, 90));
            case "caller an object" -> body.putObject("caller_id");
            case "language malformed" -> body.put("language_preference", badLanguage(random));
            default -> body.putArray("language_preference").add("en");
        }
        return new Invalid(body.toString(), null, field, broken);
    }

    /** The field a case name like {@code "dtmf too long"} breaks, as the service names it. */
    private static String fieldBrokenBy(String broken) {
        return switch (broken.split(" ")[0]) {
            case "dtmf" -> "dtmf_sequence";
            case "history" -> "voice_history";
            case "caller" -> "caller_id";
            default -> "language_preference";
        };
    }

    /** A form handoff with one field broken (a form has no types: only values and absence). */
    public static Invalid invalidForm(Random random) {
        Map<String, String> form = valid(random).form();
        String broken = oneOf(
                random,
                List.of(
                        "dtmf missing",
                        "dtmf too long",
                        "dtmf bad digit",
                        "history missing",
                        "history not JSON",
                        "history a JSON string",
                        "history a JSON array",
                        "caller missing",
                        "caller blank",
                        "caller too long",
                        "language malformed"));
        String field = fieldBrokenBy(broken);
        switch (broken) {
            case "dtmf missing" -> form.remove("dtmf_sequence");
            case "dtmf too long" -> form.put("dtmf_sequence", stringOf(random, DTMF, 65, 80));
            case "dtmf bad digit" -> form.put("dtmf_sequence", badDtmf(random));
            case "history missing" -> form.remove("voice_history");
            case "history not JSON" -> form.put("voice_history", "{\"queue_name\":");
            case "history a JSON string" -> form.put("voice_history", "\"billing\"");
            case "history a JSON array" -> form.put("voice_history", "[1,2]");
            case "caller missing" -> form.remove("caller_id");
            case "caller blank" -> form.put("caller_id", " ".repeat(1 + random.nextInt(4)));
            case "caller too long" -> form.put("caller_id", stringOf(random, CALLER_ID, 65, 90));
            default -> form.put("language_preference", badLanguage(random));
        }
        return new Invalid(null, form, field, broken);
    }

    /** The fields url-encoded, as the Studio REST action posts them. */
    public static String urlEncoded(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static String badDtmf(Random random) {
        String valid = stringOf(random, DTMF, 0, 10);
        String bad = stringOf(random, "xyzabcdE9 +.-_é", 1, 1).replaceAll("[0-9]", "x");
        int at = random.nextInt(valid.length() + 1);
        return valid.substring(0, at) + bad + valid.substring(at);
    }

    static String badLanguage(Random random) {
        return oneOf(
                random, List.of("e", "en_US", "englishlanguage-US", "en-", "-US", "12-34", "en-US-toolongsubtag", " "));
    }
}
