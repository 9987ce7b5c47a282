package dev.cxoneroutes.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads what the service wrote under DATA_DIR: audit lines and webhook dead letters. */
public final class DataFiles {

    private DataFiles() {}

    /** Every line of every audit file, in file order; missing files read as none. */
    public static List<String> auditLines(Path dataDirectory) {
        Path audit = dataDirectory.resolve("audit");
        if (!Files.isDirectory(audit)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(audit)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("audit-\\d{4}-\\d{2}-\\d{2}\\.jsonl"))
                    .sorted()
                    .toList()) {
                lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    public static Path deadLetterFile(Path dataDirectory) {
        return dataDirectory.resolve("dead-letter").resolve("cti-webhook.jsonl");
    }

    public static List<String> deadLetterLines(Path dataDirectory) {
        Path file = deadLetterFile(dataDirectory);
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The whole content of every file the service wrote under DATA_DIR except the broker's journal,
     * binary stores included (read byte for byte, so an ASCII secret shows up wherever it is).
     */
    public static String allWrittenText(Path dataDirectory) {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> !f.startsWith(dataDirectory.resolve("broker")))
                    .toList()) {
                text.append(Files.readString(file, StandardCharsets.ISO_8859_1)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
