package dev.cxoneroutes.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerConnectionPlugin;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.awaitility.Awaitility;

/**
 * An ActiveMQ Artemis broker in a JVM of its own, as an operator runs it for JMS_BROKER_URL: the
 * service reaches it over TCP only, never in-VM. {@link #start()} launches it with this test
 * classpath and waits until its port accepts; {@link #close()} kills it.
 */
public final class StandaloneBroker implements AutoCloseable {

    private static final String CONNECTION_ACCEPTED = "connection accepted";

    private final int port;
    private final Path directory;
    private final Process process;

    private StandaloneBroker(int port, Path directory, Process process) {
        this.port = port;
        this.directory = directory;
        this.process = process;
    }

    public static StandaloneBroker start() {
        int port = RunningService.freePort();
        try {
            Path directory = Files.createTempDirectory("standalone-broker");
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(List.of(
                            java,
                            "-Xmx256m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            StandaloneBroker.class.getName(),
                            String.valueOf(port),
                            directory.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("broker.log").toFile())
                    .start();
            StandaloneBroker broker = new StandaloneBroker(port, directory, process);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("The broker exited: " + broker.log());
                        }
                        return broker.accepts();
                    });
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public String log() {
        try {
            return Files.readString(directory.resolve("broker.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * Client connections the broker has accepted since it started (each logged by {@link #main}): a
     * client that connects once per message shows here however fast the broker is.
     */
    public long connectionsAccepted() {
        return log().lines().filter(line -> line.equals(CONNECTION_ACCEPTED)).count();
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The broker process: {@code StandaloneBroker <port> <directory>}, stopped by being killed. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path directory = Path.of(args[1]);
        // As a stock broker.xml sets it up: persistent, auto-created anycast queues, paging when full.
        Configuration config = new ConfigurationImpl()
                .setName("standalone")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(directory.resolve("journal").toString())
                .setBindingsDirectory(directory.resolve("bindings").toString())
                .setLargeMessagesDirectory(directory.resolve("large-messages").toString())
                .setPagingDirectory(directory.resolve("paging").toString())
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        config.addAddressSetting(
                "#",
                new AddressSettings()
                        .setDeadLetterAddress(SimpleString.of("DLQ"))
                        .setExpiryAddress(SimpleString.of("ExpiryQueue"))
                        .setMaxDeliveryAttempts(-1)
                        .setDefaultAddressRoutingType(RoutingType.ANYCAST)
                        .setAutoCreateQueues(true)
                        .setAutoCreateAddresses(true));
        config.registerBrokerPlugin(new ActiveMQServerConnectionPlugin() {
            @Override
            public void afterCreateConnection(RemotingConnection connection) {
                System.out.println(CONNECTION_ACCEPTED);
            }
        });
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        System.out.println("Standalone broker listening on tcp://127.0.0.1:" + port);
        new CountDownLatch(1).await();
    }
}
