package io.kalamdb.bench;

import java.util.Arrays;
import java.util.List;

/** Recorded latencies in nanoseconds: an append-only long array per client, merged and sorted for percentiles. */
final class Latencies {

    private long[] values = new long[4096];
    private int size;

    /** Records one latency; a negative value (unknown) is ignored. */
    void record(long nanos) {
        if (nanos < 0) {
            return;
        }
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    int size() {
        return size;
    }

    /** Sorted copy of every value of {@code parts}. */
    static Sorted merge(List<Latencies> parts) {
        int total = 0;
        for (Latencies p : parts) {
            total += p.size;
        }
        long[] all = new long[total];
        int at = 0;
        for (Latencies p : parts) {
            System.arraycopy(p.values, 0, all, at, p.size);
            at += p.size;
        }
        Arrays.sort(all);
        return new Sorted(all);
    }

    /** Sorted latencies: nearest-rank percentiles, in milliseconds. */
    record Sorted(long[] nanos) {
        int count() {
            return nanos.length;
        }

        double percentileMs(double p) {
            if (nanos.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * nanos.length);
            return nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))] / 1e6;
        }

        double maxMs() {
            return nanos.length == 0 ? Double.NaN : nanos[nanos.length - 1] / 1e6;
        }

        double meanMs() {
            if (nanos.length == 0) {
                return Double.NaN;
            }
            double sum = 0;
            for (long n : nanos) {
                sum += n;
            }
            return sum / nanos.length / 1e6;
        }
    }
}
