package dev.cxoneroutes.config;

import java.util.Optional;
import java.util.function.Function;

/**
 * Typed access to the service's settings. Keys are those of application.properties; Camel's
 * property resolution lets the matching environment variable ({@code cxone.base-url} ←
 * {@code CXONE_BASE_URL}) win over the file.
 */
public final class Settings {

    private final Function<String, Optional<String>> lookup;

    public Settings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /** The value, or empty when the key is missing or blank. */
    public Optional<String> text(String key) {
        return lookup.apply(key).map(String::trim).filter(value -> !value.isEmpty());
    }

    public String text(String key, String fallback) {
        return text(key).orElse(fallback);
    }

    public int number(String key, int fallback) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(
                    "Setting " + environmentName(key) + " must be a whole number, got '" + value.get() + "'");
        }
    }

    /** The environment variable that overrides a key: {@code cxone.base-url} → {@code CXONE_BASE_URL}. */
    public static String environmentName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
