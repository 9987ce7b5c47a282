package dev.cxoneroutes.config;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The business port's answer to a request that arrives while the service is still starting: the
 * HTTP server listens before the routes' consumers are on it (and, while the embedded broker or the
 * sandbox finish starting in the background, for longer), and Vert.x would answer such a request
 * with an HTML 404. It gets a 503 problem document with {@code Retry-After: 1} instead, the answer
 * a caller is told to retry (README, "For IVR designers"). Once the service has started (and while
 * it stops), a path no route serves gets the usual 404.
 */
final class StartingAnswer implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(StartingAnswer.class);
    /** A caller's X-Request-ID is echoed only when it is plainly an id. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final int port;
    private boolean installed;

    StartingAnswer(int port) {
        this.port = port;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        install(context);
    }

    /** Before the consumers start: the last moment it can go in ahead of the first request. */
    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        install(context);
    }

    private void install(CamelContext context) {
        if (installed) {
            return;
        }
        Router router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            router = VertxPlatformHttpRouter.lookup(context);
        }
        if (router == null) {
            LOG.debug("No business HTTP router yet on port {}", port);
            return;
        }
        // Last: only a request no route took comes here.
        router.route().last().handler(request -> answer(context, request));
        installed = true;
    }

    private static void answer(CamelContext context, RoutingContext request) {
        if (!context.isStarting()) {
            request.next();
            return;
        }
        String requestId = request.request().getHeader("X-Request-ID");
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            requestId = UUID.randomUUID().toString();
        }
        String accept = request.request().getHeader("Accept");
        boolean plainJson = accept != null && accept.contains("application/json") && !accept.contains("problem+json");
        request.response()
                .setStatusCode(503)
                .putHeader("Content-Type", plainJson ? "application/json" : "application/problem+json")
                .putHeader("Retry-After", "1")
                .putHeader("X-Request-ID", requestId)
                .end("{\"type\":\"urn:cxone-routes:problem:service-starting\",\"title\":\"Service starting\","
                        + "\"status\":503,\"detail\":\"The service is starting: retry after Retry-After seconds.\","
                        + "\"code\":\"SERVICE_STARTING\",\"request_id\":\"" + requestId + "\"}");
    }
}
