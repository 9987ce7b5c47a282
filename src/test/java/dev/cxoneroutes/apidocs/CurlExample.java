package dev.cxoneroutes.apidocs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A curl command to the business API as the documentation shows it (README.md, docs/*.md), read
 * from the Markdown's code blocks so that an example added later is checked too.
 *
 * @param source file and line, for messages
 * @param headers as given with -H, in order
 * @param body the request body as curl would send it, or null
 */
record CurlExample(String source, String method, String path, Map<String, String> headers, String body) {

    /** curl's own default for -d and --data-urlencode. */
    static final String FORM = "application/x-www-form-urlencoded";

    String contentType() {
        return headers.entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase("Content-Type"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(body == null ? null : FORM);
    }

    /** Every curl to {@code localhost:8080/api/v1/…} in the Markdown file's code blocks. */
    static List<CurlExample> in(Path markdown) {
        List<String> lines;
        try {
            lines = Files.readAllLines(markdown);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<CurlExample> examples = new ArrayList<>();
        boolean inCode = false;
        StringBuilder command = new StringBuilder();
        int commandLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.trim().startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (!inCode) {
                continue;
            }
            if (command.isEmpty()) {
                commandLine = i + 1;
            }
            if (line.endsWith("\\")) {
                command.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            command.append(line);
            parse(markdown.getFileName() + ":" + commandLine, command.toString())
                    .ifPresent(examples::add);
            command.setLength(0);
        }
        return examples;
    }

    private static java.util.Optional<CurlExample> parse(String source, String shellLine) {
        int start = shellLine.indexOf("curl ");
        if (start < 0) {
            return java.util.Optional.empty();
        }
        List<String> words = words(shellLine.substring(start));
        String method = null;
        String url = null;
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> data = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            switch (word) {
                case "-X", "--request" -> method = words.get(++i);
                case "-H", "--header" -> {
                    String[] header = words.get(++i).split(":", 2);
                    headers.put(header[0].trim(), header[1].trim());
                }
                case "-d", "--data", "--data-raw", "--data-binary" -> data.add(words.get(++i));
                case "--data-urlencode" -> {
                    String[] field = words.get(++i).split("=", 2);
                    data.add(field[0] + "=" + URLEncoder.encode(field[1], StandardCharsets.UTF_8));
                }
                default -> {
                    if (word.startsWith("http://") || word.startsWith("https://")) {
                        url = word;
                    }
                }
            }
        }
        if (url == null) {
            return java.util.Optional.empty();
        }
        URI uri = URI.create(url);
        if (uri.getPort() != 8080 || !uri.getPath().startsWith("/api/v1/")) {
            return java.util.Optional.empty();
        }
        String body = data.isEmpty() ? null : String.join("&", data);
        return java.util.Optional.of(new CurlExample(
                source, method != null ? method : body != null ? "POST" : "GET", uri.getPath(), headers, body));
    }

    /** Shell words: quotes group and are removed; an unquoted |, ; or # ends the command. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (c == '|' || c == ';' || (c == '#' && !inWord)) {
                break;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
