package dev.cxoneroutes.webhooks;

import dev.cxoneroutes.files.LineAppender;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code DATA_DIR/dead-letter/cti-webhook.jsonl}: the webhook deliveries that ran out of retries,
 * one {@link DeadLetter} per line, appended with the same guarantees as the audit log (no torn
 * lines, on disk when {@link #append} returns; see {@link LineAppender}), and listed for replay.
 *
 * <p>The file is created by the first dead letter, so its existence alone tells an operator that
 * something was lost.
 */
public final class DeadLetterFile implements Closeable {

    public static final String FILE_NAME = "cti-webhook.jsonl";

    private final Path file;
    private LineAppender appender; // guarded by this

    /** @param deadLetterDir normally {@code DATA_DIR/dead-letter}; created with the first dead letter */
    public DeadLetterFile(Path deadLetterDir) {
        this.file = deadLetterDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** Appends the dead letter and returns once it is on disk. */
    public void append(DeadLetter deadLetter) throws IOException {
        appender().append(deadLetter.toJson());
    }

    /**
     * Every dead letter in the file, in the order they were written. Lines that cannot be read (a
     * partial line left by a power cut, a line edited by hand) are skipped and reported by number,
     * so one bad line never hides the others. A line being appended while this reads may show up
     * as unreadable.
     */
    public Listing list() throws IOException {
        List<DeadLetter> entries = new ArrayList<>();
        List<Integer> unreadable = new ArrayList<>();
        if (!Files.exists(file)) {
            return new Listing(entries, unreadable);
        }
        // Replace bad UTF-8 instead of failing: a torn multi-byte character must not stop the listing.
        var decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    entries.add(DeadLetter.fromJson(line));
                } catch (IllegalArgumentException | NullPointerException notADeadLetter) {
                    unreadable.add(number);
                }
            }
        }
        return new Listing(entries, unreadable);
    }

    /** Closes the file; a later {@link #append} opens it again. */
    @Override
    public synchronized void close() throws IOException {
        if (appender != null) {
            appender.close();
            appender = null;
        }
    }

    private synchronized LineAppender appender() throws IOException {
        if (appender == null) {
            appender = LineAppender.open(file);
        }
        return appender;
    }

    /**
     * What {@link #list()} found.
     *
     * @param unreadableLines 1-based numbers of the lines that are not dead letters
     */
    public record Listing(List<DeadLetter> entries, List<Integer> unreadableLines) {
        public Listing {
            entries = List.copyOf(entries);
            unreadableLines = List.copyOf(unreadableLines);
        }
    }
}
