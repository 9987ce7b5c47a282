package dev.cxoneroutes.testing;

import dev.cxoneroutes.Application;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The service in a JVM of its own, started the way {@code java -jar} starts it (same main class,
 * the test classpath), so a test can kill it with SIGKILL as a crash would.
 */
public final class ServiceProcess {

    private ServiceProcess() {}

    /** Starts it with these environment variables on top of the test's, its output going to {@code log}. */
    public static Process start(Map<String, String> environment, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                Application.class.getName());
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return builder.start();
    }
}
