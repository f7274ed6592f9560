package io.kalamdb.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Topics (reference §2.6, §4): a topic fed by the INSERTs of {@code chat.messages} (CDC route), consumed over HTTP
 * by one group. Measures (a) the produce rate = rows inserted per second while the route is active, with the
 * single-row and the multi-row INSERT clients of {@link InsertBench}; (b) the drain rate of one group with two
 * consumers ({@code consume} with limit 100, then {@code ack}), checking that every offset of every partition
 * is consumed exactly once (no duplicates between the consumers, no gaps) and that there is one message per
 * inserted row; (c) insert → consumed latency with long-polling consumers while writers insert at a fixed rate.
 */
final class TopicBench {

    static final String TOPIC = "chat.bench_events";
    static final int PARTITIONS = 2;
    static final String WORKER = "bench_worker";
    static final String CONSUME_PATH = "/v1/api/topics/consume";
    static final String ACK_PATH = "/v1/api/topics/ack";
    private static final String E2E_TAG = "e2e-";

    private final Settings settings;
    private final Transport transport;
    private final Results results;
    private final Messages messages;
    private final List<String> users;
    private final Map<String, String> tokens;
    private final String rootPassword;
    private String topic = TOPIC;
    private String workerToken;
    /** Rows acknowledged while the route was active (= messages the topic must hold). */
    private long produced;
    /** Next offset of each partition after the drain (where the latency run starts). */
    private final long[] ends = new long[PARTITIONS];
    private boolean drained;

    TopicBench(Settings settings, Transport transport, Results results, List<String> users,
               Map<String, String> tokens, String rootPassword) {
        this.settings = settings;
        this.transport = transport;
        this.results = results;
        this.messages = new Messages(settings.integer("content-bytes"));
        this.users = users;
        this.tokens = tokens;
        this.rootPassword = rootPassword;
    }

    void run() throws IOException {
        try (KalamClient root = new KalamClient(transport.open()).login("root", rootPassword)) {
            setup(root);
            try {
                produce();
                drain();
                latency();
            } finally {
                // the route would tax every later insert (the live phase): drop the topic
                String drop = "DROP TOPIC " + topic;
                try {
                    root.sql(drop);
                    System.out.println("  " + drop);
                } catch (IOException e) {
                    System.out.println("  " + drop + " failed: " + e.getMessage());
                }
            }
        }
    }

    private void setup(KalamClient root) throws IOException {
        for (int attempt = 0; ; attempt++) {
            topic = attempt == 0 ? TOPIC : TOPIC + "_" + attempt;
            try {
                root.sql("CREATE TOPIC " + topic + " PARTITIONS " + PARTITIONS);
                break;
            } catch (IOException e) {
                // a second run against one server: take a fresh topic so that the checks start from offset 0
                if (attempt >= 20 || e.getMessage() == null || !e.getMessage().contains("already exists")) {
                    throw e;
                }
            }
        }
        String route = "ALTER TOPIC " + topic + " ADD SOURCE chat.messages ON INSERT WITH (payload = 'full')";
        root.sql(route);
        System.out.println("  CREATE TOPIC " + topic + " PARTITIONS " + PARTITIONS + "\n  " + route);
        String user = "CREATE USER '" + WORKER + "' WITH PASSWORD '" + Setup.PASSWORD + "' ROLE service";
        try {
            root.sql(user);
            System.out.println("  " + user);
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("already exists")) {
                throw e;
            }
            System.out.println("  " + user + "  (exists: kept)");
        }
        try (KalamClient worker = new KalamClient(transport.open())) {
            workerToken = worker.login(WORKER, Setup.PASSWORD).token();
        }
        results.put("topics.topic", topic);
        results.put("topics.partitions", PARTITIONS);
    }

    // ---- (a) produce: inserts while the route is active ----

    private void produce() throws IOException {
        double warmup = settings.decimal("topic-warmup-s");
        double duration = settings.decimal("topic-duration-s");
        int timeout = settings.integer("request-timeout-s");
        int clients = Math.min(settings.integer("topic-clients"), users.size());
        if (clients > 0) {
            List<KalamClient> open = open(clients);
            try {
                Runner.Outcome o = Runner.timed(clients, warmup, duration, Long.MAX_VALUE, timeout,
                        (client, seq, sample) -> {
                            Transport.Response r = open.get(client).post(messages.insertOneBody("t" + (seq % 50),
                                    messages.content("tp" + client + "-" + seq)));
                            sample.tookFrom(r);
                            return KalamClient.isSuccess(r) ? null : InsertBench.errorText(r);
                        });
                produced += sum(o.okPerClientIncludingWarmup());
                results.putOutcome("topics.produce.insert.c" + clients, o, 1);
                InsertBench.print("topic produce: single-row INSERT, " + clients + " clients", o, "msgs/s", 1);
            } finally {
                open.forEach(KalamClient::close);
            }
        }
        int batchClients = Math.min(settings.integer("batch-clients"), users.size());
        int rows = settings.integer("batch-rows");
        if (batchClients > 0) {
            List<KalamClient> open = open(batchClients);
            try {
                Runner.Outcome o = Runner.timed(batchClients, warmup, duration, Long.MAX_VALUE, timeout,
                        (client, seq, sample) -> {
                            String sql = Messages.insertMany(rows, r -> "t" + (r % 50),
                                    r -> messages.content("tb" + client + "-" + seq + "-" + r));
                            Transport.Response r = open.get(client).post(Json.sqlBody(sql, List.of()));
                            sample.tookFrom(r);
                            return KalamClient.isSuccess(r) ? null : InsertBench.errorText(r);
                        });
                produced += sum(o.okPerClientIncludingWarmup()) * rows;
                String key = "topics.produce.batch.c" + batchClients;
                results.putOutcome(key, o, rows);
                results.put(key + ".rows_per_statement", rows);
                InsertBench.print("topic produce: batched INSERT (" + rows + " rows a statement), " + batchClients
                        + " clients", o, "msgs/s", rows);
            } finally {
                open.forEach(KalamClient::close);
            }
        }
        results.put("topics.produced_rows", produced);
        System.out.printf(Locale.ROOT, "  %,d rows acknowledged while the route was active (warm-ups included): "
                + "the topic must hold as many messages%n", produced);
    }

    // ---- (b) drain: one group, several consumers, every offset exactly once ----

    private void drain() throws IOException {
        int consumers = settings.integer("topic-consumers");
        int limit = settings.integer("topic-limit");
        String group = "bench-drain-" + System.currentTimeMillis();
        long deadline = System.nanoTime() + settings.integer("topic-consume-deadline-s") * 1_000_000_000L;
        BitSet[] seen = new BitSet[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            seen[p] = new BitSet();
        }
        AtomicLong consumed = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong wrongPartition = new AtomicLong();
        AtomicLong badPayloads = new AtomicLong();
        AtomicLong payloadBytes = new AtomicLong();
        AtomicLong payloadSamples = new AtomicLong();
        AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastEnd = new AtomicLong(Long.MIN_VALUE);
        AtomicReference<String> firstError = new AtomicReference<>();
        long[] perConsumer = new long[consumers];
        List<Latencies> consumeLat = new ArrayList<>();
        List<Latencies> ackLat = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            int me = c;
            Latencies cl = new Latencies();
            Latencies al = new Latencies();
            consumeLat.add(cl);
            ackLat.add(al);
            threads.add(Thread.ofPlatform().name("bench-consumer-" + c).start(() -> {
                try (Transport.Channel channel = transport.open()) {
                    int emptyRounds = 0;
                    int errors = 0;
                    for (long round = 0; System.nanoTime() < deadline && !Thread.currentThread().isInterrupted();
                         round++) {
                        int p = (int) ((me + round) % PARTITIONS);
                        String body = "{\"topic_id\":\"" + topic + "\",\"group_id\":\"" + group
                                + "\",\"partition_id\":" + p + ",\"start\":\"Earliest\",\"limit\":" + limit + "}";
                        long s = System.nanoTime();
                        Transport.Response r;
                        try {
                            r = channel.post(CONSUME_PATH, workerToken, body);
                        } catch (IOException e) {
                            firstError.compareAndSet(null, "consume: " + e.getMessage());
                            if (++errors > 10) {
                                return;
                            }
                            continue;
                        }
                        long e = System.nanoTime();
                        if (r.status() != 200) {
                            firstError.compareAndSet(null, "consume " + body + " -> " + InsertBench.errorText(r));
                            if (++errors > 10) {
                                return;
                            }
                            continue;
                        }
                        cl.record(e - s);
                        Batch batch = Batch.scan(r.body(), round % 50 == 0);
                        if (batch.size() == 0) {
                            // done when every partition answered empty twice in a row and nothing is missing
                            // (or, while messages are missing, after 200 empty rounds: claims of the other
                            // consumer are acked within milliseconds)
                            emptyRounds++;
                            if ((consumed.get() >= produced && emptyRounds >= 2 * PARTITIONS)
                                    || emptyRounds >= 200) {
                                return;
                            }
                            if (consumed.get() < produced) {
                                Thread.sleep(5);
                            }
                            continue;
                        }
                        emptyRounds = 0;
                        firstStart.accumulateAndGet(s, Math::min);
                        long last = -1;
                        synchronized (seen) {
                            for (int i = 0; i < batch.size(); i++) {
                                if (batch.partitions[i] != p) {
                                    wrongPartition.incrementAndGet();
                                }
                                int part = Math.floorMod(batch.partitions[i], PARTITIONS);
                                int off = (int) batch.offsets[i];
                                if (seen[part].get(off)) {
                                    duplicates.incrementAndGet();
                                }
                                seen[part].set(off);
                                last = Math.max(last, batch.offsets[i]);
                            }
                        }
                        if (batch.samplePayload != null) {
                            String json = new String(batch.samplePayload, StandardCharsets.UTF_8);
                            payloadBytes.addAndGet(batch.samplePayload.length);
                            payloadSamples.incrementAndGet();
                            if (!json.contains("\"_table\":\"chat.messages\"") || !json.contains("\"content\":\"")) {
                                badPayloads.incrementAndGet();
                                firstError.compareAndSet(null, "payload without _table or content: " + json);
                            }
                        }
                        String ack = "{\"topic_id\":\"" + topic + "\",\"group_id\":\"" + group
                                + "\",\"partition_id\":" + p + ",\"upto_offset\":" + last + "}";
                        long as = System.nanoTime();
                        Transport.Response ar = channel.post(ACK_PATH, workerToken, ack);
                        long ae = System.nanoTime();
                        if (ar.status() != 200 || !ar.body().contains("\"success\":true")) {
                            firstError.compareAndSet(null, "ack " + ack + " -> " + InsertBench.errorText(ar));
                        } else {
                            al.record(ae - as);
                        }
                        consumed.addAndGet(batch.size());
                        perConsumer[me] += batch.size();
                        lastEnd.accumulateAndGet(ae, Math::max);
                    }
                    firstError.compareAndSet(null, "consumer " + me + " stopped at the deadline");
                } catch (IOException | RuntimeException e) {
                    firstError.compareAndSet(null, "consumer " + me + ": " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        join(threads, deadline);
        long total = consumed.get();
        double seconds = Math.max(1e-9, (lastEnd.get() - firstStart.get()) / 1e9);
        double rate = total / seconds;
        long gaps = 0;
        StringBuilder ranges = new StringBuilder();
        for (int p = 0; p < PARTITIONS; p++) {
            int max = seen[p].length(); // highest offset + 1
            gaps += max - seen[p].cardinality();
            ends[p] = max;
            ranges.append(p == 0 ? "" : ", ").append("p").append(p).append(": ")
                    .append(max == 0 ? "empty" : "0.." + (max - 1));
        }
        long distinct = seen[0].cardinality() + (long) seen[1].cardinality();
        drained = distinct == produced && gaps == 0;
        Latencies.Sorted consumeSorted = Latencies.merge(consumeLat);
        Latencies.Sorted ackSorted = Latencies.merge(ackLat);
        String key = "topics.consume";
        results.put(key + ".per_s", rate);
        results.put(key + ".entries", total);
        results.put(key + ".distinct", distinct);
        results.put(key + ".seconds", seconds);
        results.put(key + ".consumers", consumers);
        results.put(key + ".limit", limit);
        results.put(key + ".duplicates", duplicates.get());
        results.put(key + ".gaps", gaps);
        results.put(key + ".wrong_partition", wrongPartition.get());
        results.put(key + ".bad_payloads", badPayloads.get());
        results.put(key + ".expected", produced);
        results.put(key + ".ranges", ranges.toString());
        results.put(key + ".request_p50_ms", consumeSorted.percentileMs(50));
        results.put(key + ".request_p99_ms", consumeSorted.percentileMs(99));
        results.put(key + ".ack_p50_ms", ackSorted.percentileMs(50));
        results.put(key + ".ack_p99_ms", ackSorted.percentileMs(99));
        if (payloadSamples.get() > 0) {
            results.put("topics.payload_bytes", payloadBytes.get() / payloadSamples.get());
        }
        if (firstError.get() != null) {
            results.put(key + ".first_error", firstError.get());
        }
        StringBuilder split = new StringBuilder();
        for (int c = 0; c < consumers; c++) {
            split.append(c == 0 ? "" : " + ").append(String.format(Locale.ROOT, "%,d", perConsumer[c]));
        }
        System.out.printf(Locale.ROOT, "  topic drain: 1 group, %d consumers (both poll every partition, limit %d, "
                        + "ack after each batch): %s entries/s, %,d entries in %.2f s (%s)%n", consumers, limit,
                Results.fmtRate(rate), total, seconds, split);
        System.out.printf(Locale.ROOT, "    consume request %s; ack p50 %s ms, p99 %s ms; payload ~%d bytes%n",
                Results.latencyLine(consumeSorted), Results.fmtMs(ackSorted.percentileMs(50)),
                Results.fmtMs(ackSorted.percentileMs(99)),
                payloadSamples.get() == 0 ? 0 : payloadBytes.get() / payloadSamples.get());
        System.out.printf(Locale.ROOT, "    check: %,d messages for %,d inserted rows; offsets %s; %d duplicates, "
                        + "%d gaps, %d wrong partition, %d bad payloads: %s%n", distinct, produced, ranges,
                duplicates.get(), gaps, wrongPartition.get(), badPayloads.get(),
                drained && duplicates.get() == 0 && wrongPartition.get() == 0 ? "every offset exactly once"
                        : "PROBLEM");
        if (firstError.get() != null) {
            System.out.println("    first error: " + firstError.get());
        }
    }

    // ---- (c) insert -> consumed latency, long poll ----

    private void latency() throws IOException {
        if (!drained) {
            System.out.println("  insert -> consumed latency: skipped (the drain did not end on every inserted row)");
            results.put("topics.e2e.status", "skipped: drain incomplete");
            return;
        }
        double rate = settings.decimal("e2e-rate");
        double seconds = settings.decimal("e2e-seconds");
        int writers = Math.min(settings.integer("e2e-writers"), users.size());
        int total = (int) Math.round(rate * seconds);
        if (total <= 0 || writers <= 0) {
            return;
        }
        String group = "bench-e2e-" + System.currentTimeMillis();
        long[] sent = new long[total];
        long[] received = new long[total];
        boolean[] inserted = new boolean[total];
        AtomicLong got = new AtomicLong();
        AtomicLong unknown = new AtomicLong();
        AtomicLong dup = new AtomicLong();
        AtomicLong polls = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicLong insertedOk = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        long begin = System.nanoTime() + 300_000_000L; // the consumers' first long polls are in flight by then
        long writeEnd = begin + (long) (seconds * 1e9);
        long deadline = writeEnd + 15_000_000_000L;
        List<Thread> consumerThreads = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            int part = p;
            consumerThreads.add(Thread.ofPlatform().name("bench-e2e-consumer-" + p).start(() -> {
                try (Transport.Channel channel = transport.open()) {
                    while (System.nanoTime() < deadline && (writing.get() || got.get() < insertedOk.get())) {
                        String body = "{\"topic_id\":\"" + topic + "\",\"group_id\":\"" + group
                                + "\",\"partition_id\":" + part + ",\"start\":{\"Offset\":" + ends[part]
                                + "},\"limit\":100,\"timeout_seconds\":5}";
                        Transport.Response r = channel.post(CONSUME_PATH, workerToken, body);
                        long now = System.nanoTime();
                        polls.incrementAndGet();
                        if (r.status() != 200) {
                            firstError.compareAndSet(null, "consume " + body + " -> " + InsertBench.errorText(r));
                            Thread.sleep(10);
                            continue;
                        }
                        Batch batch = Batch.scanAll(r.body());
                        if (batch.size() == 0) {
                            continue;
                        }
                        long last = -1;
                        for (int i = 0; i < batch.size(); i++) {
                            last = Math.max(last, batch.offsets[i]);
                            int k = tagOf(batch.payloads.get(i));
                            if (k < 0 || k >= total) {
                                unknown.incrementAndGet();
                                continue;
                            }
                            synchronized (received) {
                                if (received[k] != 0) {
                                    dup.incrementAndGet();
                                    continue;
                                }
                                received[k] = now;
                            }
                            got.incrementAndGet();
                        }
                        String ack = "{\"topic_id\":\"" + topic + "\",\"group_id\":\"" + group
                                + "\",\"partition_id\":" + part + ",\"upto_offset\":" + last + "}";
                        Transport.Response ar = channel.post(ACK_PATH, workerToken, ack);
                        if (ar.status() != 200) {
                            firstError.compareAndSet(null, "ack " + ack + " -> " + InsertBench.errorText(ar));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    firstError.compareAndSet(null, "e2e consumer " + part + ": " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        List<KalamClient> open = open(writers);
        AtomicLong insertErrors = new AtomicLong();
        List<Thread> writerThreads = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                int me = w;
                writerThreads.add(Thread.ofPlatform().name("bench-e2e-writer-" + w).start(() -> {
                    for (int k = me; k < total; k += writers) {
                        long due = begin + (long) (k / rate * 1e9);
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                        if (System.nanoTime() > writeEnd + 5_000_000_000L) {
                            firstError.compareAndSet(null, "writers fell more than 5 s behind the fixed rate");
                            return;
                        }
                        String body = messages.insertOneBody("t" + (k % 50), messages.content(E2E_TAG + k));
                        sent[k] = System.nanoTime();
                        try {
                            Transport.Response r = open.get(me).post(body);
                            if (KalamClient.isSuccess(r)) {
                                inserted[k] = true;
                                insertedOk.incrementAndGet();
                            } else {
                                insertErrors.incrementAndGet();
                                firstError.compareAndSet(null, "insert: " + InsertBench.errorText(r));
                            }
                        } catch (IOException e) {
                            insertErrors.incrementAndGet();
                            firstError.compareAndSet(null, "insert: " + e.getMessage());
                        }
                    }
                }));
            }
            join(writerThreads, deadline);
            long writersDone = System.nanoTime();
            writing.set(false);
            join(consumerThreads, deadline + 10_000_000_000L);
            long ok = 0;
            Latencies lat = new Latencies();
            for (int k = 0; k < total; k++) {
                if (inserted[k]) {
                    ok++;
                }
                if (received[k] != 0 && sent[k] != 0) {
                    lat.record(received[k] - sent[k]);
                }
            }
            Latencies.Sorted sorted = Latencies.merge(List.of(lat));
            double achieved = ok / Math.max(1e-9, (writersDone - begin) / 1e9);
            String key = "topics.e2e";
            results.put(key + ".rate", rate);
            results.put(key + ".achieved_rate", achieved);
            results.put(key + ".writers", writers);
            results.put(key + ".inserted", ok);
            results.put(key + ".received", got.get());
            results.put(key + ".duplicates", dup.get());
            results.put(key + ".unknown", unknown.get());
            results.put(key + ".p50_ms", sorted.percentileMs(50));
            results.put(key + ".p99_ms", sorted.percentileMs(99));
            results.put(key + ".max_ms", sorted.maxMs());
            results.put(key + ".polls", polls.get());
            if (firstError.get() != null) {
                results.put(key + ".first_error", firstError.get());
            }
            System.out.printf(Locale.ROOT, "  topic insert -> consumed (%d long-polling consumers, one per partition,"
                            + " timeout_seconds 5; %d writers at %.0f inserts/s for %.0f s, achieved %.0f/s): %s%n",
                    PARTITIONS, writers, rate, seconds, achieved, Results.latencyLine(sorted));
            System.out.printf(Locale.ROOT, "    %,d inserted, %,d received (%d duplicates, %d untagged) in %,d "
                            + "consume requests%s%n", ok, got.get(), dup.get(), unknown.get(), polls.get(),
                    firstError.get() == null ? "" : "; first error: " + firstError.get());
        } finally {
            open.forEach(KalamClient::close);
        }
    }

    /** The number after "e2e-" in a payload's content, or -1. */
    private static int tagOf(byte[] payload) {
        String json = new String(payload, StandardCharsets.UTF_8);
        int at = json.indexOf("\"content\":\"" + E2E_TAG);
        if (at < 0) {
            return -1;
        }
        int from = at + 11 + E2E_TAG.length();
        int to = from;
        while (to < json.length() && Character.isDigit(json.charAt(to))) {
            to++;
        }
        return to == from ? -1 : Integer.parseInt(json.substring(from, to));
    }

    /**
     * The messages of one consume answer, read by scanning rather than parsing (the drain must not measure the
     * client's JSON parser): each message has exactly one "partition_id", "offset" and "payload".
     */
    static final class Batch {
        long[] offsets = new long[0];
        int[] partitions = new int[0];
        List<byte[]> payloads = new ArrayList<>();
        byte[] samplePayload;

        int size() {
            return offsets.length;
        }

        /** Offsets and partitions; with {@code sample}, also the first payload, decoded. */
        static Batch scan(String body, boolean sample) {
            Batch b = new Batch();
            b.offsets = numbers(body, "\"offset\":");
            long[] parts = numbers(body, "\"partition_id\":");
            if (parts.length != b.offsets.length) {
                throw new IllegalStateException("consume answer with " + b.offsets.length + " offsets but "
                        + parts.length + " partition ids: " + KalamClient.abbreviate(body, 300));
            }
            b.partitions = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                b.partitions[i] = (int) parts[i];
            }
            if (sample && b.offsets.length > 0) {
                List<byte[]> p = payloads(body, 1);
                b.samplePayload = p.isEmpty() ? null : p.get(0);
            }
            return b;
        }

        /** Offsets, partitions and every payload, decoded. */
        static Batch scanAll(String body) {
            Batch b = scan(body, false);
            b.payloads = payloads(body, Integer.MAX_VALUE);
            if (b.payloads.size() != b.offsets.length) {
                throw new IllegalStateException("consume answer with " + b.offsets.length + " offsets but "
                        + b.payloads.size() + " payloads");
            }
            return b;
        }

        private static long[] numbers(String body, String key) {
            long[] out = new long[16];
            int n = 0;
            for (int at = body.indexOf(key); at >= 0; at = body.indexOf(key, at + 1)) {
                int from = at + key.length();
                while (from < body.length() && body.charAt(from) == ' ') {
                    from++;
                }
                int to = from;
                while (to < body.length() && (Character.isDigit(body.charAt(to)) || body.charAt(to) == '-')) {
                    to++;
                }
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, n * 2);
                }
                out[n++] = Long.parseLong(body.substring(from, to));
            }
            return java.util.Arrays.copyOf(out, n);
        }

        private static List<byte[]> payloads(String body, int max) {
            List<byte[]> out = new ArrayList<>();
            String key = "\"payload\":\"";
            for (int at = body.indexOf(key); at >= 0 && out.size() < max; at = body.indexOf(key, at + 1)) {
                int from = at + key.length();
                int to = body.indexOf('"', from);
                out.add(Base64.getDecoder().decode(body.substring(from, to)));
            }
            return out;
        }
    }

    private List<KalamClient> open(int clients) throws IOException {
        List<KalamClient> open = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            open.add(new KalamClient(transport.open(), tokens.get(users.get(c))));
        }
        return open;
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }

    private static void join(List<Thread> threads, long deadlineNanos) {
        for (Thread t : threads) {
            long left = Math.max(1, deadlineNanos + 5_000_000_000L - System.nanoTime());
            try {
                if (!t.join(java.time.Duration.ofNanos(left))) {
                    t.interrupt();
                    t.join(java.time.Duration.ofSeconds(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
