package dev.cxoneroutes.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The series of one Prometheus text scrape, and what a query asks of them that they do not have.
 * Names are compared as samples carry them: a histogram shows up as {@code _bucket}, {@code _sum}
 * and {@code _count} samples, a counter with its {@code _total}, so nothing is stripped.
 */
final class ScrapedSeries {

    /** Labels Prometheus adds at scrape time: no exposition has them. */
    static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    /** Series that Prometheus or an exporter produce about the service, never the service itself. */
    static final Map<String, String> NOT_FROM_THE_SERVICE = Map.of(
            "up", "set by Prometheus for every scrape target",
            "probe_success", "set by the blackbox exporter probing /observe/health/ready");

    private record Sample(String name, Map<String, String> labels) {}

    private final List<Sample> samples;

    private ScrapedSeries(List<Sample> samples) {
        this.samples = samples;
    }

    static ScrapedSeries parse(String exposition) {
        List<Sample> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            if (brace >= 0 && brace < space) {
                int close = line.lastIndexOf('}');
                samples.add(new Sample(line.substring(0, brace), labels(line.substring(brace + 1, close))));
            } else {
                samples.add(new Sample(line.substring(0, space), Map.of()));
            }
        }
        return new ScrapedSeries(samples);
    }

    /**
     * What the selector asks that no scraped series has: an unknown metric name, a label the metric
     * does not carry, or an exact or regex label value that no series of it has. Empty when all is
     * there. Values with a Grafana variable in them, and {@code !=}/{@code !~}, are checked for their
     * label only.
     */
    List<String> problems(PromqlSelectors.Selector selector) {
        if (selector.name() == null) {
            return List.of("a selector without a metric name cannot be checked: " + selector);
        }
        if (NOT_FROM_THE_SERVICE.containsKey(selector.name())) {
            return List.of();
        }
        List<Sample> ofName = samples.stream()
                .filter(sample -> sample.name().equals(selector.name()))
                .toList();
        if (ofName.isEmpty()) {
            return List.of("no series named " + selector.name());
        }
        List<String> problems = new ArrayList<>();
        for (PromqlSelectors.Matcher matcher : selector.matchers()) {
            if (TARGET_LABELS.contains(matcher.label())) {
                continue;
            }
            List<String> values = ofName.stream()
                    .map(sample -> sample.labels().get(matcher.label()))
                    .filter(value -> value != null)
                    .toList();
            if (values.isEmpty()) {
                problems.add(selector.name() + " has no label " + matcher.label());
            } else if (!matcher.value().contains("$") && !anyMatches(matcher, values)) {
                problems.add(selector.name() + " has no series with " + matcher.label() + matcher.op() + "\""
                        + matcher.value() + "\" (values seen: "
                        + values.stream().distinct().toList() + ")");
            }
        }
        return problems;
    }

    private static boolean anyMatches(PromqlSelectors.Matcher matcher, List<String> values) {
        return switch (matcher.op()) {
            case "=" -> values.contains(matcher.value());
            case "=~" -> values.stream().anyMatch(compile(matcher.value()).asMatchPredicate());
            default -> true; // != and !~ select by absence: any value will do
        };
    }

    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("Not a regular expression: " + regex, e);
        }
    }

    /** {@code a="x",b="y \"quoted\""} to a map. */
    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            int equals = text.indexOf('=', i);
            String name = text.substring(i, equals).trim();
            StringBuilder value = new StringBuilder();
            int j = equals + 2; // past ="
            while (text.charAt(j) != '"') {
                if (text.charAt(j) == '\\') {
                    j++;
                }
                value.append(text.charAt(j++));
            }
            labels.put(name, value.toString());
            i = j + 1;
            while (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
                i++;
            }
        }
        return labels;
    }
}
