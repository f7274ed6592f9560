package io.kalamdb.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * "Last 20 messages of a thread": loads one target user with a large history spread over threads plus many other
 * users with a small one, then reads the newest 20 messages of random threads as the target user, sequentially
 * and with concurrent readers; optionally grows every history and reads again.
 */
final class HistoryBench {

    static final String TARGET_USER = "target";

    private final Settings settings;
    private final Transport transport;
    private final Results results;
    private final Messages messages;
    private final Map<String, String> tokens;
    private final List<String> others;
    private final int threads;
    private final int rowsPerStatement;
    private long targetLoaded;
    private long otherLoadedEach;
    private long targetBefore;
    /** Sequential p50 of each read run, to compare before and after growth. */
    private final Map<String, Double> measured = new HashMap<>();

    HistoryBench(Settings settings, Transport transport, Results results, Map<String, String> tokens,
                 List<String> others) {
        this.settings = settings;
        this.transport = transport;
        this.results = results;
        this.messages = new Messages(settings.integer("content-bytes"));
        this.tokens = tokens;
        this.others = others;
        this.threads = settings.integer("threads");
        this.rowsPerStatement = settings.integer("load-rows-per-statement");
    }

    static List<String> otherUsers(Settings settings) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= settings.integer("other-users"); i++) {
            names.add("hist" + i);
        }
        return names;
    }

    void run() throws IOException {
        try (KalamClient asTarget = new KalamClient(transport.open(), tokens.get(TARGET_USER))) {
            targetBefore = asTarget.scalarLong(Messages.COUNT);
        }
        long targetRows = settings.integer("target-rows");
        long otherRows = settings.integer("other-rows");
        load("load", targetRows, otherRows);
        read("last20");
        // The same reads once more with an index on thread_id, as a real schema for this query would have.
        try (KalamClient root = new KalamClient(transport.open()).login("root", settings.require("root-password"))) {
            long t0 = System.nanoTime();
            root.sql("CREATE INDEX IF NOT EXISTS by_thread ON chat.messages (thread_id)");
            System.out.printf(Locale.ROOT, "  CREATE INDEX ON chat.messages (thread_id): %.1f s (backfill)%n",
                    (System.nanoTime() - t0) / 1e9);
        }
        read("last20idx");
        int growth = settings.integer("growth");
        if (growth > 1) {
            System.out.printf(Locale.ROOT, "  history grows %dx: every user's history is loaded %d more times%n",
                    growth, growth - 1);
            load("grow", targetRows * (growth - 1), otherRows * (growth - 1));
            read("last20grown");
            double base = measured.getOrDefault("last20.seq.p50_ms", Double.NaN);
            double grown = measured.getOrDefault("last20grown.seq.p50_ms", Double.NaN);
            results.put("growth.factor", growth);
            System.out.printf(Locale.ROOT, "  growth %dx: sequential p50 %.3f ms -> %.3f ms (%.2fx)%n", growth, base,
                    grown, grown / base);
        }
    }

    /** Appends {@code targetRows} rows to the target and {@code otherRows} to each other user. */
    private void load(String key, long targetRows, long otherRows) throws IOException {
        int clients = settings.integer("load-clients");
        long deadline = settings.integer("load-deadline-s");
        String targetToken = tokens.get(TARGET_USER);
        long firstTargetRow = targetLoaded;
        long targetStatements = (targetRows + rowsPerStatement - 1) / rowsPerStatement;
        List<Transport.Channel> channels = openChannels(clients);
        try {
            Runner.Outcome target = Runner.drain(clients, targetStatements, deadline, (client, k, sample) -> {
                long from = firstTargetRow + k * rowsPerStatement;
                int rows = (int) Math.min(rowsPerStatement, firstTargetRow + targetRows - from);
                String sql = Messages.insertMany(rows, r -> "thread-" + ((from + r) % threads),
                        r -> messages.content("h" + (from + r)));
                Transport.Response response = channels.get(client).post(KalamClient.SQL_PATH, targetToken,
                        Json.sqlBody(sql, List.of()));
                sample.tookFrom(response);
                return KalamClient.isSuccess(response) ? null : InsertBench.errorText(response);
            });
            check(target, "loading the target user");
            targetLoaded += targetRows;
            double targetRate = targetRows / target.seconds();
            System.out.printf(Locale.ROOT, "  %s: target user '%s' +%,d rows over %d threads in %.1f s: %s rows/s "
                            + "(%d clients, %d rows a statement; statement %s)%n", key, TARGET_USER, targetRows,
                    threads, target.seconds(), Results.fmtRate(targetRate), clients, rowsPerStatement,
                    Results.latencyLine(target.latencies()));

            long firstOtherRow = otherLoadedEach;
            long perUser = (otherRows + rowsPerStatement - 1) / rowsPerStatement;
            Runner.Outcome rest = Runner.drain(clients, perUser * others.size(), deadline, (client, k, sample) -> {
                String user = others.get((int) (k / perUser));
                long from = firstOtherRow + (k % perUser) * rowsPerStatement;
                int rows = (int) Math.min(rowsPerStatement, firstOtherRow + otherRows - from);
                String sql = Messages.insertMany(rows, r -> "thread-" + ((from + r) % 10),
                        r -> messages.content(user + "-" + (from + r)));
                Transport.Response response = channels.get(client).post(KalamClient.SQL_PATH, tokens.get(user),
                        Json.sqlBody(sql, List.of()));
                sample.tookFrom(response);
                return KalamClient.isSuccess(response) ? null : InsertBench.errorText(response);
            });
            check(rest, "loading the other users");
            otherLoadedEach += otherRows;
            long restRows = otherRows * others.size();
            System.out.printf(Locale.ROOT, "  %s: %d other users +%,d rows each (%,d rows) in %.1f s: %s rows/s%n", key,
                    others.size(), otherRows, restRows, rest.seconds(), Results.fmtRate(restRows / rest.seconds()));
            double rate = (targetRows + restRows) / (target.seconds() + rest.seconds());
            results.put(key + ".rows_per_s", rate);
            results.put(key + ".target_rows_per_s", targetRate);
            results.put(key + ".rows_per_statement", rowsPerStatement);
            results.put(key + ".clients", clients);
            results.put(key + ".target_rows_total", targetLoaded);
            results.put(key + ".other_users", others.size());
            results.put(key + ".other_rows_each_total", otherLoadedEach);
            System.out.printf(Locale.ROOT, "  %s: history now: '%s' %,d rows in %d threads; %d other users %,d rows "
                            + "each; %,d rows in these %d users%n", key, TARGET_USER, targetLoaded, threads,
                    others.size(), otherLoadedEach, targetLoaded + otherLoadedEach * others.size(), others.size() + 1);
        } finally {
            channels.forEach(Transport.Channel::close);
        }
        try (KalamClient asTarget = new KalamClient(transport.open(), targetToken)) {
            long count = asTarget.scalarLong(Messages.COUNT) - targetBefore;
            System.out.printf(Locale.ROOT, "  %s: COUNT(*) as '%s' = %,d (expected %,d)%s%n", key, TARGET_USER, count,
                    targetLoaded, count == targetLoaded ? "" : "  MISMATCH");
            results.put(key + ".target_count_ok", count == targetLoaded);
        }
    }

    /** Sequential reads, then concurrent readers, all as the target user over random threads. */
    private void read(String key) throws IOException {
        String token = tokens.get(TARGET_USER);
        long seed = settings.integer("seed");
        int warmup = settings.integer("read-warmup");
        long deadline = settings.integer("load-deadline-s");
        String threadNote = "random thread of " + threads + ", seed " + seed;

        try (KalamClient reader = new KalamClient(transport.open(), token)) {
            Random random = new Random(seed);
            Runner.Outcome seq = Runner.counted(1, warmup, settings.integer("reads"), deadline,
                    (client, n, sample) -> readOnce(reader, "thread-" + random.nextInt(threads), n % 100 == 0,
                            sample));
            results.putOutcome(key + ".seq", seq, 1);
            measured.put(key + ".seq.p50_ms", seq.latencies().percentileMs(50));
            InsertBench.print("last 20 of a thread, 1 reader (" + threadNote + ")", seq, "req/s", 1);
        }

        int readers = settings.integer("readers");
        List<KalamClient> clients = new ArrayList<>();
        List<Random> randoms = new ArrayList<>();
        for (int c = 0; c < readers; c++) {
            clients.add(new KalamClient(transport.open(), token));
            randoms.add(new Random(seed + c + 1));
        }
        try {
            Runner.Outcome concurrent = Runner.counted(readers, Math.max(1, warmup / readers),
                    settings.integer("reads-per-reader"), deadline, (client, n, sample) -> readOnce(clients.get(client),
                            "thread-" + randoms.get(client).nextInt(threads), n % 100 == 0, sample));
            results.putOutcome(key + ".c" + readers, concurrent, 1);
            results.put(key + ".readers", readers);
            InsertBench.print("last 20 of a thread, " + readers + " concurrent readers", concurrent, "req/s", 1);
        } finally {
            clients.forEach(KalamClient::close);
        }
    }

    /** One read; every 100th answer is parsed and checked (20 rows, that thread only, id descending). */
    private static String readOnce(KalamClient client, String threadId, boolean deepCheck, Runner.Sample sample)
            throws IOException {
        Transport.Response response = client.post(Messages.lastTwentyBody(threadId));
        sample.tookFrom(response);
        if (!KalamClient.isSuccess(response)) {
            return InsertBench.errorText(response);
        }
        if (!deepCheck) {
            return response.body().contains("\"row_count\":20") ? null
                    : "expected 20 rows: " + KalamClient.abbreviate(response.body(), 300);
        }
        Map<String, Object> result = Json.object(Json.array(Json.object(Json.parse(response.body()))
                .get("results")).get(0));
        List<Object> schema = Json.array(result.get("schema"));
        int idAt = -1;
        int threadAt = -1;
        for (int i = 0; i < schema.size(); i++) {
            Object name = Json.object(schema.get(i)).get("name");
            if ("id".equals(name)) {
                idAt = i;
            } else if ("thread_id".equals(name)) {
                threadAt = i;
            }
        }
        List<Object> rows = Json.array(result.get("rows"));
        if (rows.size() != 20 || idAt < 0 || threadAt < 0) {
            return "expected 20 rows with id and thread_id: " + KalamClient.abbreviate(response.body(), 300);
        }
        long previous = Long.MAX_VALUE;
        for (Object row : rows) {
            List<Object> values = Json.array(row);
            long id = Long.parseLong(values.get(idAt).toString());
            if (!threadId.equals(values.get(threadAt)) || id >= previous) {
                return "rows not of " + threadId + " in id DESC order: " + KalamClient.abbreviate(response.body(), 300);
            }
            previous = id;
        }
        return null;
    }

    private List<Transport.Channel> openChannels(int n) throws IOException {
        List<Transport.Channel> channels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            channels.add(transport.open());
        }
        return channels;
    }

    private static void check(Runner.Outcome outcome, String what) throws IOException {
        if (outcome.errors() > 0 || outcome.firstError() != null) {
            throw new IOException(what + " failed: " + outcome.firstError());
        }
    }
}
