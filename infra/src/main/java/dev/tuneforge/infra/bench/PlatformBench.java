package dev.tuneforge.infra.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.common.events.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Platform latency and throughput on a running platform ({@code ./tuneforge up}), printed, never
 * asserted. Measures, through the public API only:
 * <ul>
 *   <li>submit→QUEUED: from just before the POST until the job view leaves SUBMITTED (the outbox
 *       relay got the broker's ack); polled every {@value #POLL_MS} ms, so figures are upper bounds
 *       within one poll;</li>
 *   <li>submit→worker-start: from just before the POST to the CloudEvents {@code time} of the first
 *       worker event in the audit trail (same host, same clock);</li>
 *   <li>submissions/s: accepted POSTs per second from several concurrent clients.</li>
 * </ul>
 */
public final class PlatformBench {
    private static final int POLL_MS = 5;
    private static final Duration WAIT_LIMIT = Duration.ofSeconds(60);
    private static final String BODY =
            "{\"kind\":\"generate\",\"spec\":{\"modelId\":\"bench-model\",\"sampling\":{\"prompts\":[\"bench\"],"
                    + "\"steps\":1,\"width\":64,\"height\":64}}}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = EventCodec.newMapper();
    private final URI api;
    private final String key;

    PlatformBench(URI api, String key) {
        this.api = api;
        this.key = key;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        String key = Files.readString(options.keyFile()).trim();
        PlatformBench bench = new PlatformBench(options.api(), key);
        bench.latencies(options.warmup(), false);
        List<long[]> samples = bench.latencies(options.jobs(), true);
        report("submit->QUEUED", samples.stream().map(s -> s[0]).toList());
        report("submit->worker-start", samples.stream().map(s -> s[1]).toList());
        bench.throughput(options.concurrency(), options.seconds());
    }

    /** Submits jobs one after another; per job {queuedMs, workerStartMs}. */
    private List<long[]> latencies(int jobs, boolean keep) throws Exception {
        List<long[]> samples = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            Instant submitted = Instant.now();
            String id = submit();
            long queued = waitUntilQueued(id, submitted);
            long started = waitForWorkerEvent(id, submitted);
            if (keep) {
                samples.add(new long[] {queued, started});
            }
        }
        return samples;
    }

    private void throughput(int concurrency, int seconds) throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                clients.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        try {
                            submit();
                            accepted.incrementAndGet();
                        } catch (IOException | RuntimeException e) {
                            rejected.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf(Locale.ROOT, "submissions/s %.1f (%d accepted, %d failed, %d clients, %d s)%n",
                accepted.get() / (double) seconds, accepted.get(), rejected.get(), concurrency, seconds);
    }

    private String submit() throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(api.resolve("/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)));
        if (response.statusCode() != 202) {
            throw new IOException("submit answered " + response.statusCode() + ": " + response.body());
        }
        return mapper.readTree(response.body()).path("id").asText();
    }

    private long waitUntilQueued(String id, Instant submitted) throws Exception {
        Instant limit = submitted.plus(WAIT_LIMIT);
        while (Instant.now().isBefore(limit)) {
            String status = get("/api/v1/jobs/" + id).path("status").asText();
            if (!"SUBMITTED".equals(status)) {
                return Duration.between(submitted, Instant.now()).toMillis();
            }
            Thread.sleep(POLL_MS);
        }
        throw new IllegalStateException("job " + id + " still SUBMITTED after " + WAIT_LIMIT);
    }

    private long waitForWorkerEvent(String id, Instant submitted) throws Exception {
        Instant limit = submitted.plus(WAIT_LIMIT);
        while (Instant.now().isBefore(limit)) {
            for (JsonNode event : get("/api/v1/jobs/" + id + "/events").path("items")) {
                if (event.path("source").asText().contains("worker")) {
                    Instant at = Instant.parse(event.path("time").asText());
                    return Duration.between(submitted, at).toMillis();
                }
            }
            Thread.sleep(POLL_MS * 4L);
        }
        throw new IllegalStateException("no worker event for job " + id + " within " + WAIT_LIMIT
                + ": is a worker running?");
    }

    private JsonNode get(String path) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(api.resolve(path)).GET());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return mapper.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.header("Authorization", "Bearer " + key)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void report(String name, List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "%-22s p50_ms %d  p99_ms %d  max_ms %d  n %d%n", name,
                percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1), sorted.size());
    }

    /** Nearest-rank percentile of an ascending list. */
    static long percentile(List<Long> ascending, int p) {
        int rank = (int) Math.ceil(p / 100.0 * ascending.size());
        return ascending.get(Math.max(0, rank - 1));
    }

    record BenchOptions(URI api, Path keyFile, int warmup, int jobs, int concurrency, int seconds) {
        static BenchOptions parse(String[] args) {
            URI api = URI.create("http://localhost:8080");
            Path keyFile = Path.of(".tuneforge/api-key");
            int warmup = 5;
            int jobs = 100;
            int concurrency = 8;
            int seconds = 10;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--api" -> api = URI.create(value);
                    case "--key-file" -> keyFile = Path.of(value);
                    case "--warmup" -> warmup = Integer.parseInt(value);
                    case "--jobs" -> jobs = Integer.parseInt(value);
                    case "--concurrency" -> concurrency = Integer.parseInt(value);
                    case "--seconds" -> seconds = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; options: --api URL --key-file F --warmup N --jobs N --concurrency N --seconds N");
                }
                i++;
            }
            return new BenchOptions(api, keyFile, warmup, jobs, concurrency, seconds);
        }
    }
}
