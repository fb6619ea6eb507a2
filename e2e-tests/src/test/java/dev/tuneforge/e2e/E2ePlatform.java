package dev.tuneforge.e2e;

import dev.tuneforge.infra.FreePorts;
import dev.tuneforge.infra.test.S3Resource;
import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.minio.MinioClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One platform for the whole test JVM: the embedded Kafka, PostgreSQL and S3 of {@code infra}
 * (started through its test resource, so in the same child JVM its Quarkus tests use), then the
 * three packaged services as separate processes on free ports, configured with short locks and
 * heartbeats so crash tests run in seconds. Workers and schedulers can be killed and new ones started.
 */
final class E2ePlatform {

    static final String API_KEY = "tf_e2e_bootstrap_key_0123456789abcdef";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private static E2ePlatform instance;

    private final Path root;
    private final Path logs;
    private final Map<String, String> infra;
    private final List<ServiceProcess> processes = new ArrayList<>();
    private final AtomicInteger workerCount = new AtomicInteger();
    private final AtomicInteger schedulerCount = new AtomicInteger();
    private final ServiceProcess api;
    private ServiceProcess scheduler;
    private ServiceProcess worker;

    private E2ePlatform() {
        this.root = Path.of(System.getProperty("tuneforge.root", "..")).toAbsolutePath().normalize();
        this.logs = Path.of(System.getProperty("tuneforge.e2e.logs", "target/e2e-logs")).toAbsolutePath();
        this.infra = new TuneForgeInfraResource().start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "e2e-services-stop"));
        // The API migrates the schema first; the scheduler and a worker then start side by side.
        this.api = started(ServiceProcess.start("api", jar("api-service"), FreePorts.resolve(0), apiConfig(), logs))
                .awaitReady(READY_TIMEOUT);
        this.scheduler = launchScheduler();
        this.worker = launchWorker();
        scheduler.awaitReady(READY_TIMEOUT);
        worker.awaitReady(READY_TIMEOUT);
    }

    /** The shared platform, started on first use. */
    static synchronized E2ePlatform get() {
        if (instance == null) {
            instance = new E2ePlatform();
        }
        return instance;
    }

    /** Whether the platform was started in this JVM (failure reports only print logs then). */
    static synchronized E2ePlatform startedOrNull() {
        return instance;
    }

    String apiUrl() {
        return "http://localhost:" + api.port();
    }

    Path root() {
        return root;
    }

    Path logs() {
        return logs;
    }

    ServiceProcess worker() {
        return worker;
    }

    MinioClient s3() {
        return S3Resource.client();
    }

    /** SIGKILLs the current worker (its job stays locked until the lock expires). */
    synchronized void killWorker() {
        worker.kill();
    }

    /** Starts another worker process (own id, own cache) and waits until it is ready. */
    synchronized ServiceProcess startWorker() {
        worker = launchWorker();
        return worker.awaitReady(READY_TIMEOUT);
    }

    /** SIGKILLs the current scheduler: its consumer offsets stay in Kafka, its Quartz triggers in PostgreSQL. */
    synchronized void killScheduler() {
        scheduler.kill();
    }

    /**
     * Starts another scheduler process and waits until it is ready; it becomes the current one. Several
     * may run at once: they form one Quartz cluster and one consumer group.
     */
    synchronized ServiceProcess startScheduler() {
        scheduler = launchScheduler();
        return scheduler.awaitReady(READY_TIMEOUT);
    }

    /** The logs of every scheduler process started so far, killed ones included. */
    synchronized List<Path> schedulerLogs() {
        return processes.stream().filter(p -> p.name().startsWith("scheduler")).map(ServiceProcess::log).toList();
    }

    /** The last lines of every service log, for a failure report. */
    synchronized String logTails(int lines) {
        StringBuilder out = new StringBuilder();
        for (ServiceProcess p : processes) {
            out.append("----- ").append(p.name()).append(" (pid ").append(p.pid())
                    .append(p.isAlive() ? ", running" : ", exited").append("), last ").append(lines)
                    .append(" lines of ").append(p.log()).append('\n').append(p.tail(lines)).append('\n');
        }
        return out.toString();
    }

    private ServiceProcess launchScheduler() {
        String name = "scheduler" + (schedulerCount.incrementAndGet() == 1 ? "" : "-" + schedulerCount.get());
        return started(ServiceProcess.start(name, jar("scheduler-service"), FreePorts.resolve(0), schedulerConfig(), logs));
    }

    /** Where {@link DemoAssets} writes the demo model, dataset and tiny CLIP. */
    Path assets() {
        return logs.resolveSibling("e2e-assets");
    }

    private ServiceProcess launchWorker() {
        int n = workerCount.incrementAndGet();
        Map<String, String> config = new LinkedHashMap<>(infra);
        config.put("tuneforge.worker.id", "e2e-worker-" + n);
        // Short record locks: a killed worker's job goes to the next worker within seconds.
        config.put("tuneforge.worker.lock-duration", "5s");
        config.put("tuneforge.worker.heartbeat-interval", "1s");
        config.put("tuneforge.worker.poll-timeout", "200ms");
        config.put("tuneforge.worker.shutdown-timeout", "15s");
        // Job folders and the model/dataset cache under target/, apart per worker: never in the user's home.
        Path work = logs.resolveSibling("e2e-work");
        config.put("tuneforge.worker.work-dir", work.resolve("worker-" + n).toString());
        config.put("tuneforge.worker.cache.dir", work.resolve("cache-" + n).toString());
        config.put("ai.djl.pytorch.num_threads", "2");
        // The demo's tiny random CLIP (loaded when an evaluation needs it, written by DemoAssets before
        // any job runs): evaluations of the faceless tiny model then have a CLIP score to rank by.
        config.put("tuneforge.worker.clip-model", assets().resolve("tiny-random-clip").toString());
        return started(ServiceProcess.start("worker-" + n, jar("worker-service"), FreePorts.resolve(0), config, logs));
    }

    private Map<String, String> apiConfig() {
        Map<String, String> config = new LinkedHashMap<>(infra);
        config.put("tuneforge.api.auth.bootstrap-key", API_KEY);
        config.put("tuneforge.api.relay.poll-interval", "200ms");
        config.put("tuneforge.api.relay.max-backoff", "1s");
        return config;
    }

    private Map<String, String> schedulerConfig() {
        Map<String, String> config = new LinkedHashMap<>(infra);
        // Redelivery after a crash is Kafka's job (the record lock); the sweeper only catches workers
        // that stay silent much longer than a lock, so it does not race the redelivery.
        config.put("tuneforge.scheduler.heartbeat.timeout", "90s");
        config.put("tuneforge.scheduler.heartbeat.sweep-interval", "1s");
        config.put("tuneforge.scheduler.heartbeat.startup-grace", "0s");
        config.put("tuneforge.scheduler.retry.initial-backoff", "1s");
        config.put("tuneforge.scheduler.retry.max-backoff", "2s");
        config.put("tuneforge.scheduler.retry.poll-interval", "1s");
        config.put("quarkus.quartz.cluster-checkin-interval", "2000");
        // A killed scheduler's partitions go to the next one after this (45 s by default): crash tests wait less.
        config.put("mp.messaging.incoming.job-events.session.timeout.ms", "10000");
        config.put("mp.messaging.incoming.job-events.heartbeat.interval.ms", "1000");
        return config;
    }

    private Path jar(String module) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private synchronized ServiceProcess started(ServiceProcess process) {
        processes.add(process);
        return process;
    }

    private synchronized void stopAll() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            if (processes.get(i).isAlive()) {
                processes.get(i).stop(STOP_GRACE);
            }
        }
    }
}
