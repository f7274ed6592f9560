package io.kalamdb.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Appends the figures of one run to the results file as {@code mode.key=value} lines. */
final class Results {

    private final Path file;
    private final String mode;

    Results(Path file, String mode) {
        this.file = file;
        this.mode = mode;
    }

    String mode() {
        return mode;
    }

    void put(String key, Object value) {
        String text = value instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : String.valueOf(value);
        String line = mode + "." + key + "=" + text.replace("\n", " ") + "\n";
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records throughput and latency figures of an outcome under {@code key}. */
    void putOutcome(String key, Runner.Outcome outcome, double unitsPerOp) {
        put(key + ".per_s", outcome.perSecond() * unitsPerOp);
        put(key + ".ops", outcome.ok());
        put(key + ".errors", outcome.errors());
        put(key + ".p50_ms", outcome.latencies().percentileMs(50));
        put(key + ".p99_ms", outcome.latencies().percentileMs(99));
        put(key + ".max_ms", outcome.latencies().maxMs());
        put(key + ".mean_ms", outcome.latencies().meanMs());
        put(key + ".server_p50_ms", outcome.serverTook().percentileMs(50));
        put(key + ".server_p99_ms", outcome.serverTook().percentileMs(99));
    }

    /**
     * Records the median over {@code runs} of each figure (throughput, p50, p99, max, server took) under
     * {@code key}, plus the lowest and highest throughput as the spread.
     */
    void putMedians(String key, List<Runner.Outcome> runs, double unitsPerOp) {
        put(key + ".runs", runs.size());
        put(key + ".per_s", median(runs, o -> o.perSecond() * unitsPerOp));
        put(key + ".per_s_min", runs.stream().mapToDouble(o -> o.perSecond() * unitsPerOp).min().orElse(Double.NaN));
        put(key + ".per_s_max", runs.stream().mapToDouble(o -> o.perSecond() * unitsPerOp).max().orElse(Double.NaN));
        put(key + ".ops", runs.stream().mapToLong(Runner.Outcome::ok).sum());
        put(key + ".errors", runs.stream().mapToLong(Runner.Outcome::errors).sum());
        put(key + ".p50_ms", median(runs, o -> o.latencies().percentileMs(50)));
        put(key + ".p99_ms", median(runs, o -> o.latencies().percentileMs(99)));
        put(key + ".max_ms", median(runs, o -> o.latencies().maxMs()));
        put(key + ".mean_ms", median(runs, o -> o.latencies().meanMs()));
        put(key + ".server_p50_ms", median(runs, o -> o.serverTook().percentileMs(50)));
        put(key + ".server_p99_ms", median(runs, o -> o.serverTook().percentileMs(99)));
    }

    /** The median of a figure over runs (the mean of the middle two for an even count). */
    static double median(List<Runner.Outcome> runs, ToDoubleFunction<Runner.Outcome> figure) {
        double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    static String fmtRate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    static String fmtMs(double ms) {
        if (Double.isNaN(ms)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, ms < 10 ? "%.3f" : "%.1f", ms);
    }

    /** "p50 0.812 ms, p99 3.1 ms, max 12.0 ms, mean 0.9 ms (n=...)". */
    static String latencyLine(Latencies.Sorted l) {
        return "p50 " + fmtMs(l.percentileMs(50)) + " ms, p99 " + fmtMs(l.percentileMs(99)) + " ms, max "
                + fmtMs(l.maxMs()) + " ms, mean " + fmtMs(l.meanMs()) + " ms (n=" + String.format(Locale.ROOT,
                "%,d", l.count()) + ")";
    }
}
