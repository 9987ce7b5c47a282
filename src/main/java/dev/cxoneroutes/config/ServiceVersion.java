package dev.cxoneroutes.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project version, written into the jar by the build. */
public final class ServiceVersion {

    private ServiceVersion() {}

    public static String read() {
        try (InputStream in = ServiceVersion.class.getResourceAsStream("/cxone-routes-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
