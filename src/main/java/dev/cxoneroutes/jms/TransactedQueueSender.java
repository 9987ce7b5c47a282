package dev.cxoneroutes.jms;

import dev.cxoneroutes.webhooks.DeliverySpool;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import org.apache.activemq.artemis.api.core.ActiveMQDuplicateIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts text messages on a queue, all of them in one transaction: the webhook spool's way onto the
 * outbox queue. Persistent, like the sends of routes/; one commit (one journal write the sends
 * share) instead of one blocking round trip per message.
 */
public final class TransactedQueueSender implements DeliverySpool.Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(TransactedQueueSender.class);
    /** Artemis' duplicate detection property ({@code Message.HDR_DUPLICATE_DETECTION_ID}). */
    private static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    private final ConnectionFactory connections;
    private final String queue;

    /** @param connections the pooled factory of the sjms2 endpoints (JmsPool) */
    public TransactedQueueSender(ConnectionFactory connections, String queue) {
        this.connections = connections;
        this.queue = queue;
    }

    @Override
    public void sendAll(List<DeliverySpool.Queued> deliveries) throws JMSException {
        if (sendInOneTransaction(deliveries)) {
            return;
        }
        // Artemis rolls a transaction back whole when any message in it was seen before: after a
        // kill between a commit and the spool's cleanup all of them were, but if only some were
        // (chunks cut differently since), the others must not be lost with them. One at a time.
        int queuedBefore = 0;
        for (DeliverySpool.Queued delivery : deliveries) {
            if (!sendInOneTransaction(List.of(delivery))) {
                queuedBefore++;
            }
        }
        LOG.info(
                "{} of {} webhook deliveries were on the queue already (sent again after a restart)",
                queuedBefore,
                deliveries.size());
    }

    /** True when committed; false when the broker refused it for holding a message it had seen. */
    private boolean sendInOneTransaction(List<DeliverySpool.Queued> deliveries) throws JMSException {
        try (Connection connection = connections.createConnection();
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (DeliverySpool.Queued delivery : deliveries) {
                TextMessage message = session.createTextMessage(delivery.json());
                if (delivery.duplicateId() != null) {
                    message.setStringProperty(DUPLICATE_ID, delivery.duplicateId());
                }
                producer.send(message);
            }
            try {
                session.commit();
                return true;
            } catch (JMSException e) {
                if (isDuplicate(e)) {
                    return false;
                }
                throw e;
            }
        }
    }

    /** Artemis marks a transaction holding a message whose duplicate id it has seen rollback-only. */
    private static boolean isDuplicate(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ActiveMQDuplicateIdException) {
                return true;
            }
        }
        return false;
    }
}
