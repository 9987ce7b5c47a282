package dev.cxoneroutes.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether CXone's API host accepts a TCP connection: nothing more (no request, no token), so that
 * asking costs CXone nothing and counts no token fetch. Used twice (issue 10): once right after
 * startup, off the startup thread, to say loudly that the service started although CXone cannot be
 * reached; and, in live mode, as readiness check {@code cxone}, asked at most every
 * HEALTH_CXONE_CHECK_SECONDS.
 */
public final class CxoneReachability extends SimpleEventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(CxoneReachability.class);

    private final URI baseUrl;
    private final Duration connectTimeout;
    private final boolean sandbox;

    public CxoneReachability(String baseUrl, Duration connectTimeout, boolean sandbox) {
        this.baseUrl = URI.create(baseUrl);
        this.connectTimeout = connectTimeout;
        this.sandbox = sandbox;
    }

    /** True when the base URL's host accepts a TCP connection within the timeout. */
    public boolean reachable() {
        return unreachableBecause().isEmpty();
    }

    /** Why the base URL's host cannot be reached; empty when it can. */
    public Optional<String> unreachableBecause() {
        String host = baseUrl.getHost();
        if (host == null) {
            return Optional.of("the URL names no host");
        }
        int port =
                baseUrl.getPort() != -1 ? baseUrl.getPort() : "http".equalsIgnoreCase(baseUrl.getScheme()) ? 80 : 443;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStartedEvent;
    }

    /** After startup: looks on a thread of its own, so neither startup nor readiness waits for it. */
    @Override
    public void notify(CamelEvent event) {
        Thread look = new Thread(this::tellIfUnreachable, "cxone-reachability");
        look.setDaemon(true);
        look.start();
    }

    private void tellIfUnreachable() {
        Optional<String> because = unreachableBecause();
        if (because.isEmpty()) {
            LOG.info("CXone at {} accepts connections", baseUrl);
            return;
        }
        LOG.warn(
                "CXone at {} is NOT reachable ({}{}). The service is up and keeps trying: until CXone can be"
                        + " reached, handoffs and bridges are answered 503 CXONE_UNAVAILABLE or 504 CXONE_TIMEOUT"
                        + " (JMS and drop-file requests get the same error results){}.",
                baseUrl,
                because.get(),
                sandbox ? ", the embedded sandbox" : "",
                sandbox ? "" : ", and readiness reports 'cxone' DOWN");
    }
}
