package dev.tuneforge.worker.runner;

import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.worker.config.WorkerConfig;
import dev.tuneforge.worker.messaging.ControlListener;
import dev.tuneforge.worker.messaging.EventPublisher;
import dev.tuneforge.worker.messaging.KafkaClients;
import dev.tuneforge.worker.messaging.ShareGroupConfigurer;
import dev.tuneforge.worker.messaging.ShareGroupSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jboss.logging.Logger;

/**
 * A worker's job runner: its Kafka clients, the job-control reader and the {@link CommandLoop}.
 *
 * <p>{@link #start()} works on a thread of its own, so that a broker that is not up yet delays the
 * runner, not the application (readiness stays down meanwhile; the start is retried): set and check
 * the share group's configs, open the producer, read job-control up to its end (cancel requests
 * published before this worker started), then run the command loop. {@link #stop()} is the graceful
 * shutdown: no more commands, the running job asked to stop and its record released, clients closed.
 */
public final class JobRunner {
    private static final Logger LOG = Logger.getLogger(JobRunner.class);
    private static final Duration RETRY_START_AFTER = Duration.ofSeconds(2);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** Where the runner stands, for readiness. */
    public enum State { STARTING, RUNNING, STOPPED, FAILED }

    private final WorkerConfig config;
    private final String workerId;
    private final String bootstrapServers;
    private final JobHandlers handlers;
    private final CancelRegistry cancels = new CancelRegistry();
    private final EventCodec codec = new EventCodec();
    private volatile State state = State.STARTING;
    private volatile String detail = "not started";
    private volatile boolean stopping;
    private Thread starter;
    private EventPublisher publisher;
    private ControlListener control;
    private Thread controlThread;
    /** One per {@code tuneforge.worker.concurrency}: each takes and runs one command at a time. */
    private volatile List<CommandLoop> loops = List.of();

    public JobRunner(WorkerConfig config, String workerId, String bootstrapServers, JobHandlers handlers) {
        this.config = config;
        this.workerId = workerId;
        this.bootstrapServers = bootstrapServers;
        this.handlers = handlers;
        if (config.maxDeliveries() < 1 || config.maxDeliveries() >= config.deliveryCountLimit()) {
            throw new IllegalArgumentException("tuneforge.worker.max-deliveries=" + config.maxDeliveries()
                    + " must be at least 1 and below tuneforge.worker.delivery-count-limit="
                    + config.deliveryCountLimit() + ", so that the broker's last delivery reports the failure");
        }
        if (config.concurrency() < 1) {
            throw new IllegalArgumentException("tuneforge.worker.concurrency=" + config.concurrency() + " must be at least 1");
        }
    }

    /** Starts the runner in the background; see {@link #state()} for where it stands. */
    public void start() {
        starter = daemon(this::startWithRetries, "worker-start");
    }

    public State state() {
        if (state == State.RUNNING && loops.stream().anyMatch(l -> !l.running())) {
            return State.FAILED;
        }
        return state;
    }

    /** A line for people: what the runner does, or why it does not. */
    public String detail() {
        if (state == State.RUNNING) {
            Optional<RuntimeException> failed = loops.stream().map(CommandLoop::failure).flatMap(Optional::stream)
                    .findFirst();
            if (failed.isPresent()) {
                return "command loop failed: " + failed.get().getMessage();
            }
        }
        return detail;
    }

    public String workerId() {
        return workerId;
    }

    private void startWithRetries() {
        while (!stopping) {
            try {
                startClients();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                detail = "start failed, retrying: " + e.getMessage();
                LOG.errorf("Worker %s could not start its job runner (retrying in %s): %s", workerId, RETRY_START_AFTER,
                        e.getMessage());
                closeClients();
                try {
                    Thread.sleep(RETRY_START_AFTER.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private synchronized void startClients() throws InterruptedException {
        KafkaClients clients = new KafkaClients(bootstrapServers, workerId);
        detail = "configuring share group " + config.group();
        try (Admin admin = Admin.create(clients.admin("admin"))) {
            new ShareGroupConfigurer(admin).apply(
                    new ShareGroupSettings(config.group(), config.lockDuration(), config.deliveryCountLimit()),
                    config.groupConfigTimeout());
        }
        WorkerConfig.TopicNames topics = config.topics();
        publisher = new EventPublisher(new KafkaProducer<>(clients.producer(config.publishTimeout())), codec,
                "/worker-service/" + workerId, topics.events(), topics.dlq(), config.publishTimeout());

        detail = "reading cancel requests from " + topics.control();
        control = new ControlListener(new KafkaConsumer<>(clients.controlConsumer()), topics.control(), codec,
                cancels::record);
        controlThread = daemon(control, "job-control-reader");
        if (!control.awaitCaughtUp(config.groupConfigTimeout())) {
            LOG.warnf("Not all of %s read within %s; cancel requests published earlier may arrive late",
                    topics.control(), config.groupConfigTimeout());
        }
        if (stopping) {
            return;
        }
        Map<JobKind, String> commandTopics = new EnumMap<>(JobKind.class);
        config.kinds().forEach(kind -> commandTopics.put(kind, topics.commands(kind)));
        LoopSettings settings = new LoopSettings(workerId, config.group() + "/" + workerId, config.maxDeliveries(),
                config.lockDuration(), config.heartbeatInterval(), config.pollTimeout(), config.shutdownTimeout(),
                CLOSE_TIMEOUT);
        List<CommandLoop> started = new ArrayList<>();
        for (int i = 0; i < config.concurrency(); i++) {
            Map<String, Object> consumer = clients.shareConsumer(config.group());
            if (config.concurrency() > 1) {
                // Each loop is a member of the share group of its own; distinct client ids keep their metrics apart.
                consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, consumer.get(ConsumerConfig.CLIENT_ID_CONFIG) + "-" + i);
            }
            CommandLoop loop = new CommandLoop(new KafkaShareConsumer<>(consumer), List.copyOf(commandTopics.values()),
                    new CommandDecoder(codec, commandTopics), handlers, cancels, publisher, settings);
            started.add(loop);
            daemon(loop, config.concurrency() > 1 ? "command-loop-" + i : "command-loop");
        }
        loops = List.copyOf(started);
        state = State.RUNNING;
        detail = "taking " + commandTopics.keySet() + " commands as " + workerId
                + (config.concurrency() > 1 ? " (" + config.concurrency() + " at a time)" : "");
    }

    /** Graceful stop, bounded by the shutdown timeout plus the time to close the clients. */
    public void stop() {
        stopping = true;
        if (starter != null) {
            starter.interrupt();
            join(starter);
        }
        stopRunner();
    }

    private synchronized void stopRunner() {
        // All loops stop at once: each running job gets the whole shutdown timeout, not a share of it.
        List<Thread> stops = loops.stream().map(loop -> daemon(() -> stopLoop(loop), "command-loop-stop")).toList();
        for (Thread stop : stops) {
            try {
                stop.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closeClients();
        state = State.STOPPED;
        detail = "stopped";
    }

    private void stopLoop(CommandLoop loop) {
        try {
            if (!loop.stop()) {
                LOG.warnf("Command loop of %s did not end within its shutdown bound", workerId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeClients() {
        if (control != null) {
            control.close();
            join(controlThread);
            control = null;
        }
        if (publisher != null) {
            publisher.close(CLOSE_TIMEOUT);
            publisher = null;
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void join(Thread thread) {
        try {
            thread.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
