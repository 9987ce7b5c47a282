package dev.cxoneroutes.jms;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stop of the service while the external broker is away: the consumers' connections are waiting
 * to reconnect (see {@link JmsPool#reconnecting}), and closing a consumer then waits for the broker
 * forever. So when the service starts stopping and the broker does not take a connection, the
 * consumers' connection factory is closed first, which ends the waiting; their messages stay on the
 * broker (uncommitted) for the next start. Registered before {@code EarlyConsumerStop}, which stops
 * those consumers on the same event.
 */
final class BrokerAwayAtStop extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerAwayAtStop.class);

    private final ConnectionFactory probe;
    private final ActiveMQConnectionFactory consumers;

    /**
     * @param probe the broker's plain (not reconnecting) connection factory, to ask whether it is there
     * @param consumers the consumers' reconnecting factory, closed when it is not
     */
    BrokerAwayAtStop(ConnectionFactory probe, ActiveMQConnectionFactory consumers) {
        this.probe = probe;
        this.consumers = consumers;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        try (Connection connection = probe.createConnection()) {
            return; // the broker is there: the consumers stop gracefully
        } catch (JMSException | RuntimeException away) {
            LOG.warn("Stopping while the JMS broker is away: its consumers are cut off; unfinished messages stay on"
                    + " the broker for the next start");
        }
        consumers.close();
    }
}
