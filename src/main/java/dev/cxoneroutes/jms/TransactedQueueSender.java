package dev.cxoneroutes.jms;

import dev.cxoneroutes.webhooks.DeliverySpool;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.List;

/**
 * Puts text messages on a queue, all of them in one transaction: the webhook spool's way onto the
 * outbox queue. Persistent, like the sends of routes/; one commit (one journal write the sends
 * share) instead of one blocking round trip per message.
 */
public final class TransactedQueueSender implements DeliverySpool.Outbox {

    private final ConnectionFactory connections;
    private final String queue;

    /** @param connections the pooled factory of the sjms2 endpoints (JmsPool) */
    public TransactedQueueSender(ConnectionFactory connections, String queue) {
        this.connections = connections;
        this.queue = queue;
    }

    @Override
    public void sendAll(List<String> bodies) throws JMSException {
        try (Connection connection = connections.createConnection();
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (String body : bodies) {
                producer.send(session.createTextMessage(body));
            }
            session.commit();
        }
    }
}
