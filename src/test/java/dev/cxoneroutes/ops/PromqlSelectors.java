package dev.cxoneroutes.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The vector selectors of a PromQL expression ({@code name{label="value"}}), found by a small
 * tokenizer: enough PromQL to tell metric names from functions, aggregations, keywords, label
 * lists ({@code by (le)}), strings, numbers, durations and Grafana variables. Not a full parser;
 * promtool checks the syntax.
 */
final class PromqlSelectors {

    /** A metric name and its label matchers; name is null for a selector like {@code {job="x"}}. */
    record Selector(String name, List<Matcher> matchers) {}

    /** {@code label op "value"}, op one of {@code = != =~ !~}. */
    record Matcher(String label, String op, String value) {}

    /** Aggregation operators may be followed by {@code by (...)} instead of their argument list. */
    private static final Set<String> AGGREGATIONS = Set.of(
            "sum",
            "min",
            "max",
            "avg",
            "group",
            "stddev",
            "stdvar",
            "count",
            "count_values",
            "bottomk",
            "topk",
            "quantile",
            "limitk",
            "limit_ratio");

    /** Followed by a list of label names, not an expression. */
    private static final Set<String> LABEL_LIST_KEYWORDS =
            Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");

    private final String text;
    private int position;

    private PromqlSelectors(String text) {
        this.text = text;
    }

    static List<Selector> in(String expression) {
        return new PromqlSelectors(expression).selectors();
    }

    /** The metric names of {@link #in}, in order, without repeats. */
    static List<String> metricNames(String expression) {
        return in(expression).stream()
                .map(Selector::name)
                .filter(name -> name != null)
                .distinct()
                .toList();
    }

    private List<Selector> selectors() {
        List<Selector> found = new ArrayList<>();
        while (position < text.length()) {
            char c = text.charAt(position);
            if (Character.isWhitespace(c)) {
                position++;
            } else if (c == '"' || c == '\'' || c == '`') {
                skipString();
            } else if (c == '$') {
                skipGrafanaVariable();
            } else if (c == '[') {
                skipPast(']');
            } else if (c == '{') {
                found.add(new Selector(null, matchers()));
            } else if (Character.isDigit(c) || (c == '.' && nextIsDigit())) {
                skipNumberOrDuration();
            } else if (isIdentifierStart(c)) {
                identifier(found);
            } else {
                position++;
            }
        }
        return found;
    }

    private void identifier(List<Selector> found) {
        String word = readIdentifier();
        int afterWord = position;
        skipWhitespace();
        boolean call = position < text.length() && text.charAt(position) == '(';
        String lower = word.toLowerCase(java.util.Locale.ROOT);
        if (LABEL_LIST_KEYWORDS.contains(lower)) {
            if (call) {
                skipPast(')');
            }
            return;
        }
        if (call || AGGREGATIONS.contains(lower) || KEYWORDS.contains(lower)) {
            position = afterWord;
            return;
        }
        List<Matcher> matchers = List.of();
        if (position < text.length() && text.charAt(position) == '{') {
            matchers = matchers();
        } else {
            position = afterWord;
        }
        found.add(new Selector(word, matchers));
    }

    /** Reads {@code {a="x", b=~"y"}} from the opening brace, past the closing one. */
    private List<Matcher> matchers() {
        List<Matcher> matchers = new ArrayList<>();
        position++; // {
        while (true) {
            skipWhitespace();
            if (position >= text.length()) {
                throw new IllegalArgumentException("Unclosed label matchers in: " + text);
            }
            char c = text.charAt(position);
            if (c == '}') {
                position++;
                return matchers;
            }
            if (c == ',') {
                position++;
                continue;
            }
            String label = readIdentifier();
            skipWhitespace();
            String op = readOperator();
            skipWhitespace();
            matchers.add(new Matcher(label, op, readString()));
        }
    }

    private String readOperator() {
        for (String op : List.of("=~", "!~", "!=", "=")) {
            if (text.startsWith(op, position)) {
                position += op.length();
                return op;
            }
        }
        throw new IllegalArgumentException("No label match operator at " + position + " in: " + text);
    }

    private String readString() {
        int start = position;
        skipString();
        return unquote(text.substring(start + 1, position - 1));
    }

    private static String unquote(String body) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                out.append(body.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private void skipString() {
        char quote = text.charAt(position++);
        while (position < text.length() && text.charAt(position) != quote) {
            position += text.charAt(position) == '\\' ? 2 : 1;
        }
        if (position >= text.length()) {
            throw new IllegalArgumentException("Unclosed string in: " + text);
        }
        position++;
    }

    /** {@code $name}, {@code $__rate_interval}, {@code ${name}} or {@code ${name:format}}. */
    private void skipGrafanaVariable() {
        position++;
        if (position < text.length() && text.charAt(position) == '{') {
            skipPast('}');
        } else {
            while (position < text.length() && isIdentifierPart(text.charAt(position))) {
                position++;
            }
        }
    }

    private void skipNumberOrDuration() {
        while (position < text.length()
                && (Character.isLetterOrDigit(text.charAt(position)) || text.charAt(position) == '.')) {
            position++;
        }
    }

    private void skipPast(char close) {
        int end = text.indexOf(close, position);
        if (end < 0) {
            throw new IllegalArgumentException("No '" + close + "' after " + position + " in: " + text);
        }
        position = end + 1;
    }

    private void skipWhitespace() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private String readIdentifier() {
        int start = position;
        while (position < text.length() && isIdentifierPart(text.charAt(position))) {
            position++;
        }
        if (start == position) {
            throw new IllegalArgumentException("Expected a name at " + position + " in: " + text);
        }
        return text.substring(start, position);
    }

    private boolean nextIsDigit() {
        return position + 1 < text.length() && Character.isDigit(text.charAt(position + 1));
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c == ':';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || Character.isDigit(c);
    }
}
