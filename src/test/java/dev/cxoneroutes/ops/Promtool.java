package dev.cxoneroutes.ops;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus's own checker (Debian package prometheus; .ci/run installs it). In CI (CI=true) a
 * missing promtool fails the test: the rules would otherwise go unchecked without anyone noticing.
 * On a developer machine without it the tests are skipped, so `mvn verify` still runs there.
 */
final class Promtool {

    /** What promtool printed and how it exited. */
    record Result(int exitCode, String output) {}

    private final Path executable;

    private Promtool(Path executable) {
        this.executable = executable;
    }

    /** promtool from PATH, or a failed (CI) or skipped (elsewhere) test. */
    static Promtool required() {
        Optional<Path> found = onPath();
        if (found.isEmpty()) {
            String message = "promtool is not installed (apt-get install prometheus; .ci/run does this)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        return new Promtool(found.get());
    }

    Result run(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(arguments));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("promtool did not finish within a minute: " + command);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Path> onPath() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, "promtool");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
