package dev.cxoneroutes.batch;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.BitSet;
import java.util.Optional;

/**
 * The numbers of a drop file's lines that were handed to CXone, one per line, appended just before
 * each is sent. After a crash, a line in here without a result line is the only kind whose fate is
 * unknown: CXone may have bridged it. The first line names the input's SHA-256, so a new file with
 * the same name is not mistaken for the one that was interrupted; a finished file's journal is cut
 * down to that header and {@value #COMPLETE}.
 */
final class InFlightJournal {

    static final String HEADER_PREFIX = "# sha256=";
    static final String COMPLETE = "# complete";

    /** What a journal says about the input it was written for. */
    record State(BitSet sent, boolean complete) {}

    private InFlightJournal() {}

    /** The journal's state when it belongs to the input with this hash; empty otherwise. */
    static Optional<State> read(Path journal, String sha256) throws IOException {
        if (!Files.exists(journal)) {
            return Optional.empty();
        }
        try (BufferedReader reader = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null || !header.equals(HEADER_PREFIX + sha256)) {
                return Optional.empty();
            }
            BitSet sent = new BitSet();
            boolean complete = false;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.equals(COMPLETE)) {
                    complete = true;
                } else if (!line.isBlank()) {
                    try {
                        sent.set(Integer.parseInt(line.trim()));
                    } catch (NumberFormatException tornByPowerCut) {
                        // a fragment cut short: its line was not yet sent (the number is written first)
                    }
                }
            }
            return Optional.of(new State(sent, complete));
        }
    }

    /** A fresh journal for the input with this hash, replacing any older one. */
    static BatchLineWriter start(Path journal, String sha256, long syncIntervalMillis) throws IOException {
        replace(journal, HEADER_PREFIX + sha256 + "\n");
        return BatchLineWriter.open(journal, syncIntervalMillis);
    }

    /** Reopens an existing journal to go on appending. */
    static BatchLineWriter resume(Path journal, long syncIntervalMillis) throws IOException {
        return BatchLineWriter.open(journal, syncIntervalMillis);
    }

    /** Cuts a finished file's journal down to its header and the complete mark, atomically. */
    static void complete(Path journal, String sha256) throws IOException {
        replace(journal, HEADER_PREFIX + sha256 + "\n" + COMPLETE + "\n");
    }

    private static void replace(Path journal, String content) throws IOException {
        Files.createDirectories(journal.toAbsolutePath().getParent());
        Path temporary = journal.resolveSibling(journal.getFileName() + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        try (var channel = java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temporary, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
