package dev.cxoneroutes.jms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.api.ExchangeKeys;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes a JMS command's result as its reply (sent by sjms2 to JMSReplyTo, when the message has one):
 * the JSON body an HTTP caller would get, the 200 answer or the problem document, and two
 * properties a consumer can select on without parsing, {@code status} and {@code request_id}.
 * Nothing else: no inbound header goes back out.
 */
public class JmsReplyWriter {

    private final ObjectMapper json;

    public JmsReplyWriter(ObjectMapper json) {
        this.json = json;
    }

    public void write(Exchange exchange) throws JsonProcessingException {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        String text = body instanceof String s ? s : json.writeValueAsString(body);
        message.removeHeaders("*");
        message.setBody(text);
        message.setHeader("status", exchange.getProperty(ExchangeKeys.STATUS, 200, Integer.class));
        message.setHeader("request_id", exchange.getProperty(ExchangeKeys.REQUEST_ID, String.class));
    }
}
