package dev.tuneforge.worker.engine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** Wall-clock figures of one case and the process's peak resident memory. */
record BenchResult(String name, double medianMs, double minMs, double maxMs, long peakRssMb) {

    static BenchResult of(String name, double[] millis, long peakRssMb) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new BenchResult(name, median, sorted[0], sorted[n - 1], peakRssMb);
    }

    /** {@code case median_ms min_ms max_ms peak_rss_mb}. */
    String line() {
        return String.format(Locale.ROOT, "%s %.1f %.1f %.1f %d", name, medianMs, minMs, maxMs, peakRssMb);
    }

    /** VmHWM of this process in MB (Linux), or -1 where /proc is not there. */
    static long processPeakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
