package dev.cxoneroutes.webhooks;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.camel.Exchange;

/**
 * Puts the message being consumed back on its queue, due at a later time, inside the consumer's
 * own transaction: the broker then holds the retry and forgets the original in one commit, so a
 * stop or crash in between can neither lose the message nor leave two copies of it.
 *
 * <p>camel-sjms2's producer sends on a session of its own, outside the consumer's transaction;
 * this is the step it cannot do. The consumer must be {@code transacted=true}.
 */
public class ScheduledRequeue {

    /** Artemis holds a message with this long property until that epoch millisecond. */
    public static final String DUE_AT =
            org.apache.activemq.artemis.api.core.Message.HDR_SCHEDULED_DELIVERY_TIME.toString();
    /** Where camel-sjms2 keeps the consumer's session on the exchange. */
    private static final String SESSION = "CamelJMSSession";

    private final String queue;

    public ScheduledRequeue(String queue) {
        this.queue = queue;
    }

    /** Sends the body (text) to the queue, due at the {@link #DUE_AT} header, within the consumer's transaction. */
    public void requeue(Exchange exchange) throws JMSException {
        Session session = exchange.getProperty(SESSION, Session.class);
        if (session == null || !session.getTransacted()) {
            throw new IllegalStateException("ScheduledRequeue needs a transacted sjms2 consumer (transacted=true)");
        }
        Message message = session.createTextMessage(exchange.getMessage().getBody(String.class));
        Long dueAt = exchange.getMessage().getHeader(DUE_AT, Long.class);
        if (dueAt != null) {
            message.setLongProperty(DUE_AT, dueAt);
        }
        try (MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            producer.send(message, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
        }
    }
}
