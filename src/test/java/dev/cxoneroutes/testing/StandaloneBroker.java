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
 * classpath and waits until its port accepts; {@link #close()} kills it. {@link #stop()} and
 * {@link #restart()} take it away and bring it back on the same port and journal, as an operator's
 * restart (or a crash and restart) of the broker does.
 */
public final class StandaloneBroker implements AutoCloseable {

    private static final String CONNECTION_ACCEPTED = "connection accepted";

    private final int port;
    private final Path directory;
    private Process process;

    private StandaloneBroker(int port, Path directory) {
        this.port = port;
        this.directory = directory;
    }

    public static StandaloneBroker start() {
        try {
            StandaloneBroker broker =
                    new StandaloneBroker(RunningService.freePort(), Files.createTempDirectory("standalone-broker"));
            broker.launch();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the broker process (as a crash or a hard stop would); its journal stays. */
    public void stop() {
        close();
    }

    /** Starts the broker again on the same port and journal, and waits until it accepts. */
    public void restart() {
        stop();
        launch();
    }

    private void launch() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            process = new ProcessBuilder(List.of(
                            java,
                            "-Xmx256m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            StandaloneBroker.class.getName(),
                            String.valueOf(port),
                            directory.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            directory.resolve("broker.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process launched = process;
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!launched.isAlive()) {
                        throw new IllegalStateException("The broker exited: " + log());
                    }
                    return accepts();
                });
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
        if (process == null) {
            return;
        }
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
