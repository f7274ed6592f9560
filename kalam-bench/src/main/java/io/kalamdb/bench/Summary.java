package io.kalamdb.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The closing table of {@code make bench}: every figure of the run with the anchor or peer it is compared with
 * (BENCHMARKS.md), the ratio, the target and whether it was met. A missed target is reported, never hidden.
 */
final class Summary {

    private final Properties p;
    private final List<String[]> rows = new ArrayList<>();

    private Summary(Properties p) {
        this.p = p;
    }

    static int print(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        new Summary(p).build().printTable();
        return 0;
    }

    private Summary build() {
        for (String mode : List.of("durable", "nosync")) {
            String label = mode.equals("durable") ? "durable (synced log, group commit)" : "non-synced log";
            if (!has(mode + ".client.jdk")) {
                row("KalamDB " + label, "not measured" + reason(mode), "", "", "", "n/a");
                continue;
            }
            if (has(mode + ".status")) {
                row("KalamDB " + label, p.getProperty(mode + ".status") + " (figures below are partial)", "", "", "",
                        "FAILED");
            }
            for (int clients : List.of(1, 8, 64)) {
                insertRow(mode, clients);
            }
            String batch = firstKey(mode + ".batch.c", ".per_s");
            if (batch != null) {
                double rate = num(batch + ".per_s");
                String anchor = mode.equals("durable") ? "RocksDB put sync, batches of 100: 94 k rows/s (anchor)"
                        : "RocksDB put no sync, batches of 100: 230 k rows/s (anchor)";
                double anchorRate = mode.equals("durable") ? 94_000 : 230_000;
                row("batched INSERT " + (int) num(batch + ".rows_per_statement") + " rows/stmt, "
                                + batch.substring(batch.lastIndexOf(".c") + 2) + " clients, " + mode,
                        rate(rate) + " rows/s" + spread(batch) + ", stmt p50 " + ms(num(batch + ".p50_ms")) + " p99 "
                                + ms(num(batch + ".p99_ms")) + " ms" + serverTook(batch),
                        anchor, ratio(rate, anchorRate), ">= 100 k rows/s", verdict(rate >= 100_000));
            }
            if (has(mode + ".load.rows_per_s")) {
                row("history load (multi-row INSERT), " + mode,
                        rate(num(mode + ".load.rows_per_s")) + " rows/s ("
                                + (int) num(mode + ".load.rows_per_statement") + " rows/stmt, "
                                + (int) num(mode + ".load.clients") + " clients)",
                        "", "", "", "-");
            }
            readRows(mode, "last20", "");
            readRows(mode, "last20idx", " with an index on thread_id");
            readRows(mode, "last20grown", " after " + (int) num(mode + ".growth.factor") + "x growth");
            if (has(mode + ".last20grown.seq.p50_ms")) {
                double base = num(mode + ".last20.seq.p50_ms");
                double grown = num(mode + ".last20grown.seq.p50_ms");
                row("last 20: p50 after " + (int) num(mode + ".growth.factor") + "x growth / before, " + mode,
                        ms(grown) + " / " + ms(base) + " ms", "", String.format(Locale.ROOT, "%.2fx", grown / base),
                        "<= 1.5x (at 100x growth)", verdict(grown / base <= 1.5)
                                + (num(mode + ".growth.factor") < 100 ? " (at a smaller growth)" : ""));
            }
            if (has(mode + ".startup_ms")) {
                double ms = num(mode + ".startup_ms");
                row("server start to ready, empty data dir, " + mode, String.format(Locale.ROOT, "%.2f s", ms / 1000),
                        "", "", "<= 3 s", verdict(ms <= 3000));
            }
            if (has(mode + ".restart_status")) {
                row("server restart with the run's data, " + mode, p.getProperty(mode + ".restart_status"), "", "",
                        "<= 3 s", "FAILED");
            } else if (has(mode + ".restart_ms")) {
                double ms = num(mode + ".restart_ms");
                row("server restart to ready, with the run's data, " + mode,
                        String.format(Locale.ROOT, "%.2f s", ms / 1000), "", "", "<= 3 s", verdict(ms <= 3000));
            }
            if (has(mode + ".verify.problems")) {
                row("acknowledged rows stored (COUNT(*) per user), " + mode,
                        String.format(Locale.ROOT, "%,d of %,d", (long) num(mode + ".verify.stored_rows"),
                                (long) num(mode + ".verify.acknowledged_rows")),
                        "", "", "all", verdict(num(mode + ".verify.problems") == 0));
            }
            topicRows(mode);
            liveRows(mode);
        }
        if (has("redis.xadd.per_s")) {
            row("Redis " + p.getProperty("redis.version", "") + " XADD, 50 clients (redis-benchmark, "
                            + (int) num("redis.payload_bytes") + " B entries)",
                    rate(num("redis.xadd.per_s")) + "/s, p50 " + ms(num("redis.xadd.p50_ms")) + " p99 "
                            + ms(num("redis.xadd.p99_ms")) + " ms",
                    "anchor Redis 7 XADD 30 k/s (50 clients)", ratio(num("redis.xadd.per_s"), 30_000), "", "peer");
        } else if (has("redis.status") && !p.getProperty("redis.status").equals("ok")) {
            row("Redis Streams peer", p.getProperty("redis.status"), "", "", "", "n/a");
        }
        return this;
    }

    /** Topic figures (issue 4): produce through INSERTs, drain by one group, insert -> consumed latency. */
    private void topicRows(String mode) {
        String k = mode + ".topics";
        if (has(k + ".failed")) {
            row("topics phase, " + mode, "failed: " + p.getProperty(k + ".failed"), "", "", "", "FAILED");
        }
        if (!has(k + ".produced_rows")) {
            return;
        }
        String ins = firstKey(k + ".produce.insert.c", ".per_s");
        if (ins != null) {
            String clients = ins.substring(ins.lastIndexOf(".c") + 2);
            double rate = num(ins + ".per_s");
            String plain = mode + ".insert.c" + clients;
            row("topic produce: INSERT 1 row, " + clients + " clients, route active, " + mode,
                    rate(rate) + " msgs/s, p50 " + ms(num(ins + ".p50_ms")) + " p99 " + ms(num(ins + ".p99_ms"))
                            + " ms" + errors(ins),
                    has(plain + ".per_s") ? "same INSERT without a route: " + rate(num(plain + ".per_s"))
                            + " req/s (same run)" : "",
                    has(plain + ".per_s") ? ratio(rate, num(plain + ".per_s")) : "", ">= 20 k msgs/s",
                    verdict(rate >= 20_000));
        }
        String batch = firstKey(k + ".produce.batch.c", ".per_s");
        if (batch != null) {
            String clients = batch.substring(batch.lastIndexOf(".c") + 2);
            double rate = num(batch + ".per_s");
            String plain = mode + ".batch.c" + clients;
            row("topic produce: INSERT " + (int) num(batch + ".rows_per_statement") + " rows/stmt, " + clients
                            + " clients, route active, " + mode,
                    rate(rate) + " msgs/s, stmt p50 " + ms(num(batch + ".p50_ms")) + " p99 "
                            + ms(num(batch + ".p99_ms")) + " ms" + errors(batch),
                    has(plain + ".per_s") ? "same INSERT without a route: " + rate(num(plain + ".per_s"))
                            + " rows/s (same run)" : "",
                    has(plain + ".per_s") ? ratio(rate, num(plain + ".per_s")) : "", ">= 20 k msgs/s",
                    verdict(rate >= 20_000));
        }
        String c = k + ".consume";
        if (has(c + ".per_s")) {
            double rate = num(c + ".per_s");
            double redis = num("redis.xreadgroup.per_s");
            boolean peer = !Double.isNaN(redis) && redis > 0;
            row("topic drain: 1 group x " + (int) num(c + ".consumers") + " consumers, limit "
                            + (int) num(c + ".limit") + " + ack, HTTP, " + mode,
                    String.format(Locale.ROOT, "%s entries/s (%,d entries), request p50 %s p99 %s ms", rate(rate),
                            (long) num(c + ".entries"), ms(num(c + ".request_p50_ms")), ms(num(c + ".request_p99_ms"))),
                    peer ? "Redis XREADGROUP COUNT " + (int) num("redis.xreadgroup.count") + " + XACK, "
                            + (int) num("redis.xreadgroup.consumers") + " consumers: " + rate(redis)
                            + " entries/s (same run); anchor 270 k"
                            : "Redis not measured" + (has("redis.status") ? " (" + p.getProperty("redis.status")
                            + ")" : "") + "; anchor XREADGROUP 270 k entries/s",
                    ratio(rate, peer ? redis : 270_000), ">= 0.5x Redis XREADGROUP",
                    peer ? verdict(rate >= 0.5 * redis) : verdict(rate >= 0.5 * 270_000) + " (vs the anchor)");
            boolean exact = num(c + ".duplicates") == 0 && num(c + ".gaps") == 0
                    && num(c + ".distinct") == num(c + ".expected") && num(c + ".wrong_partition") == 0
                    && num(c + ".bad_payloads") == 0;
            row("topic delivery to the group, " + mode,
                    String.format(Locale.ROOT, "%,d msgs for %,d rows inserted; %s; %d dup, %d gaps",
                            (long) num(c + ".distinct"), (long) num(c + ".expected"), p.getProperty(c + ".ranges"),
                            (long) num(c + ".duplicates"), (long) num(c + ".gaps")),
                    "", "", "each offset exactly once, 1 msg per row", verdict(exact));
        }
        String e = k + ".e2e";
        if (has(e + ".p50_ms")) {
            double p50 = num(e + ".p50_ms");
            row("topic insert -> consumed (long poll), " + (int) num(e + ".rate") + " inserts/s, " + mode,
                    String.format(Locale.ROOT, "p50 %s p99 %s ms (%,d of %,d received)", ms(p50), ms(num(e + ".p99_ms")),
                            (long) num(e + ".received"), (long) num(e + ".inserted")),
                    "PostgreSQL LISTEN/NOTIFY p50 2.1 p99 4.2 ms (anchor)", ratio(p50, 2.1), "", "-");
        } else if (has(e + ".status")) {
            row("topic insert -> consumed (long poll), " + mode, p.getProperty(e + ".status"), "", "", "", "n/a");
        }
    }

    /** Live-query figures (issue 3): WebSocket notification latency, fan-out, idle connections, subscribe rate. */
    private void liveRows(String mode) {
        String k = mode + ".live";
        if (!has(k + ".status")) {
            if (has(k + ".failed")) {
                row("live queries over WebSocket, " + mode, "failed: " + p.getProperty(k + ".failed"), "", "", "",
                        "FAILED");
            }
            return;
        }
        if (!p.getProperty(k + ".status").equals("ok") && !has(k + ".one.p50_ms")) {
            row("live queries over WebSocket, " + mode, p.getProperty(k + ".status"), "", "", "",
                    p.getProperty(k + ".status").startsWith("skipped") ? "n/a" : "FAILED");
            return;
        }
        for (String part : List.of("one", "fanout", "broadcast", "users")) {
            if (has(k + "." + part + ".status")) {
                row("live: " + part + ", " + mode, p.getProperty(k + "." + part + ".status"), "", "", "", "FAILED");
            }
        }
        if (has(k + ".one.p50_ms")) {
            double p50 = num(k + ".one.p50_ms");
            double p99 = num(k + ".one.p99_ms");
            row("live: insert -> notified, 1 subscriber, " + mode,
                    "p50 " + ms(p50) + " p99 " + ms(p99) + " ms (" + (int) num(k + ".one.inserts") + " inserts"
                            + missingText(k + ".one") + ")",
                    "PostgreSQL LISTEN/NOTIFY p50 2.1 p99 4.2 ms (anchor, not re-measured)", ratio(p50, 2.1),
                    "p50 <= 1 ms, p99 <= 5 ms", verdict(p50 <= 1 && p99 <= 5));
        }
        if (has(k + ".fanout.p50_ms")) {
            double p50 = num(k + ".fanout.p50_ms");
            double b50 = num(k + ".broadcast.p50_ms");
            boolean peer = !Double.isNaN(b50);
            int f = (int) num(k + ".fanout.subscribers");
            row(String.format(Locale.ROOT, "live: insert -> all %,d subscribers of a thread, %s", f, mode),
                    "p50 " + ms(p50) + " p99 " + ms(num(k + ".fanout.p99_ms")) + " ms to reach all, "
                            + rate(num(k + ".fanout.deliveries_per_s")) + " deliveries/s" + missingText(k + ".fanout"),
                    peer ? String.format(Locale.ROOT, "trivial JDK WebSocket broadcast to %,d: p50 %s p99 %s ms, %s "
                                    + "deliveries/s (same run); anchor Vert.x 20 ms", f, ms(b50),
                            ms(num(k + ".broadcast.p99_ms")), rate(num(k + ".broadcast.deliveries_per_s")))
                            : "trivial Vert.x WebSocket broadcast to 1 k: 20 ms p50 (anchor, not re-measured)",
                    ratio(p50, peer ? b50 : 20), "p50 <= 1.2x the broadcast",
                    verdict(p50 <= 1.2 * (peer ? b50 : 20)) + (peer ? "" : " (vs the anchor)"));
        }
        if (has(k + ".idle.heap_bytes_per_conn")) {
            double perConn = num(k + ".idle.heap_bytes_per_conn");
            row(String.format(Locale.ROOT, "idle authenticated WebSocket connections, %s", mode),
                    String.format(Locale.ROOT, "%.2f KiB heap each (%,d connections, after a full GC; %,d open after "
                                    + "12 s idle)%s", perConn / 1024, (long) num(k + ".idle.connections"),
                            (long) num(k + ".idle.open_after_12s"), has(k + ".idle.rss_bytes_per_conn")
                                    ? String.format(Locale.ROOT, "; RSS %.1f KiB each",
                                    num(k + ".idle.rss_bytes_per_conn") / 1024) : ""),
                    "", "", "<= 4 KiB of heap each", verdict(perConn <= 4096));
        } else if (has(k + ".idle.heap_status")) {
            row("idle authenticated WebSocket connections, " + mode, "heap not measured: "
                    + p.getProperty(k + ".idle.heap_status"), "", "", "<= 4 KiB of heap each", "n/a");
        }
        if (has(k + ".subscribe.per_s")) {
            row(String.format(Locale.ROOT, "live: subscribe, %,d users one connection each, %s",
                            (long) num(k + ".subscribe.count"), mode),
                    rate(num(k + ".subscribe.per_s")) + " subscriptions/s" + (has(k + ".subscribe.heap_bytes_per_sub")
                            ? String.format(Locale.ROOT, ", %.2f KiB heap each", num(k + ".subscribe.heap_bytes_per_sub")
                            / 1024) : ""),
                    "", "", "", "-");
        }
        if (has(k + ".users.p50_ms")) {
            double p50 = num(k + ".users.p50_ms");
            double p99 = num(k + ".users.p99_ms");
            row(String.format(Locale.ROOT, "live: insert -> notified, 1 writer among %,d subscribed users, %s",
                            (long) num(k + ".users.subscribers"), mode),
                    "p50 " + ms(p50) + " p99 " + ms(p99) + " ms" + missingText(k + ".users") + ", "
                            + (long) num(k + ".users.foreign_notifications") + " to other users",
                    has(k + ".one.p50_ms") ? "1 subscriber alone: p50 " + ms(num(k + ".one.p50_ms")) + " ms" : "",
                    has(k + ".one.p50_ms") ? ratio(p50, num(k + ".one.p50_ms")) : "",
                    "none to other users, none missing", verdict(num(k + ".users.foreign_notifications") == 0
                            && !(num(k + ".users.missing") > 0)));
        }
    }

    private String missingText(String key) {
        double missing = num(key + ".missing");
        return missing > 0 ? ", " + (long) missing + " MISSING" : "";
    }

    private String errors(String key) {
        double errors = num(key + ".errors");
        return errors > 0 ? ", " + (long) errors + " ERRORS" : "";
    }

    private void insertRow(String mode, int clients) {
        String key = mode + ".insert.c" + clients;
        if (!has(key + ".per_s")) {
            return;
        }
        double rate = num(key + ".per_s");
        double p99 = num(key + ".p99_ms");
        String measured = rate(rate) + " req/s" + spread(key) + ", p50 " + ms(num(key + ".p50_ms")) + " p99 " + ms(p99)
                + " ms"
                + serverTook(key)
                + (num(key + ".errors") > 0 ? ", " + (long) num(key + ".errors") + " ERRORS" : "");
        String what = "INSERT 1 row over HTTP, " + clients + (clients == 1 ? " client, " : " clients, ") + mode;
        if (mode.equals("durable")) {
            String pg = "pg.c" + clients;
            String peer;
            String ratio = "";
            if (has(pg + ".tps")) {
                peer = "PostgreSQL " + clients + " clients: " + rate(num(pg + ".tps")) + "/s" + spread(pg) + ", p50 "
                        + ms(num(pg + ".p50_ms")) + " p99 " + ms(num(pg + ".p99_ms")) + " ms (same run)";
                ratio = ratio(rate, num(pg + ".tps"));
            } else {
                peer = "PostgreSQL not measured" + (has("pg.status") ? " (" + p.getProperty("pg.status") + ")" : "");
            }
            if (clients == 8) {
                peer += "; anchor PG 8 clients 7.6 k/s";
            } else if (clients == 1) {
                peer += "; anchor fsync serial 1.3-2.1 k/s";
            }
            if (clients == 64) {
                boolean met = has(pg + ".tps") && rate >= 2 * num(pg + ".tps") && p99 <= 5;
                row(what, measured, peer, ratio, ">= 2x PostgreSQL, p99 <= 5 ms",
                        has(pg + ".tps") ? verdict(met) : (p99 <= 5 ? "p99 met, ratio n/a" : "MISSED (p99)"));
            } else {
                row(what, measured, peer, ratio, "", "-");
            }
        } else {
            String peer = "";
            String ratio = "";
            if (clients == 1) {
                peer = "KalamDB (Rust) serial 3.8 k/s (published, 10 cores)";
                ratio = ratio(rate, 3_800);
            } else if (clients == 8) {
                peer = "KalamDB (Rust) 10 concurrent 7.4 k/s (published, 10 cores)";
                ratio = ratio(rate, 7_400);
            }
            if (clients == 64) {
                row(what, measured, "RocksDB put, no sync, 1 thread: 62 k/s (anchor)", ratio(rate, 62_000),
                        ">= 25 k/s", verdict(rate >= 25_000));
            } else {
                row(what, measured, peer, ratio, "", "-");
            }
        }
    }

    private void readRows(String mode, String key, String suffix) {
        String seq = mode + "." + key + ".seq";
        if (!has(seq + ".p50_ms")) {
            return;
        }
        double p50 = num(seq + ".p50_ms");
        double p99 = num(seq + ".p99_ms");
        String history = String.format(Locale.ROOT, "%,d rows of the target + %d users x %,d",
                (long) num(mode + (key.equals("last20grown") ? ".grow" : ".load") + ".target_rows_total"),
                (long) num(mode + ".load.other_users"),
                (long) num(mode + (key.equals("last20grown") ? ".grow" : ".load") + ".other_rows_each_total"));
        row("last 20 of a thread, 1 reader" + suffix + ", " + mode,
                "p50 " + ms(p50) + " p99 " + ms(p99) + " ms, " + rate(num(seq + ".per_s")) + " req/s" + serverTook(seq),
                history, "", "p50 <= 0.5 ms, p99 <= 3 ms", verdict(p50 <= 0.5 && p99 <= 3));
        String conc = firstKey(mode + "." + key + ".c", ".p50_ms");
        if (conc != null) {
            double cp50 = num(conc + ".p50_ms");
            double cp99 = num(conc + ".p99_ms");
            String readers = conc.substring(conc.lastIndexOf(".c") + 2);
            row("last 20 of a thread, " + readers + " readers" + suffix + ", " + mode,
                    "p50 " + ms(cp50) + " p99 " + ms(cp99) + " ms, " + rate(num(conc + ".per_s")) + " req/s"
                            + serverTook(conc),
                    "", "", "p50 <= 0.5 ms, p99 <= 3 ms", verdict(cp50 <= 0.5 && cp99 <= 3));
        }
    }

    private void printTable() {
        System.out.println();
        System.out.println("================ KalamDB benchmark summary ================");
        for (String key : List.of("env.date", "env.host_cores", "env.cpu", "env.jdk", "env.client_jdk",
                "env.server_java_opts", "env.settings", "pg.version", "pg.settings", "pg.status")) {
            if (has(key)) {
                String label = key.startsWith("env.") ? key.substring(4) : key.replace('.', ' ');
                System.out.printf(Locale.ROOT, "%-20s %s%n", label + ":", p.getProperty(key));
            }
        }
        String[] header = {"figure", "measured", "compared with", "ratio", "target", "verdict"};
        int[] width = new int[header.length];
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (String[] r : all) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (int n = 0; n < all.size(); n++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < header.length; i++) {
                line.append(i == 0 ? "" : " | ").append(String.format(Locale.ROOT, "%-" + width[i] + "s", all.get(n)[i]));
            }
            System.out.println(line.toString().stripTrailing());
            if (n == 0) {
                System.out.println("-".repeat(line.length()));
            }
        }
        long missed = rows.stream().filter(r -> r[5].startsWith("MISSED")).count();
        long failed = rows.stream().filter(r -> r[5].equals("FAILED")).count();
        System.out.printf(Locale.ROOT, "%n%d figure(s) with a target missed (a finding to report, not a failure of the run).%n",
                missed);
        if (failed > 0) {
            System.out.printf(Locale.ROOT, "%d part(s) FAILED: see the log above.%n", failed);
        }
    }

    private void row(String figure, String measured, String peer, String ratio, String target, String verdict) {
        rows.add(new String[] {figure, measured, peer, ratio, target, verdict});
    }

    /** " [min-max of N runs]" when a figure is the median of several runs. */
    private String spread(String key) {
        double runs = num(key + ".runs");
        if (Double.isNaN(runs) || runs < 2) {
            return "";
        }
        String unit = key.startsWith("pg.") ? ".tps" : ".per_s";
        return " [" + rate(num(key + unit + "_min")) + "-" + rate(num(key + unit + "_max")) + ", median of "
                + (int) runs + "]";
    }

    /** " (server took p50 x ms)": the server's own time from the answers' "took", when it was reported. */
    private String serverTook(String key) {
        double took = num(key + ".server_p50_ms");
        return Double.isNaN(took) ? "" : " (server took p50 " + ms(took) + ")";
    }

    private String reason(String mode) {
        return has(mode + ".status") ? " (" + p.getProperty(mode + ".status") + ")" : "";
    }

    private String firstKey(String prefix, String suffix) {
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(prefix) && name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }

    private boolean has(String key) {
        return p.getProperty(key) != null && !p.getProperty(key).isEmpty();
    }

    private double num(String key) {
        try {
            return Double.parseDouble(p.getProperty(key, "NaN"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String verdict(boolean met) {
        return met ? "met" : "MISSED";
    }

    private static String ratio(double value, double peer) {
        return Double.isNaN(value) || Double.isNaN(peer) || peer == 0 ? ""
                : String.format(Locale.ROOT, "%.2fx", value / peer);
    }

    private static String rate(double perSecond) {
        return Results.fmtRate(perSecond);
    }

    private static String ms(double ms) {
        return Results.fmtMs(ms);
    }
}
