package dev.cxoneroutes.jms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxoneroutes.testing.RunningService;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/** The embedded broker's own settings, on a real broker. */
class EmbeddedBrokerTest {

    /**
     * A backlog larger than the broker's memory share goes to disk instead of the heap, and every
     * message of it is still delivered, in order.
     */
    @Test
    void pages_a_backlog_beyond_its_memory_to_disk_and_delivers_all_of_it() throws Exception {
        Path data = Files.createTempDirectory("embedded-broker");
        EmbeddedBroker broker = new EmbeddedBroker(data, "127.0.0.1", RunningService.freePort(), 256 * 1024);
        broker.start();
        try (ActiveMQConnectionFactory connections = new ActiveMQConnectionFactory(broker.inVmUrl());
                JMSContext jms = connections.createContext(JMSContext.SESSION_TRANSACTED)) {
            Queue queue = jms.createQueue("backlog");
            String padding = "x".repeat(1000);
            for (int n = 0; n < 600; n++) {
                jms.createProducer().send(queue, n + ":" + padding);
            }
            jms.commit(); // one journal write for all, not one per message

            assertThat(pageFiles(data.resolve("paging")))
                    .as("the backlog beyond 256 KB is paged to disk")
                    .isPositive();
            try (JMSConsumer consumer = jms.createConsumer(queue)) {
                for (int n = 0; n < 600; n++) {
                    String body = consumer.receiveBody(String.class, 10_000);
                    assertThat(body).startsWith(n + ":");
                }
                assertThat(consumer.receiveNoWait()).isNull();
                jms.commit();
            }
        } finally {
            broker.stop();
        }
    }

    private static long pageFiles(Path paging) throws Exception {
        if (!Files.isDirectory(paging)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(paging)) {
            return files.filter(file -> file.toString().endsWith(".page")).count();
        }
    }
}
