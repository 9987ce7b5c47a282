package dev.cxoneroutes.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * What an existing results file says is done: the line numbers that have a result, and how many
 * succeeded. The results file is the batch's progress record; this is how a restart reads it. Only
 * the leading {@code "line"} and {@code "status"} fields of each result are parsed.
 *
 * @param lines 1-based numbers of the input lines that have a result
 */
record FinishedLines(BitSet lines, long succeeded, long failed) {

    private static final JsonFactory JSON = new JsonFactory();

    static FinishedLines none() {
        return new FinishedLines(new BitSet(), 0, 0);
    }

    /** Reads the results file, first cutting off a partial last line (a write cut short by a power cut). */
    static FinishedLines read(Path results) throws IOException {
        if (!Files.exists(results)) {
            return none();
        }
        BatchLineWriter.cutPartialLastLine(results);
        BitSet lines = new BitSet();
        long succeeded = 0;
        long failed = 0;
        try (BufferedReader reader = Files.newBufferedReader(results, StandardCharsets.UTF_8)) {
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                Result result = parse(text);
                if (result == null || lines.get(result.line)) {
                    continue;
                }
                lines.set(result.line);
                if (result.success) {
                    succeeded++;
                } else {
                    failed++;
                }
            }
        }
        return new FinishedLines(lines, succeeded, failed);
    }

    private record Result(int line, boolean success) {}

    private static Result parse(String text) throws IOException {
        Integer line = null;
        Boolean success = null;
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while ((line == null || success == null) && parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("line".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                    line = parser.getIntValue();
                } else if ("status".equals(field)) {
                    success = value == JsonToken.VALUE_STRING && "success".equals(parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException unreadable) {
            return null;
        }
        return line == null || line < 1 ? null : new Result(line, Boolean.TRUE.equals(success));
    }
}
