package dev.cxoneroutes.health;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A dependency the service cannot serve without (the JMS broker, CXone's token endpoint), reported
 * on {@code /observe/health/ready}: DOWN makes readiness answer 503. Not a liveness check: a
 * dependency being away is no reason to restart the service.
 */
public class ReadinessCheck extends AbstractHealthCheck {

    private final BooleanSupplier usable;
    private final String downMessage;

    /**
     * @param id shown in the health document, e.g. {@code broker}
     * @param usable asked on every readiness call; make it cheap (see {@link CachedProbe})
     * @param downMessage what an operator reads when it is DOWN; no secrets, no URLs with credentials
     */
    public ReadinessCheck(String id, BooleanSupplier usable, String downMessage) {
        super("cxone-routes", id);
        this.usable = usable;
        this.downMessage = downMessage;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    /** What readiness would say now, for a step that avoids a dependency known to be away. */
    public boolean usable() {
        try {
            return usable.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * What the last probe said, never probing on the caller's thread when the check is a {@link
     * CachedProbe}: for a step on every request's path.
     */
    public boolean lastKnownUsable() {
        return usable instanceof CachedProbe cached ? cached.lastAnswer() : usable();
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (usable()) {
            builder.up();
        } else {
            builder.message(downMessage).down();
        }
    }
}
