package dev.cxoneroutes.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.config.Settings;
import dev.cxoneroutes.cxone.CxoneSettings;
import dev.cxoneroutes.cxone.SecretScrubber;
import dev.cxoneroutes.state.StateStoreWiring;
import jakarta.validation.Validation;
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
            CamelContext context, Settings settings, CxoneSettings cxone, ObjectMapper json, List<String> apiKeys)
            throws Exception {
        Registry registry = context.getRegistry();
        registry.bind("requestGuard", new RequestGuard(apiKeys));
        registry.bind("answerWriter", new AnswerWriter(json));
        registry.bind(
                "failureAnswer", new FailureAnswer(json, new SecretScrubber(cxone.secrets()), cxone.maxBackoff()));
        registry.bind(
                "idempotentReplay",
                new IdempotentReplay(StateStoreWiring.answerStore(context, settings), StateStoreWiring.WAIT_FOR_FIRST));
        registry.bind(
                "jsonBodies",
                new JsonBodies(json, Validation.buildDefaultValidatorFactory().getValidator()));
    }
}
