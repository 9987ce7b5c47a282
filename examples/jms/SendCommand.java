import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Sends one JSON command to a cxone-routes queue and prints the reply, as a legacy CTI system
 * would. Needs only the service's jar on the class path (it carries the Artemis JMS client):
 *
 * <pre>
 * java -cp target/cxone-routes.jar examples/jms/SendCommand.java cxone.bridge examples/jms/bridge-command.json
 * java -cp target/cxone-routes.jar examples/jms/SendCommand.java cxone.handoff examples/jms/handoff-request.json
 * </pre>
 *
 * A third argument overrides the broker URL (default tcp://127.0.0.1:61616, the embedded broker).
 */
public class SendCommand {

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SendCommand <queue> <json-file> [broker-url]");
            System.exit(2);
        }
        String queue = args[0];
        String body = Files.readString(Path.of(args[1])).strip();
        String brokerUrl = args.length > 2 ? args[2] : "tcp://127.0.0.1:61616";

        try (ActiveMQConnectionFactory connections = new ActiveMQConnectionFactory(brokerUrl);
                JMSContext jms = connections.createContext()) {
            TemporaryQueue replies = jms.createTemporaryQueue();
            TextMessage request = jms.createTextMessage(body);
            request.setJMSReplyTo(replies);
            request.setJMSCorrelationID("example-" + System.currentTimeMillis());
            jms.createProducer().send(jms.createQueue(queue), request);
            System.out.println("sent to " + queue + " with JMSCorrelationID " + request.getJMSCorrelationID());

            try (JMSConsumer consumer = jms.createConsumer(replies)) {
                Message reply = consumer.receive(60_000);
                if (reply == null) {
                    System.err.println("no reply within 60 s: is the service running and connected to " + brokerUrl + "?");
                    System.exit(1);
                }
                System.out.println("reply JMSCorrelationID " + reply.getJMSCorrelationID()
                        + ", status " + reply.getIntProperty("status"));
                System.out.println(reply.getBody(String.class));
            }
        }
    }
}
