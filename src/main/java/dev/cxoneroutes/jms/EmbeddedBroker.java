package dev.cxoneroutes.jms;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ActiveMQ Artemis broker the service uses when no JMS_BROKER_URL is given: persistent under
 * {@code DATA_DIR/broker}, reachable in-VM by the service and over TCP on loopback by local
 * producers. Messages survive a restart, kill -9 included (every send and commit waits for its journal write).
 */
public class EmbeddedBroker extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    /** Each broker in one JVM needs its own in-VM id (tests start several). */
    private static final AtomicInteger NEXT_VM_ID = new AtomicInteger();

    private final Path dataDirectory;
    private final String tcpHost;
    private final int tcpPort;
    private final int vmId = NEXT_VM_ID.getAndIncrement();
    private EmbeddedActiveMQ broker;

    public EmbeddedBroker(Path dataDirectory, String tcpHost, int tcpPort) {
        this.dataDirectory = dataDirectory;
        this.tcpHost = tcpHost;
        this.tcpPort = tcpPort;
    }

    /** Where the service itself connects: in-VM, no sockets. */
    public String inVmUrl() {
        return "vm://" + vmId;
    }

    public String tcpUrl() {
        return "tcp://" + tcpHost + ":" + tcpPort;
    }

    /**
     * Messages the broker still holds for the queue and how many it has had acknowledged: for
     * operators' health checks and for tests proving a message was acknowledged, not redelivered.
     */
    public QueueCounts queueCounts(String queue) {
        org.apache.activemq.artemis.core.server.Queue found =
                broker.getActiveMQServer().locateQueue(org.apache.activemq.artemis.api.core.SimpleString.of(queue));
        return found == null
                ? new QueueCounts(0, 0)
                : new QueueCounts(found.getMessageCount(), found.getMessagesAcknowledged());
    }

    /**
     * Messages on the queue that a consumer could take now: neither scheduled for later nor being
     * delivered. The webhook spool keeps deliveries on disk while many wait here.
     */
    public int readyToDeliver(String queue) {
        org.apache.activemq.artemis.core.server.Queue found =
                broker.getActiveMQServer().locateQueue(org.apache.activemq.artemis.api.core.SimpleString.of(queue));
        if (found == null) {
            return 0;
        }
        return (int) Math.max(0, found.getMessageCount() - found.getScheduledCount() - found.getDeliveringCount());
    }

    /**
     * Whether a message was sent to the address under this duplicate id (Artemis' duplicate
     * detection): the webhook spool sends each delivery under its webhook id. For tests and
     * operators tracing a delivery.
     */
    public boolean sawDuplicateId(String address, String duplicateId) {
        return broker.getActiveMQServer()
                .getPostOffice()
                .getDuplicateIDCache(SimpleString.of(address))
                .contains(SimpleString.of(duplicateId).getData());
    }

    /** @param pending messages on the queue, scheduled and being delivered included */
    public record QueueCounts(long pending, long acknowledged) {}

    public boolean isActive() {
        return broker != null
                && broker.getActiveMQServer() != null
                && broker.getActiveMQServer().isActive();
    }

    @Override
    protected void doStart() throws Exception {
        Configuration config = new ConfigurationImpl()
                .setName("cxone-routes")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(dataDirectory.resolve("journal").toString())
                .setBindingsDirectory(dataDirectory.resolve("bindings").toString())
                .setLargeMessagesDirectory(
                        dataDirectory.resolve("large-messages").toString())
                .setPagingDirectory(dataDirectory.resolve("paging").toString())
                .setJMXManagementEnabled(false)
                // A queued webhook delivery is written to the journal (handed to the OS) before the
                // send returns, and so before the answer leaves: a kill -9 keeps it. It is not
                // fsynced per message (the audit file's durability: an OS crash can lose the last
                // moments): an fsync per send made every answer wait for the disk, p99 at 200 req/s
                // 319 ms instead of 72 (bench/run.sh). Not syncing non-transactional sends at all
                // was tried and is wrong: the send then returns while the record still sits in the
                // journal's in-memory buffer, and a kill -9 right after an answer lost its webhook
                // (AnsweredRequestsSurviveKillTest, about one run in two).
                .setJournalSyncNonTransactional(true)
                .setJournalDatasync(false)
                // A send waits for the journal's next buffer flush. Artemis flushes NIO journals every
                // 3.3 ms by default, a pace set for fsyncs; a write without one is cheap, so every
                // 0.5 ms. bench/run.sh, service at 200 req/s, runs A B A B: p50 31.9, 28.0, 32.9,
                // 30.5 ms (p99 within the noise: 62.7, 55.4, 62.9, 65.1 ms).
                .setJournalBufferTimeout_NIO(500_000)
                // Queued messages stay in the heap up to Artemis's default (half of it) before the
                // broker pages them to disk. A 32 MB limit was tried, to leave the heap to requests
                // during a webhook backlog: Artemis then fsyncs its page files for every durable send
                // (paging ignores journal-datasync): p99 at 200 req/s right after bench/run.sh's
                // 105 s at c=50 was 671 ms (max 938), against 60 ms the round before.
                .addAcceptorConfiguration("in-vm", inVmUrl())
                .addAcceptorConfiguration("tcp", tcpUrl());
        // Redelivery is ours to decide (idempotent consumers, webhook backoff): the broker
        // only keeps a message until it is acknowledged, and never drops one.
        config.addAddressSetting(
                "#",
                new AddressSettings()
                        .setMaxDeliveryAttempts(-1)
                        // Never used (no attempt limit, no expiry); named so Artemis does not warn per queue.
                        .setDeadLetterAddress(org.apache.activemq.artemis.api.core.SimpleString.of("DLQ"))
                        .setExpiryAddress(org.apache.activemq.artemis.api.core.SimpleString.of("ExpiryQueue"))
                        .setRedeliveryDelay(1000)
                        .setRedeliveryMultiplier(2)
                        .setMaxRedeliveryDelay(30_000)
                        .setDefaultAddressRoutingType(RoutingType.ANYCAST)
                        .setAutoCreateQueues(true)
                        .setAutoCreateAddresses(true));
        broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        LOG.info("Embedded JMS broker started: {} (journal in {})", tcpUrl(), dataDirectory);
    }

    @Override
    protected void doStop() throws Exception {
        if (broker != null) {
            broker.stop();
        }
    }
}
