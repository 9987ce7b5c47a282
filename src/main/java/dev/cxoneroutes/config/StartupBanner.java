package dev.cxoneroutes.config;

import dev.cxoneroutes.cxone.CxoneSettings;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells whoever started the service where it listens and how to try it. */
class StartupBanner extends SimpleEventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(StartupBanner.class);

    private final Settings settings;
    private final CxoneSettings cxone;
    private final boolean apiOpen;

    StartupBanner(Settings settings, CxoneSettings cxone, boolean apiOpen) {
        this.settings = settings;
        this.cxone = cxone;
        this.apiOpen = apiOpen;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        String port = settings.text("http.port", "8080");
        String management =
                settings.text("management.host", "127.0.0.1") + ":" + settings.text("management.port", "9876");
        if (apiOpen) {
            LOG.warn("API_KEYS is not set: the API on port {} accepts requests without an X-API-Key.", port);
        }
        LOG.info(
                "cxone-routes is up: API on http://0.0.0.0:{}, health and metrics on http://{}/observe/health, CXone at {}{}",
                port,
                management,
                cxone.baseUrl(),
                cxone.sandbox() ? " (sandbox)" : "");
        LOG.info(
                "Try it: curl -s -X POST http://localhost:{}/api/v1/ivr/handoff -H 'Content-Type: application/json'"
                        + " -d '{\"dtmf_sequence\":\"12#\",\"voice_history\":{\"queue_name\":\"billing\",\"duration\":42},\"caller_id\":\"+15551234567\"}'",
                port);
    }
}
