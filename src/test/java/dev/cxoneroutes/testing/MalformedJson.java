package dev.cxoneroutes.testing;

import java.util.List;
import java.util.Random;

/** Texts that are not one JSON object, made from a valid one: what MALFORMED_JSON is for. */
public final class MalformedJson {

    private MalformedJson() {}

    public static String from(Random random, String validObject) {
        return switch (random.nextInt(5)) {
                // cut anywhere before its closing brace
            case 0 -> validObject.substring(0, random.nextInt(validObject.length() - 1));
                // something after it
            case 1 -> validObject + Generated.oneOf(random, List.of("x", ",", "}", " true", "]", "//", "\u0000"));
                // two of it glued together, as a careless concatenation of lines would
            case 2 -> validObject + Generated.oneOf(random, List.of("", " ", "\t")) + validObject;
                // valid JSON, but not an object
            case 3 -> Generated.oneOf(
                    random, List.of("[" + validObject + "]", "\"" + validObject.length() + "\"", "42", "null", "true"));
            default -> Generated.oneOf(
                    random, List.of("{'single':'quotes'}", "{callId: 1}", "{\"a\":1,}", "{\"a\" 1}"));
        };
    }
}
