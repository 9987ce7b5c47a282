package dev.cxoneroutes.files;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A UTF-8 file's lines, read as they are needed, for a streaming {@code split}: split on {@code \n}
 * only (a trailing {@code \r} stays on its line), every empty line kept, so that the N-th element is
 * the file's N-th line. Camel's streaming {@code tokenize} cannot promise that: its scanner skips a
 * delimiter at the very start of the input, so a file beginning with an empty line had every later
 * line numbered one too low. Closed by the splitter when it is done.
 */
public final class FileLines implements Iterator<String>, Closeable {

    private static final int BUFFER_CHARS = 16 * 1024;

    private final Reader reader;
    private final char[] buffer = new char[BUFFER_CHARS];
    private int position;
    private int limit;
    private boolean endOfInput;
    private String next;

    private FileLines(Reader reader) {
        this.reader = reader;
    }

    /** The lines of {@code file}, decoded as UTF-8 (an invalid byte fails the read). */
    public static FileLines of(File file) throws IOException {
        return new FileLines(Files.newBufferedReader(file.toPath(), StandardCharsets.UTF_8));
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = readLine();
        }
        return next != null;
    }

    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        String line = next;
        next = null;
        return line;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** The next line without its {@code \n}, or null at the end (text after the last \n is a line). */
    private String readLine() {
        StringBuilder longLine = null;
        while (true) {
            if (position == limit && !fill()) {
                return longLine == null || longLine.isEmpty() ? null : longLine.toString();
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            if (position < limit) {
                String end = new String(buffer, start, position - start);
                position++; // past the \n
                return longLine == null ? end : longLine.append(end).toString();
            }
            if (longLine == null) {
                longLine = new StringBuilder(2 * (limit - start));
            }
            longLine.append(buffer, start, limit - start);
        }
    }

    private boolean fill() {
        if (endOfInput) {
            return false;
        }
        try {
            int read;
            do {
                read = reader.read(buffer);
            } while (read == 0);
            if (read < 0) {
                endOfInput = true;
                return false;
            }
            position = 0;
            limit = read;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
