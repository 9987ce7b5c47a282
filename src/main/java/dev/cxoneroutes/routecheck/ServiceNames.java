package dev.cxoneroutes.routecheck;

import java.util.Set;

/**
 * What the service provides to route files, so {@link RouteCheck} can judge a route without
 * starting the service. Kept by hand; {@code ServiceNamesTest} compares every list with the
 * registry and routes of a running service, so a list that drifts fails the build.
 */
final class ServiceNames {

    private ServiceNames() {}

    /**
     * Beans bound in every mode (each package's *Wiring, called by config/ServiceWiring, and
     * config/ApiDocsWiring).
     * Beans bound only in some modes (embeddedBroker, cxoneTokenReadiness) are left out on purpose:
     * a route naming one would fail in the other mode.
     */
    static final Set<String> BEANS = Set.of(
            "answerWriter",
            "apiDocs",
            "auditLog",
            "auditReadiness",
            "batchFiles",
            "batchLineExecutor",
            "batchLines",
            "batchProgress",
            "brokerReadiness",
            "bridgeMapping",
            "bridgeRequestReader",
            "cxoneAttempt",
            "cxoneCallTimer",
            "cxoneCircuitBreaker",
            "cxoneHeaders",
            "cxoneRetryDecisions",
            "cxoneSettings",
            "cxoneTokens",
            "dropFileClaims",
            "failureAnswer",
            "fanOutFailures",
            "guestSessionMapping",
            "handoffRequestReader",
            "idempotentReplay",
            "jmsConnectionFactory",
            "jmsConsumerConnectionFactory",
            "jmsReplyWriter",
            "jmsRequests",
            "jsonBodies",
            "jsonMapper",
            "keepCallersExchange",
            "metricsRegistry",
            "metricsStep",
            "operationTotals",
            "requestGuard",
            "requestLog",
            "resultEvents",
            "resultPublication",
            "resultRecorder",
            "serviceMetrics",
            "webhookAttempt",
            "webhookDeadLetters",
            "webhookOutbox",
            "webhookRequeue",
            "webhookSpool",
            "webhookSpoolInUse",
            "webhookUnqueued");

    /** {@code direct:} endpoints that Java route builders consume (handoff/, bridge/, batch/, cxone/). */
    static final Set<String> JAVA_ENDPOINTS = Set.of(
            "direct:bridge-batch-line",
            "direct:bridge-batch-send",
            "direct:bridge-call-cxone",
            "direct:cxone-attempt",
            "direct:cxone-call",
            "direct:cxone-failed",
            "direct:cxone-retry",
            "direct:handoff-create-guest");

    /** Ids of the routes defined in Java: a YAML route must not take one. */
    static final Set<String> JAVA_ROUTE_IDS = Set.of(
            "bridge-batch-line",
            "bridge-batch-send",
            "bridge-call-cxone",
            "cxone-attempt",
            "cxone-call",
            "cxone-failed",
            "cxone-retry",
            "handoff-create-guest");

    /** Route configurations defined in Java, for {@code routeConfigurationId}. */
    static final Set<String> JAVA_ROUTE_CONFIGURATIONS = Set.of(
            "api-errors",
            "batch-file-errors",
            "cxone-errors",
            "jms-errors",
            "results-enqueue-errors",
            "results-errors");
}
