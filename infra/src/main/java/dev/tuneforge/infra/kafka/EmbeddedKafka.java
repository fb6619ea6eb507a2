package dev.tuneforge.infra.kafka;

import dev.tuneforge.infra.EmbeddedServer;
import dev.tuneforge.infra.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft, broker and controller in one) running inside this JVM, with share
 * groups (KIP-932) enabled and the TuneForge topics created.
 *
 * <p>The storage is formatted only when {@code meta.properties} is missing, so {@link #stop()} and
 * {@link #start()} (or a new instance on the same directory) keep topics, records and group state.
 * Ports are fixed for the lifetime of the instance, so clients reconnect after a restart.
 */
public final class EmbeddedKafka implements EmbeddedServer {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String META_PROPERTIES = "meta.properties";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    /**
     * @param dataDir log and metadata directory (created if missing)
     * @param port    client port, 0 for any free port (kept across restarts of this instance)
     */
    public EmbeddedKafka(Path dataDir, int port) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = FreePorts.resolve(port);
        // The quorum is static (controller.quorum.voters), so the controller port may differ
        // between runs on the same data directory; only the client port must stay stable.
        this.controllerPort = FreePorts.resolve(0);
    }

    /** Formats the storage if needed, starts the node and creates the TuneForge topics. Idempotent. */
    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        long began = System.nanoTime();
        KafkaConfig config = new KafkaConfig(brokerProperties(), false);
        formatIfMissing();
        KafkaRaftServer started = new KafkaRaftServer(config, Time.SYSTEM);
        started.startup();
        server = started;
        TopicSetup.ensureTopics(bootstrapServers());
        LOG.info("Kafka ready on {} (data {}) in {} ms", bootstrapServers(), dataDir, (System.nanoTime() - began) / 1_000_000);
    }

    /** Shuts the node down and waits until its ports and files are released. Idempotent. */
    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        LOG.info("Kafka on {} stopped", bootstrapServers());
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }


    private Map<String, Object> brokerProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        props.put("listeners", BROKER_LISTENER + "://localhost:" + port + "," + CONTROLLER_LISTENER + "://localhost:" + controllerPort);
        props.put("advertised.listeners", BROKER_LISTENER + "://localhost:" + port);
        props.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put("log.dirs", dataDir.toString());
        props.put("metadata.log.dir", dataDir.toString());

        // One node: every internal topic has a single replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // Fewer internal partitions than the 50 of a production cluster: faster first start.
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.num.partitions", "5");

        // Share groups: tests use locks of a second or two; real trainings renew for up to an hour.
        props.put("group.share.min.record.lock.duration.ms", "1000");
        props.put("group.share.max.record.lock.duration.ms", "3600000");
        props.put("group.initial.rebalance.delay.ms", "0");

        // Laptop-sized resources (the log cleaner alone would reserve 128 MB by default).
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        props.put("background.threads", "4");
        props.put("num.recovery.threads.per.data.dir", "1");
        return props;
    }

    private void formatIfMissing() {
        if (Files.exists(dataDir.resolve(META_PROPERTIES))) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dataDir.toString()))
                    .setMetadataLogDirectory(dataDir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setFeatureLevel("share.version", (short) 1)
                    .run();
            LOG.info("Formatted Kafka storage in {} with share.version=1", dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka data directory " + dataDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + dataDir + ": " + e.getMessage(), e);
        }
    }
}
