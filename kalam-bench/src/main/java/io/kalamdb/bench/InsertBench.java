package io.kalamdb.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Write throughput over HTTP: single-row INSERTs with 1, 8, 64 concurrent clients (each client its own user and
 * token, one connection each), then multi-row INSERTs; finally checks that every acknowledged row is stored.
 */
final class InsertBench {

    private final Settings settings;
    private final Transport transport;
    private final Results results;
    private final Messages messages;
    private final List<String> users;
    private final Map<String, String> tokens;
    private final long[] acknowledgedRows;

    InsertBench(Settings settings, Transport transport, Results results, List<String> users,
                Map<String, String> tokens) {
        this.settings = settings;
        this.transport = transport;
        this.results = results;
        this.messages = new Messages(settings.integer("content-bytes"));
        this.users = users;
        this.tokens = tokens;
        this.acknowledgedRows = new long[users.size()];
        this.rowsBefore = new long[users.size()];
    }

    private final long[] rowsBefore;

    /** Counts each user's rows before the runs, so that the check also holds on a server used before. */
    void countBefore() throws IOException {
        try (Transport.Channel channel = transport.open()) {
            for (int i = 0; i < users.size(); i++) {
                rowsBefore[i] = new KalamClient(channel, tokens.get(users.get(i))).scalarLong(Messages.COUNT);
            }
        }
    }

    /** The most clients any run of this bench uses: the users it needs. */
    static int usersNeeded(Settings settings) {
        int max = settings.integer("batch-clients");
        for (int c : settings.integers("clients")) {
            max = Math.max(max, c);
        }
        if (settings.hasPhase("topics")) {
            max = Math.max(max, Math.max(settings.integer("topic-clients"), settings.integer("e2e-writers")));
        }
        return max;
    }

    void singleRow() throws IOException {
        for (int clients : settings.integers("clients")) {
            List<KalamClient> open = open(clients);
            try {
                repeated("single-row INSERT, " + clients + " client(s)", "insert.c" + clients, clients, 1, "req/s",
                        (client, seq, sample) -> {
                            String tag = "c" + client + "-" + seq;
                            Transport.Response r = open.get(client).post(
                                    messages.insertOneBody("t" + (seq % 50), messages.content(tag)));
                            sample.tookFrom(r);
                            return KalamClient.isSuccess(r) ? null : errorText(r);
                        });
            } finally {
                open.forEach(KalamClient::close);
            }
        }
    }

    void batched() throws IOException {
        int clients = settings.integer("batch-clients");
        int rows = settings.integer("batch-rows");
        List<KalamClient> open = open(clients);
        try {
            String key = "batch.c" + clients;
            results.put(key + ".rows_per_statement", rows);
            repeated("batched INSERT (" + rows + " rows a statement), " + clients + " clients", key, clients, rows,
                    "rows/s", (client, seq, sample) -> {
                        String sql = Messages.insertMany(rows, r -> "t" + (r % 50),
                                r -> messages.content("b" + client + "-" + seq + "-" + r));
                        Transport.Response response = open.get(client).post(Json.sqlBody(sql, List.of()));
                        sample.tookFrom(response);
                        return KalamClient.isSuccess(response) ? null : errorText(response);
                    });
        } finally {
            open.forEach(KalamClient::close);
        }
    }

    /**
     * One warm-up, then {@code repeats} timed runs back to back; each is printed, and the median of each figure
     * over the runs is recorded (BENCHMARKS.md: quote medians of several runs on this noisy machine).
     */
    private void repeated(String what, String key, int clients, int unitsPerOp, String unit, Runner.Op op) {
        int repeats = Math.max(1, settings.integer("repeats"));
        List<Runner.Outcome> outcomes = new ArrayList<>();
        for (int run = 0; run < repeats; run++) {
            Runner.Outcome outcome = Runner.timed(clients, run == 0 ? settings.decimal("warmup-s") : 0,
                    settings.decimal("duration-s"), Long.MAX_VALUE, settings.integer("request-timeout-s"), op);
            addAcknowledged(outcome, unitsPerOp);
            outcomes.add(outcome);
            print(what + (repeats > 1 ? " [run " + (run + 1) + "/" + repeats + "]" : ""), outcome, unit, unitsPerOp);
        }
        results.putMedians(key, outcomes, unitsPerOp);
        if (repeats > 1) {
            System.out.printf(Locale.ROOT, "  %-52s %10s %s  median of %d runs: p50 %s ms, p99 %s ms%n",
                    what + " (median):", Results.fmtRate(Results.median(outcomes, o -> o.perSecond() * unitsPerOp)),
                    unit, repeats, Results.fmtMs(Results.median(outcomes, o -> o.latencies().percentileMs(50))),
                    Results.fmtMs(Results.median(outcomes, o -> o.latencies().percentileMs(99))));
        }
    }

    /** Every acknowledged row must be readable by its owner: COUNT(*) per user against the acknowledgements. */
    void verify() throws IOException {
        long expected = 0;
        long found = 0;
        List<String> problems = new ArrayList<>();
        try (Transport.Channel channel = transport.open()) {
            for (int i = 0; i < users.size(); i++) {
                if (acknowledgedRows[i] == 0) {
                    continue;
                }
                KalamClient asUser = new KalamClient(channel, tokens.get(users.get(i)));
                long count = asUser.scalarLong(Messages.COUNT) - rowsBefore[i];
                expected += acknowledgedRows[i];
                found += count;
                if (count < acknowledgedRows[i]) {
                    problems.add(users.get(i) + ": " + count + " rows stored < " + acknowledgedRows[i]
                            + " acknowledged");
                } else if (count > acknowledgedRows[i]) {
                    problems.add(users.get(i) + ": " + count + " rows stored > " + acknowledgedRows[i]
                            + " acknowledged (a timed-out or retried request?)");
                }
            }
        }
        results.put("verify.acknowledged_rows", expected);
        results.put("verify.stored_rows", found);
        results.put("verify.problems", problems.size());
        System.out.printf(Locale.ROOT, "  check: %,d rows acknowledged, %,d stored (COUNT(*) as each user): %s%n",
                expected, found, problems.isEmpty() ? "all present" : problems.size() + " users differ");
        problems.stream().limit(10).forEach(p -> System.out.println("    " + p));
    }

    private void addAcknowledged(Runner.Outcome outcome, int rowsPerOp) {
        long[] perClient = outcome.okPerClientIncludingWarmup();
        for (int c = 0; c < perClient.length; c++) {
            acknowledgedRows[c] += perClient[c] * rowsPerOp;
        }
    }

    private List<KalamClient> open(int clients) throws IOException {
        if (clients > users.size()) {
            throw new IllegalArgumentException(clients + " clients but only " + users.size() + " users");
        }
        List<KalamClient> open = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            open.add(new KalamClient(transport.open(), tokens.get(users.get(c))));
        }
        return open;
    }

    static String errorText(Transport.Response r) {
        return "HTTP " + r.status() + " " + KalamClient.abbreviate(r.body(), 400);
    }

    static void print(String what, Runner.Outcome o, String unit, int unitsPerOp) {
        System.out.printf(Locale.ROOT, "  %-52s %10s %s  %s; server took p50 %s p99 %s ms%s%n", what + ":",
                Results.fmtRate(o.perSecond() * unitsPerOp), unit, Results.latencyLine(o.latencies()),
                Results.fmtMs(o.serverTook().percentileMs(50)), Results.fmtMs(o.serverTook().percentileMs(99)),
                o.errors() > 0 || o.firstError() != null
                        ? "  ERRORS " + o.errors() + ", first: " + o.firstError() : "");
    }
}
