package dev.cxoneroutes.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.config.CloseOnStop;
import dev.cxoneroutes.config.Settings;
import dev.cxoneroutes.cxone.CxoneSettings;
import dev.cxoneroutes.cxone.SecretScrubber;
import jakarta.validation.Validation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** The beans every entry point shares: the request guard, body reading, answers, idempotent replay. */
public final class ApiWiring {

    private ApiWiring() {}

    /** API_KEYS, split; empty when unset. */
    public static List<String> apiKeys(Settings settings) {
        return Arrays.stream(settings.text("api.keys", "").split(","))
                .map(String::trim)
                .filter(key -> !key.isEmpty())
                .toList();
    }

    public static void bind(
            CamelContext context,
            Settings settings,
            CxoneSettings cxone,
            ObjectMapper json,
            List<String> apiKeys,
            Path dataDirectory)
            throws Exception {
        Registry registry = context.getRegistry();
        registry.bind("requestGuard", new RequestGuard(apiKeys));
        registry.bind("answerWriter", new AnswerWriter(json));
        registry.bind(
                "failureAnswer", new FailureAnswer(json, new SecretScrubber(cxone.secrets()), cxone.maxBackoff()));
        registry.bind(
                "idempotentReplay",
                new IdempotentReplay(keptAnswers(context, settings, dataDirectory), Duration.ofMinutes(5)));
        registry.bind(
                "jsonBodies",
                new JsonBodies(json, Validation.buildDefaultValidatorFactory().getValidator()));
    }

    /** The idempotency store, on disk under DATA_DIR/state, closed when the service stops. */
    private static KeptAnswers keptAnswers(CamelContext context, Settings settings, Path dataDirectory)
            throws Exception {
        KeptAnswers answers = KeptAnswers.open(
                dataDirectory.resolve("state/idempotency.mv.db"),
                Duration.ofHours(settings.number("idempotency.retention-hours", 24)),
                settings.number("idempotency.max-entries", 100_000),
                Clock.systemUTC());
        context.addService(new CloseOnStop(answers), true, false);
        return answers;
    }
}
