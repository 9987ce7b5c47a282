package dev.cxoneroutes.apidocs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cxoneroutes.testing.LiveService;
import dev.cxoneroutes.testing.LiveServiceTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET /api/v1/docs in a real browser: headless Chromium renders Swagger UI from the jar's files and
 * shows both operations, with API keys set and none given. Runs where /usr/bin/chromium exists;
 * .ci/run installs it, so in CI (CI=true) its absence is a failure, not a skip.
 *
 * <p>{@code -Dapidocs.screenshot=/tmp/docs.png} also saves a screenshot, to look at by eye.
 */
class ApiDocsBrowserTest extends LiveServiceTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @RegisterExtension
    static final LiveService live = new LiveService();

    @Override
    protected LiveService live() {
        return live;
    }

    @Test
    void the_docs_page_renders_both_operations_in_a_browser() throws Exception {
        requireChromium();

        String dom = chromium("--dump-dom", service.url("/api/v1/docs"));
        String screenshot = System.getProperty("apidocs.screenshot");
        if (screenshot != null) {
            chromium("--screenshot=" + screenshot, "--window-size=1280,1600", service.url("/api/v1/docs"));
        }

        // Swagger UI breaks paths with zero-width spaces so they can wrap.
        String text = dom.replace("\u200b", "").replace("&ZeroWidthSpace;", "");
        assertThat(text).as("Swagger UI rendered the document").contains("opblock");
        assertThat(text).contains("/api/v1/ivr/handoff").contains("/api/v1/calls/{callId}/bridge");
        assertThat(text).contains("Move an IVR caller to web messaging").contains("Bridge an active call");
        assertThat(text).doesNotContain("Failed to load API definition");
    }

    private static void requireChromium() {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(CHROMIUM + " is missing: .ci/run installs it (apt-get install chromium)");
        }
        Assumptions.abort(CHROMIUM + " is not installed (apt-get install chromium)");
    }

    /** Runs headless Chromium on a page and returns what it printed (the DOM for --dump-dom). */
    private static String chromium(String... arguments) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile");
        Path output = Files.createTempFile("chromium", ".out");
        List<String> command = new ArrayList<>(List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=10000"));
        command.addAll(List.of(arguments));
        Process browser = new ProcessBuilder(command)
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!browser.waitFor(90, TimeUnit.SECONDS)) {
            browser.destroyForcibly();
            fail("Chromium did not finish within 90 s");
        }
        return Files.readString(output, StandardCharsets.UTF_8);
    }
}
