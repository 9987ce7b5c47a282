package dev.cxoneroutes.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLinesTest {

    @TempDir
    Path folder;

    @Test
    void keeps_every_empty_line_in_its_place() throws IOException {
        assertThat(lines("\n\na\n\nb\r\n\n")).containsExactly("", "", "a", "", "b\r", "");
        assertThat(lines("a")).containsExactly("a");
        assertThat(lines("a\n")).containsExactly("a");
        assertThat(lines("\n")).containsExactly("");
        assertThat(lines("")).isEmpty();
    }

    @Test
    void gives_the_same_lines_as_splitting_the_whole_text_on_newlines() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            List<String> written = new ArrayList<>();
            for (int line = random.nextInt(40); line > 0; line--) {
                // Lines up to several buffers long, some empty, some with non-ASCII characters.
                int length = random.nextInt(4) == 0 ? 0 : random.nextInt(random.nextBoolean() ? 50 : 40_000);
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < length; i++) {
                    text.append(random.nextInt(50) == 0 ? 'ü' : (char) ('a' + random.nextInt(26)));
                }
                written.add(text.toString());
            }
            boolean newlineAtEnd = !written.isEmpty() && random.nextBoolean();
            String content = String.join("\n", written) + (newlineAtEnd ? "\n" : "");
            List<String> expected = new ArrayList<>(written);
            if (!newlineAtEnd
                    && !expected.isEmpty()
                    && expected.get(expected.size() - 1).isEmpty()) {
                expected.remove(expected.size() - 1); // "a" + "\n" + "": nothing after the last \n
            }
            assertThat(lines(content)).as("round %d", round).isEqualTo(expected);
        }
    }

    @Test
    void fails_on_bytes_that_are_not_utf8() throws IOException {
        Path file = folder.resolve("latin1.jsonl");
        Files.write(file, "a\nGr\u00fcn\n".getBytes(StandardCharsets.ISO_8859_1));
        try (FileLines lines = FileLines.of(file.toFile())) {
            assertThatThrownBy(() -> lines.forEachRemaining(line -> {})).isInstanceOf(UncheckedIOException.class);
        }
    }

    private List<String> lines(String content) throws IOException {
        Path file = Files.createTempFile(folder, "lines", ".jsonl");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        List<String> read = new ArrayList<>();
        try (FileLines lines = FileLines.of(file.toFile())) {
            lines.forEachRemaining(read::add);
        }
        return read;
    }
}
