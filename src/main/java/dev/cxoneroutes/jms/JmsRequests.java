package dev.cxoneroutes.jms;

import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.api.RequestGuard;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Tags a command that arrived over JMS (CONTRACT §4) and gives it the keys that make a redelivery
 * harmless. Both are derived from the message itself, so a redelivered message gets the same ones.
 */
public class JmsRequests {

    static final String MESSAGE_ID = "JMSMessageID";
    static final String REDELIVERED = "JMSRedelivered";
    static final String DELIVERY_COUNT = "JMSXDeliveryCount";
    /** The request id a producer may offer: JMS property names cannot hold X-Request-ID's dashes. */
    static final String REQUEST_ID_PROPERTY = "request_id";

    private final RequestGuard guard;

    public JmsRequests(RequestGuard guard) {
        this.guard = guard;
    }

    /**
     * Source {@code jms}; request id from a {@code request_id} property when the producer set one
     * (checked like X-Request-ID), else the JMS message id, which is also what CXone receives as
     * X-CXone-Request-ID: a message redelivered after a crash is sent with the same id, so CXone can
     * recognise the repeat.
     */
    public void identify(Exchange exchange) {
        Object offeredId = exchange.getMessage().getHeader(REQUEST_ID_PROPERTY);
        boolean offered = offeredId != null;
        exchange.getMessage().setHeader("X-Request-ID", offeredId);
        guard.identify(exchange, "jms");
        if (!offered) {
            String requestId = withoutPrefix(exchange.getMessage().getHeader(MESSAGE_ID, String.class));
            if (requestId != null) {
                exchange.setProperty(ExchangeKeys.REQUEST_ID, requestId);
            }
        }
    }

    /**
     * The idempotency key: the command's {@code requestId} when it has one (read before this step),
     * else the JMS message id, which the broker keeps across redeliveries. The message id also holds
     * the key's claim, and whether this is a redelivery is noted: a redelivered message that finds
     * the claim of its own earlier delivery still open was running on an instance that died
     * (IdempotentReplay answers it OUTCOME_UNKNOWN). Then drops every inbound
     * header (JMS properties, JMSReplyTo…): nothing of the request may leak into CXone calls, events
     * or the reply, and sjms2 keeps the reply destination and correlation id on its own.
     */
    public void keyByMessage(Exchange exchange) {
        Message message = exchange.getMessage();
        String messageId = message.getHeader(MESSAGE_ID, String.class);
        String offered = exchange.getProperty(ExchangeKeys.OFFERED_IDEMPOTENCY_KEY, String.class);
        if ((offered == null || offered.isBlank()) && messageId != null) {
            exchange.setProperty(ExchangeKeys.OFFERED_IDEMPOTENCY_KEY, "jms-message:" + messageId);
        }
        if (messageId != null) {
            exchange.setProperty(ExchangeKeys.CLAIM_HOLDER, "jms-message:" + messageId);
        }
        exchange.setProperty(ExchangeKeys.REDELIVERED, redelivered(message));
        message.removeHeaders("*");
    }

    private static boolean redelivered(Message message) {
        Integer deliveryCount = message.getHeader(DELIVERY_COUNT, Integer.class);
        return message.getHeader(REDELIVERED, false, Boolean.class) || (deliveryCount != null && deliveryCount > 1);
    }

    private static String withoutPrefix(String messageId) {
        if (messageId == null || messageId.isBlank()) {
            return null;
        }
        return messageId.startsWith("ID:") ? messageId.substring(3) : messageId;
    }
}
