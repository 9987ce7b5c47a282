package dev.cxoneroutes.jms;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

/**
 * The connection factory every sjms2 endpoint uses: one long-lived broker connection with a pool of
 * sessions (each keeping its producer), around the broker's own factory.
 *
 * <p>Why: camel-sjms2 4.x keeps nothing between sends. Each send opens a JMS connection, a session
 * and a producer, sends, and closes all three ({@code SjmsTemplate.execute}). In-VM that costs
 * little; against an external broker (JMS_BROKER_URL) each send is a new TCP connection with its
 * handshake and several blocking round trips, and Artemis' {@code
 * ActiveMQConnectionFactory.createConnection} is {@code synchronized}, so every thread of the result
 * fan-out queued behind one connect at a time. A drop file's lines each publish an event: with four
 * files at once the fan-out fell so far behind that the files never finished (issue 8; thread dumps
 * showed every Multicast and WireTap thread blocked on that monitor). camel-sjms2's documentation
 * leaves pooling to the connection factory; pooled-jms is the usual one.
 */
public final class JmsPool {

    /**
     * Sessions open at once at most: the consumers hold one each for their lifetime (three routes,
     * JMS_CONCURRENT_CONSUMERS or CTI_WEBHOOK_CONCURRENCY each), sends borrow one for a moment.
     */
    static final int MAX_SESSIONS = 500;
    /** A send waits this long for a free session before it fails (and is retried or dead-lettered). */
    static final long SESSION_WAIT_MILLIS = 30_000;

    /** A broker that went away is tried again after this, then ever less often, up to the maximum. */
    static final long RECONNECT_FIRST_MILLIS = 500;

    static final long RECONNECT_MAX_MILLIS = 5_000;

    private JmsPool() {}

    /**
     * The connection factory of the JMS consumers (the {@code connectionFactory} of every
     * {@code from: sjms2:…} in routes/): each consumer keeps one connection for its lifetime, so it
     * gains nothing from the pool, and the pool hurt it: behind the pool's one shared connection,
     * only one of the three consuming routes ran its recovery after a broker restart (JMS_BROKER_URL)
     * and the others stayed silent for good (seen in ExternalBrokerRestartTest, issue 10); and
     * camel-sjms2 4.17 recovers a consumer's connection at most once in its lifetime (its recovery
     * task is never reset after a success).
     * Artemis' own reconnection instead reconnects forever, recreating sessions and consumers; a
     * transaction open at the failure is rolled back and its message redelivered, which the
     * idempotency store answers without a second CXone call. A blocking call (a commit) waits for
     * the reconnection; a stop during an outage is handled by {@link BrokerAwayAtStop}.
     */
    public static ActiveMQConnectionFactory reconnecting(String brokerUrl) {
        ActiveMQConnectionFactory connections = new ActiveMQConnectionFactory(brokerUrl);
        connections.setReconnectAttempts(-1);
        connections.setRetryInterval(RECONNECT_FIRST_MILLIS);
        connections.setRetryIntervalMultiplier(2.0);
        connections.setMaxRetryInterval(RECONNECT_MAX_MILLIS);
        return connections;
    }

    public static ConnectionFactory around(ConnectionFactory broker) {
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(broker);
        pool.setMaxConnections(1);
        pool.setMaxSessionsPerConnection(MAX_SESSIONS);
        pool.setBlockIfSessionPoolIsFull(true);
        pool.setBlockIfSessionPoolIsFullTimeout(SESSION_WAIT_MILLIS);
        return pool;
    }
}
