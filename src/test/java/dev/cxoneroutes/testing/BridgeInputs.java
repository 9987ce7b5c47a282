package dev.cxoneroutes.testing;

import static dev.cxoneroutes.testing.Generated.length;
import static dev.cxoneroutes.testing.Generated.oneOf;
import static dev.cxoneroutes.testing.Generated.stringOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generated bridge commands (CONTRACT §3–5): valid ones with the CXone bridge request CONTRACT §8
 * says they map to, and invalid ones breaking exactly one field, with the name errors[] must give.
 */
public final class BridgeInputs {

    static final ObjectMapper JSON = new ObjectMapper();
    public static final String CALL_ID = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    static final List<String> DIRECTIONS = List.of("inbound", "outbound", "transfer", "consult");
    static final List<String> DTMF_MODES = List.of("RFC2833", "INFO", "PULSE");
    /** requestId is an idempotency key: two commands sharing one would replay, not bridge. */
    private static final AtomicLong REQUEST_IDS = new AtomicLong();

    private BridgeInputs() {}

    /**
     * A valid command. {@code matrix} null means the field is absent; {@code dtmf} and
     * {@code requestId} null likewise.
     */
    public record Valid(
            String callId, List<String> numbers, String direction, List<int[]> matrix, String dtmf, String requestId) {

        /** The command as the queue and drop files carry it, with {@code callId}; over HTTP without. */
        public ObjectNode json(boolean withCallId) {
            ObjectNode body = JSON.createObjectNode();
            if (withCallId) {
                body.put("callId", callId);
            }
            ArrayNode targets = body.putArray("targets");
            numbers.forEach(n -> targets.addObject().put("type", "phone").put("value", n));
            body.put("direction", direction);
            if (matrix != null) {
                ArrayNode entries = body.putArray("bridgeMatrix");
                matrix.forEach(e -> entries.addObject().put("source", e[0]).put("target", e[1]));
            }
            if (dtmf != null) {
                body.put("dtmf", dtmf);
            }
            if (requestId != null) {
                body.put("requestId", requestId);
            }
            return body;
        }

        /** The bridge request CONTRACT §8 prescribes: every field spelled out, defaults included. */
        public JsonNode expectedBridgeRequest() {
            ObjectNode request = JSON.createObjectNode();
            request.put("callId", callId);
            ArrayNode targets = request.putArray("targets");
            numbers.forEach(n -> targets.addObject().put("type", "phone").put("value", n));
            request.put("direction", direction);
            ArrayNode entries = request.putArray("bridgeMatrix");
            if (matrix != null) {
                matrix.forEach(e -> entries.addObject().put("source", e[0]).put("target", e[1]));
            }
            request.put("dtmf", dtmf == null ? "RFC2833" : dtmf);
            return request;
        }

        @Override
        public String toString() {
            return json(true).toString();
        }
    }

    /** A command breaking one rule; {@code field} is what errors[] must name. */
    public record Invalid(ObjectNode body, String field, String broken) {
        @Override
        public String toString() {
            return "Invalid[" + broken + " → " + field + "] " + body;
        }
    }

    public static String callId(Random random) {
        return stringOf(random, CALL_ID, 1, length(random, 1, 64));
    }

    /** E.164 as the contract spells it: {@code ^\+?[1-9]\d{1,14}$}. */
    public static String e164(Random random) {
        return (random.nextBoolean() ? "+" : "")
                + stringOf(random, "123456789", 1, 1)
                + stringOf(random, "0123456789", 1, length(random, 1, 14));
    }

    public static Valid valid(Random random) {
        int targets = 1 + random.nextInt(7);
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < targets; i++) {
            numbers.add(e164(random));
        }
        List<int[]> matrix = null;
        if (random.nextInt(3) > 0) {
            matrix = new ArrayList<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                int source = random.nextInt(targets + 1);
                int target = (source + 1 + random.nextInt(targets)) % (targets + 1); // any other leg
                matrix.add(new int[] {source, target});
            }
        }
        return new Valid(
                callId(random),
                numbers,
                oneOf(random, DIRECTIONS),
                matrix,
                random.nextBoolean() ? null : oneOf(random, DTMF_MODES),
                random.nextInt(3) == 0
                        ? "req-" + REQUEST_IDS.incrementAndGet() + "-" + random.nextInt(1_000_000)
                        : null);
    }

    /** A command (with callId unless {@code withCallId} is false) with one field broken. */
    public static Invalid invalid(Random random, boolean withCallId) {
        Valid valid = valid(random);
        ObjectNode body = valid.json(withCallId);
        int targets = valid.numbers().size();
        List<String> ways = new ArrayList<>(List.of(
                "targets missing",
                "targets empty",
                "targets too many",
                "targets not a list",
                "target value",
                "target type",
                "target not an object",
                "direction missing",
                "direction unknown",
                "matrix out of range",
                "matrix negative",
                "matrix same leg",
                "matrix not a number",
                "dtmf unknown"));
        if (withCallId) {
            ways.addAll(List.of("callId missing", "callId bad character", "callId too long"));
        }
        String broken = oneOf(random, ways);
        int at = random.nextInt(targets);
        String field;
        switch (broken) {
            case "targets missing" -> {
                body.remove("targets");
                body.remove("bridgeMatrix"); // without targets the legs are unknown: not judged
                field = "targets";
            }
            case "targets empty" -> {
                body.putArray("targets");
                body.remove("bridgeMatrix");
                field = "targets";
            }
            case "targets too many" -> {
                ArrayNode list = body.putArray("targets");
                for (int i = 0; i < 8 + random.nextInt(4); i++) {
                    list.addObject().put("type", "phone").put("value", e164(random));
                }
                field = "targets";
            }
            case "targets not a list" -> {
                body.putObject("targets").put("type", "phone");
                body.remove("bridgeMatrix");
                field = "targets";
            }
            case "target value" -> {
                ((ObjectNode) body.withArray("targets").get(at)).put("value", badE164(random));
                field = "targets[" + at + "].value";
            }
            case "target type" -> {
                ((ObjectNode) body.withArray("targets").get(at))
                        .put("type", oneOf(random, List.of("sip", "PHONE", "")));
                field = "targets[" + at + "].type";
            }
            case "target not an object" -> {
                body.withArray("targets")
                        .set(at, JSON.getNodeFactory().textNode(valid.numbers().get(at)));
                field = "targets[" + at + "]";
            }
            case "direction missing" -> {
                body.remove("direction");
                field = "direction";
            }
            case "direction unknown" -> {
                body.put("direction", oneOf(random, List.of("sideways", "Inbound", "", "out bound")));
                field = "direction";
            }
            case "matrix out of range", "matrix negative", "matrix same leg", "matrix not a number" -> {
                ArrayNode entries = body.putArray("bridgeMatrix");
                int index = random.nextInt(3);
                for (int i = 0; i < index; i++) {
                    entries.addObject().put("source", 0).put("target", 1);
                }
                ObjectNode entry = entries.addObject().put("source", 0).put("target", 1);
                String side = random.nextBoolean() ? "source" : "target";
                switch (broken) {
                    case "matrix out of range" -> entry.put(side, targets + 1 + random.nextInt(5));
                    case "matrix negative" -> entry.put(side, -1 - random.nextInt(5));
                    case "matrix not a number" -> entry.put(side, "one");
                    default -> {
                        int leg = random.nextInt(targets + 1);
                        entry.put("source", leg).put("target", leg);
                        side = "target";
                    }
                }
                field = "bridgeMatrix[" + index + "]." + side;
            }
            case "dtmf unknown" -> {
                body.put("dtmf", oneOf(random, List.of("rfc2833", "SIP", "", "INFO ")));
                field = "dtmf";
            }
            case "callId missing" -> {
                body.remove("callId");
                field = "callId";
            }
            case "callId bad character" -> {
                body.put("callId", badCallId(random));
                field = "callId";
            }
            default -> {
                body.put("callId", stringOf(random, CALL_ID, 65, 80));
                field = "callId";
            }
        }
        return new Invalid(body, field, broken);
    }

    /** Not E.164: too short, too long, a leading 0, or a character that is not a digit. */
    static String badE164(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> "+" + stringOf(random, "123456789", 1, 1);
            case 1 -> stringOf(random, "123456789", 1, 1) + stringOf(random, "0123456789", 15, 20);
            case 2 -> "+0" + stringOf(random, "0123456789", 1, 10);
            case 3 -> "++1" + stringOf(random, "0123456789", 1, 10);
            default -> "+1" + stringOf(random, "0123456789", 0, 5) + stringOf(random, "- ()xA", 1, 1)
                    + stringOf(random, "0123456789", 1, 5);
        };
    }

    /** A call id with at least one character outside {@code A-Z a-z 0-9 - _}, never only dots. */
    public static String badCallId(Random random) {
        String valid = stringOf(random, CALL_ID, 1, 10);
        String bad = stringOf(random, " .~!$&'()*+,;=:@%é名/?#", 1, 1);
        int at = random.nextInt(valid.length() + 1);
        return valid.substring(0, at) + bad + valid.substring(at);
    }
}
