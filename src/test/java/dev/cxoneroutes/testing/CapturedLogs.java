package dev.cxoneroutes.testing;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything the service logs while this is open, as text with the MDC and any stack trace, so a
 * test can prove that something (a secret, raw DTMF) never reaches the log. Attached to the root
 * logger, so it sees what the configured levels let through, as production would.
 */
public final class CapturedLogs implements AutoCloseable {

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final AbstractAppender appender;

    private CapturedLogs() {
        PatternLayout layout = PatternLayout.newBuilder()
                .withPattern("%level %c %X - %m%n%throwable")
                .build();
        appender =
                new AbstractAppender(
                        "captured-" + System.identityHashCode(this), null, layout, true, Property.EMPTY_ARRAY) {
                    @Override
                    public void append(LogEvent event) {
                        lines.add(layout.toSerializable(event));
                    }
                };
        appender.start();
        Configuration config = context().getConfiguration();
        config.getRootLogger().addAppender(appender, null, null);
        context().updateLoggers();
    }

    public static CapturedLogs start() {
        return new CapturedLogs();
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public String text() {
        return String.join("", lines);
    }

    @Override
    public void close() {
        context().getConfiguration().getRootLogger().removeAppender(appender.getName());
        context().updateLoggers();
        appender.stop();
    }

    private static LoggerContext context() {
        return (LoggerContext) LogManager.getContext(false);
    }
}
