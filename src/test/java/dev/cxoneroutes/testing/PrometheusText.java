package dev.cxoneroutes.testing;

import java.util.Arrays;
import java.util.Optional;

/** Reads values out of a Prometheus text exposition, the way a scraper would see them. */
public record PrometheusText(String text) {

    /**
     * The value of the sample with this name whose labels include every {@code name="value"} pair
     * given (as alternating names and values); empty when there is no such sample.
     */
    public Optional<Double> value(String name, String... labels) {
        return text.lines()
                .filter(line -> !line.startsWith("#"))
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> hasLabels(line, labels))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst();
    }

    /** As {@link #value}, 0 when there is no such sample. */
    public double valueOrZero(String name, String... labels) {
        return value(name, labels).orElse(0.0);
    }

    public boolean hasFamily(String name) {
        return text.lines().anyMatch(line -> line.startsWith("# TYPE " + name + " "));
    }

    private static boolean hasLabels(String line, String[] labels) {
        String labelPart = line.contains("{") ? line.substring(line.indexOf('{'), line.lastIndexOf('}') + 1) : "";
        for (int i = 0; i < labels.length; i += 2) {
            String pair = labels[i] + "=\"" + labels[i + 1] + "\"";
            if (!Arrays.stream(labelPart.replaceAll("[{}]", "").split(",")).anyMatch(pair::equals)) {
                return false;
            }
        }
        return true;
    }
}
