package io.kalamdb.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live queries over WebSocket (reference §3), {@code /v1/ws?compress=false}, in-band JWT authentication:
 * <ol>
 * <li>insert → change notification latency with 1 subscriber of a thread of the writer's own table;</li>
 * <li>the same with {@code fanout} (1,000) subscribers of that thread (one connection each, same user): the
 *     time until all of them got the insert; the same fan-out through a trivial JDK WebSocket broadcast server in
 *     this process is the peer (same client, same run);</li>
 * <li>{@code live-users} (10,000) users, one connection each: server heap per idle authenticated connection
 *     (jcmd GC.run, GC.heap_info before and after), the subscribe rate, the heap per subscription, then the
 *     insert → notification latency of one of those users while the others stay subscribed (and get nothing).</li>
 * </ol>
 */
final class LiveBench {
    private static final Pattern NON_DIGITS = Pattern.compile("\\D");
    private static final Pattern LINE_BREAK = Pattern.compile("\\s*\n\\s*");

    static final String SUBSCRIBE_SQL = "SELECT * FROM chat.messages WHERE thread_id = 't1'";
    static final String FANOUT_USER = "live1";
    static final String WS_PATH = "/v1/ws?compress=false";
    /** Most seconds one latency run (its inserts or messages, one at a time) may take. */
    static final int RUN_LIMIT_S = 90;

    private final Settings settings;
    private final Transport transport;
    private final Results results;
    private final URI base;
    private final String rootPassword;
    private final Messages messages;
    private final int timeoutS;

    /** Per-connection state, set by the selector thread. */
    private static final class State {
        final String token;
        volatile boolean authed;
        volatile boolean acked;
        volatile boolean ready;
        volatile String error;
        final AtomicInteger changes = new AtomicInteger();

        State(String token) {
            this.token = token;
        }
    }

    /** Where the changes of the current run go: tag number → arrival. */
    private static final class Sink {
        final String prefix;
        final AtomicIntegerArray count;
        final AtomicLongArray first;
        final AtomicLongArray last;
        final Latencies deliveries = new Latencies(); // guarded by itself
        final AtomicLongArray sent;
        final AtomicLong untagged = new AtomicLong();
        /** Inserts (messages) actually sent: a run stops early at its time limit. */
        volatile int done;

        Sink(String prefix, int n) {
            this.prefix = prefix;
            this.count = new AtomicIntegerArray(n);
            this.first = new AtomicLongArray(n);
            this.last = new AtomicLongArray(n);
            this.sent = new AtomicLongArray(n);
        }
    }

    private final AtomicInteger authOk = new AtomicInteger();
    private final AtomicInteger authFailed = new AtomicInteger();
    private final AtomicInteger acks = new AtomicInteger();
    private final AtomicInteger readies = new AtomicInteger();
    private final AtomicInteger subscribeErrors = new AtomicInteger();
    private final AtomicInteger closedEarly = new AtomicInteger();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final List<String> closeReasons = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Sink sink;

    LiveBench(Settings settings, Transport transport, Results results, URI base, String rootPassword) {
        this.settings = settings;
        this.transport = transport;
        this.results = results;
        this.base = base;
        this.rootPassword = rootPassword;
        this.messages = new Messages(settings.integer("content-bytes"));
        this.timeoutS = settings.integer("ws-timeout-s");
    }

    private final WsClient.Listener listener = new WsClient.Listener() {
        @Override
        public void onMessage(WsClient.Conn conn, String text, long nanos) {
            State st = (State) conn.attachment;
            if (text.contains("\"type\":\"change\"")) {
                st.changes.incrementAndGet();
                Sink s = sink;
                if (s != null) {
                    int k = tag(text, s.prefix);
                    if (k < 0 || k >= s.sent.length()) {
                        s.untagged.incrementAndGet();
                        return;
                    }
                    s.count.incrementAndGet(k);
                    s.first.compareAndSet(k, 0, nanos);
                    s.last.accumulateAndGet(k, nanos, Math::max);
                    long sent = s.sent.get(k);
                    if (sent != 0) {
                        synchronized (s.deliveries) {
                            s.deliveries.record(nanos - sent);
                        }
                    }
                }
            } else if (text.contains("\"type\":\"auth_success\"")) {
                if (!st.authed) {
                    st.authed = true;
                    authOk.incrementAndGet();
                }
            } else if (text.contains("\"type\":\"auth_error\"")) {
                st.error = text;
                authFailed.incrementAndGet();
                firstError.compareAndSet(null, "auth: " + text);
            } else if (text.contains("\"type\":\"subscription_ack\"")) {
                if (!st.acked) {
                    st.acked = true;
                    acks.incrementAndGet();
                }
            } else if (text.contains("\"type\":\"initial_data_batch\"")) {
                if (!st.ready && (text.contains("\"has_more\":false") || text.contains("\"status\":\"ready\""))) {
                    st.ready = true;
                    readies.incrementAndGet();
                }
            } else if (text.contains("\"type\":\"error\"")) {
                st.error = text;
                subscribeErrors.incrementAndGet();
                firstError.compareAndSet(null, "error frame: " + text);
            }
        }

        @Override
        public void onClosed(WsClient.Conn conn, String why) {
            closedEarly.incrementAndGet();
            closeReasons.add(why);
        }
    };

    void run() throws IOException {
        List<String> users = new ArrayList<>();
        int liveUsers = settings.integer("live-users");
        for (int i = 1; i <= liveUsers; i++) {
            users.add("ws" + i);
        }
        Setup setup = new Setup(transport);
        String fanoutToken;
        try (KalamClient root = setup.root(rootPassword)) {
            setup.createUsers(root, List.of(FANOUT_USER));
        }
        fanoutToken = setup.login(List.of(FANOUT_USER), timeoutS).get(FANOUT_USER);
        try (WsClient ws = new WsClient(base.getHost(), base.getPort(), settings.integer("ws-handshakes"))) {
            ws.startPings(settings.decimal("ws-ping-s"));
            // does the endpoint answer at all?
            String problem = probe(ws, fanoutToken);
            if (problem != null) {
                System.out.println("  live: SKIPPED: " + problem);
                results.put("live.status", "skipped: " + problem);
                return;
            }
            try (KalamClient writer = new KalamClient(transport.open(), fanoutToken)) {
                part("one", () -> oneSubscriber(ws, writer, fanoutToken));
                part("fanout", () -> fanout(ws, writer, fanoutToken));
            }
        }
        if (settings.integer("broadcast-anchor") == 1) {
            part("broadcast", this::broadcastAnchor);
        }
        if (liveUsers > 0) {
            part("users", () -> {
                try (KalamClient root = setup.root(rootPassword)) {
                    setup.createUsers(root, users);
                }
                Map<String, String> tokens = setup.login(users, timeoutS * 10L);
                try (WsClient ws = new WsClient(base.getHost(), base.getPort(), settings.integer("ws-handshakes"))) {
                    ws.startPings(settings.decimal("ws-ping-s"));
                    manyUsers(ws, users, tokens);
                }
            });
        }
        results.put("live.status", failedParts.isEmpty() ? "ok" : "failed: " + String.join(", ", failedParts));
        if (!failedParts.isEmpty()) {
            throw new IOException("live: " + String.join(", ", failedParts) + " failed (see above)");
        }
    }

    private interface Part {
        void run() throws IOException;
    }

    private final List<String> failedParts = new ArrayList<>();

    /** Runs one part; a failure is printed and recorded, and the next parts still run. */
    private void part(String name, Part part) {
        try {
            part.run();
        } catch (IOException | RuntimeException e) {
            failedParts.add(name);
            System.out.println("  FAILED (" + name + "): " + e);
            results.put("live." + name + ".status", "failed: " + e.getMessage());
        }
    }

    // ---- connections ----

    /** Opens, authenticates and (optionally) subscribes {@code n} connections; returns them when all are done. */
    private List<WsClient.Conn> open(WsClient ws, List<String> tokens, boolean subscribe, String what)
            throws IOException {
        resetCounters();
        int n = tokens.size();
        long start = System.nanoTime();
        List<WsClient.Conn> conns = new ArrayList<>(n);
        long deadline = start + timeoutS * 1_000_000_000L;
        try {
            for (int i = 0; i < n; i++) {
                if (System.nanoTime() > deadline) {
                    ws.close(conns);
                    throw new IOException(String.format(Locale.ROOT, "%s: only %,d of %,d connections started within "
                            + "%d s (%d closed: %s)", what, i, n, timeoutS, closedEarly.get(),
                            WsClient.reasons(closeReasons)));
                }
                WsClient.Conn c = ws.connect(i, WS_PATH, listener);
                c.attachment = new State(tokens.get(i));
                c.opened.thenRun(() -> {
                    try {
                        ws.sendText(c, authMessage(((State) c.attachment).token));
                    } catch (IOException e) {
                        firstError.compareAndSet(null, "send authenticate: " + e.getMessage());
                    }
                });
                conns.add(c);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting");
        }
        boolean all = waitUntil(() -> authOk.get() + authFailed.get() + closedEarly.get() >= n,
                Math.max(1, (deadline - System.nanoTime()) / 1e9));
        double authSeconds = (System.nanoTime() - start) / 1e9;
        if (!all || authOk.get() < n) {
            ws.close(conns);
            throw new IOException(String.format(Locale.ROOT, "%s: only %d of %d connections authenticated (waited "
                            + "up to %d s; %d auth errors, %d closed: %s); first error: %s", what, authOk.get(), n, timeoutS,
                    authFailed.get(), closedEarly.get(), WsClient.reasons(closeReasons), firstError.get()));
        }
        System.out.printf(Locale.ROOT, "  %s: %,d connections opened and authenticated in %.2f s (%.0f/s)%n", what,
                n, authSeconds, n / authSeconds);
        if (subscribe) {
            subscribeAll(ws, conns, what);
        }
        return conns;
    }

    /** Subscribes every connection; returns the subscribe rate (subscriptions/s until every ack and batch). */
    private double subscribeAll(WsClient ws, List<WsClient.Conn> conns, String what) throws IOException {
        int n = conns.size();
        acks.set(0);
        readies.set(0);
        subscribeErrors.set(0);
        long start = System.nanoTime();
        String msg = subscribeMessage();
        for (WsClient.Conn c : conns) {
            ws.sendText(c, msg);
        }
        waitUntil(() -> acks.get() >= n || subscribeErrors.get() > 0 || closedEarly.get() > 0, timeoutS);
        double ackSeconds = (System.nanoTime() - start) / 1e9;
        boolean all = waitUntil(() -> (acks.get() >= n && readies.get() >= n) || subscribeErrors.get() > 0
                || closedEarly.get() > 0, timeoutS);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!all || acks.get() < n || subscribeErrors.get() > 0 || closedEarly.get() > 0) {
            throw new IOException(String.format(Locale.ROOT, "%s: %d of %d subscriptions acknowledged, %d initial "
                            + "batches, %d errors, %d closed (%s) after %.1f s; first error: %s", what, acks.get(), n,
                    readies.get(), subscribeErrors.get(), closedEarly.get(), WsClient.reasons(closeReasons), seconds,
                    firstError.get()));
        }
        double rate = n / seconds;
        System.out.printf(Locale.ROOT, "  %s: %,d subscriptions (`%s`, last_rows 1): all acknowledged after %.3f s, "
                        + "all initial batches after %.3f s: %s subscriptions/s%n", what, n, SUBSCRIBE_SQL, ackSeconds,
                seconds, Results.fmtRate(rate));
        return rate;
    }

    private String probe(WsClient ws, String token) {
        try {
            List<WsClient.Conn> one = open(ws, List.of(token), false, "probe");
            ws.close(one);
            return null;
        } catch (IOException | RuntimeException e) {
            Throwable cause = e;
            return "WebSocket " + WS_PATH + " did not work: " + cause.getMessage();
        }
    }

    // ---- (a) 1 subscriber, then the fan-out ----

    private void oneSubscriber(WsClient ws, KalamClient writer, String token) throws IOException {
        List<WsClient.Conn> conns = open(ws, List.of(token), true, "1 subscriber");
        try {
            int warm = 300; // the server's notification path is cold here (p50 ~3x higher over the first hundreds)
            int n = settings.integer("live-inserts");
            Sink s = measureInserts(writer, "la-", warm, n, 1, 2);
            Latencies.Sorted lat = latencies(s, warm, n);
            put("live.one", lat, s, warm, n, 1);
            System.out.printf(Locale.ROOT, "  insert -> notified, 1 subscriber (same user, thread t1; %d inserts, one "
                    + "at a time after %d warm-up): %s%s%n", n, warm, Results.latencyLine(lat), missing(s, warm, n, 1));
        } finally {
            ws.close(conns);
        }
    }

    private void fanout(WsClient ws, KalamClient writer, String token) throws IOException {
        int f = settings.integer("fanout");
        if (f <= 0) {
            return;
        }
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < f; i++) {
            tokens.add(token);
        }
        List<WsClient.Conn> conns = open(ws, tokens, true, f + " subscribers of one thread");
        try {
            int warm = 10;
            int n = settings.integer("fanout-inserts");
            Sink s = measureInserts(writer, "lf-", warm, n, f, 10);
            Latencies.Sorted all = latencies(s, warm, n);
            Latencies.Sorted each;
            synchronized (s.deliveries) {
                each = Latencies.merge(List.of(s.deliveries));
            }
            put("live.fanout", all, s, warm, n, f);
            results.put("live.fanout.subscribers", f);
            results.put("live.fanout.delivery_p50_ms", each.percentileMs(50));
            results.put("live.fanout.delivery_p99_ms", each.percentileMs(99));
            double perSecond = deliveriesPerSecond(s, warm, n);
            results.put("live.fanout.deliveries_per_s", perSecond);
            System.out.printf(Locale.ROOT, "  insert -> all %,d subscribers notified (%d inserts, one at a time): "
                            + "%s; each delivery p50 %s ms, p99 %s ms; %s deliveries/s while fanning out%s%n", f, n,
                    Results.latencyLine(all), Results.fmtMs(each.percentileMs(50)), Results.fmtMs(each.percentileMs(99)),
                    Results.fmtRate(perSecond), missing(s, warm, n, f));
        } finally {
            ws.close(conns);
        }
    }

    /**
     * {@code warm + n} inserts into thread t1, one at a time: each waits (bounded) until {@code expected}
     * notifications of it arrived, then a short pause.
     */
    private Sink measureInserts(KalamClient writer, String prefix, int warm, int n, int expected, int waitS)
            throws IOException {
        Sink s = new Sink(prefix, warm + n);
        sink = s;
        long deadline = System.nanoTime() + RUN_LIMIT_S * 1_000_000_000L;
        try {
            for (int k = 0; k < warm + n; k++) {
                if (System.nanoTime() > deadline) {
                    System.out.printf(Locale.ROOT, "  (stopped after %d of %d inserts: the run's limit of %d s)%n", k, warm + n,
                            RUN_LIMIT_S);
                    break;
                }
                s.done = k + 1;
                String body = messages.insertOneBody("t1", messages.content(prefix + k));
                int key = k;
                s.sent.set(k, System.nanoTime());
                Transport.Response r = writer.post(body);
                if (!KalamClient.isSuccess(r)) {
                    throw new IOException("insert failed: " + InsertBench.errorText(r));
                }
                waitUntil(() -> s.count.get(key) >= expected, waitS);
                LockSupport.parkNanos(2_000_000L);
            }
            waitUntil(() -> false, 0.2); // late arrivals
        } finally {
            sink = null;
        }
        return s;
    }

    private static Latencies.Sorted latencies(Sink s, int warm, int n) {
        Latencies l = new Latencies();
        for (int k = warm; k < Math.min(warm + n, s.done); k++) {
            if (s.last.get(k) != 0) {
                l.record(s.last.get(k) - s.sent.get(k));
            }
        }
        return Latencies.merge(List.of(l));
    }

    private static double deliveriesPerSecond(Sink s, int warm, int n) {
        double seconds = 0;
        long delivered = 0;
        for (int k = warm; k < Math.min(warm + n, s.done); k++) {
            if (s.first.get(k) != 0 && s.last.get(k) > s.first.get(k)) {
                seconds += (s.last.get(k) - s.first.get(k)) / 1e9;
                delivered += s.count.get(k);
            }
        }
        return seconds == 0 ? Double.NaN : delivered / seconds;
    }

    private static String missing(Sink s, int warm, int n, int expected) {
        long missing = 0;
        long extra = 0;
        for (int k = warm; k < Math.min(warm + n, s.done); k++) {
            int c = s.count.get(k);
            if (c < expected) {
                missing += expected - c;
            } else if (c > expected) {
                extra += c - expected;
            }
        }
        return (missing == 0 ? "" : "; MISSING " + missing + " notifications") + (extra == 0 ? ""
                : "; " + extra + " DUPLICATE notifications") + (s.untagged.get() == 0 ? ""
                : "; " + s.untagged.get() + " untagged changes");
    }

    private void put(String key, Latencies.Sorted lat, Sink s, int warm, int n, int expected) {
        results.put(key + ".p50_ms", lat.percentileMs(50));
        results.put(key + ".p99_ms", lat.percentileMs(99));
        results.put(key + ".max_ms", lat.maxMs());
        results.put(key + ".inserts", Math.max(0, Math.min(n, s.done - warm)));
        long missing = 0;
        for (int k = warm; k < Math.min(warm + n, s.done); k++) {
            missing += Math.max(0, expected - s.count.get(k));
        }
        results.put(key + ".missing", missing);
    }

    // ---- the anchor: a trivial broadcast to the same number of clients ----

    private void broadcastAnchor() throws IOException {
        int f = settings.integer("fanout");
        if (f <= 0) {
            return;
        }
        int warm = 10;
        int n = settings.integer("fanout-inserts");
        try (BroadcastServer server = new BroadcastServer();
             WsClient ws = new WsClient("127.0.0.1", server.port(), settings.integer("ws-handshakes"))) {
            List<WsClient.Conn> conns = new ArrayList<>();
            for (int i = 0; i <= f; i++) {
                WsClient.Conn c = ws.connect(i, "/", listener);
                c.attachment = new State(null);
                conns.add(c);
            }
            for (WsClient.Conn c : conns) {
                c.opened.get(timeoutS, TimeUnit.SECONDS);
            }
            WsClient.Conn publisher = conns.get(f);
            Sink s = new Sink("bc-", warm + n);
            sink = s;
            String filler = "x".repeat(200);
            long deadline = System.nanoTime() + RUN_LIMIT_S * 1_000_000_000L;
            for (int k = 0; k < warm + n && System.nanoTime() < deadline; k++) {
                s.done = k + 1;
                // a 200-byte message shaped like a change, so the client treats it exactly like one
                String head = "{\"type\":\"change\",\"content\":\"bc-" + k + " ";
                String msg = head + filler.substring(0, Math.max(0, 198 - head.length())) + "\"}";
                int key = k;
                s.sent.set(k, System.nanoTime());
                ws.sendText(publisher, msg);
                waitUntil(() -> s.count.get(key) >= f, 10);
                LockSupport.parkNanos(2_000_000L);
            }
            waitUntil(() -> false, 0.2);
            sink = null;
            Latencies.Sorted all = latencies(s, warm, n);
            put("live.broadcast", all, s, warm, n, f);
            double perSecond = deliveriesPerSecond(s, warm, n);
            results.put("live.broadcast.deliveries_per_s", perSecond);
            System.out.printf(Locale.ROOT, "  anchor: trivial JDK WebSocket broadcast (this process, virtual thread per "
                            + "connection), one 200 B message -> all %,d clients: %s; %s deliveries/s%s%n", f,
                    Results.latencyLine(all), Results.fmtRate(perSecond), missing(s, warm, n, f));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            System.out.println("  anchor: trivial broadcast failed: " + e);
            results.put("live.broadcast.status", "failed: " + e);
        } finally {
            sink = null;
        }
    }

    // ---- (b, c) many users: idle heap, subscribe rate, one writer among them ----

    private void manyUsers(WsClient ws, List<String> users, Map<String, String> tokens) throws IOException {
        int n = users.size();
        List<String> list = new ArrayList<>(n);
        for (String u : users) {
            list.add(tokens.get(u));
        }
        Heap heap = new Heap(settings);
        Map<String, long[]> histogramBefore = heap.histogram();
        long before = heap.used();
        long rssBefore = heap.rss();
        List<WsClient.Conn> conns = open(ws, list, false, n + " users");
        try {
            // stay idle past the server's idle time-out (10 s): only our pings keep them open
            waitUntil(() -> closedEarly.get() > 0, 12);
            long open = conns.stream().filter(WsClient.Conn::isOpen).count();
            System.out.printf(Locale.ROOT, "  after 12 s idle (WebSocket Ping every %s s): %,d of %,d open%s%n",
                    settings.get("ws-ping-s"), open, n, closedEarly.get() == 0 ? ""
                            : " (closed: " + WsClient.reasons(closeReasons) + ")");
            results.put("live.idle.connections", n);
            results.put("live.idle.open_after_12s", open);
            long idle = heap.used();
            long rssIdle = heap.rss();
            if (before > 0 && idle > 0) {
                double perConn = (idle - before) / (double) n;
                results.put("live.idle.heap_bytes_per_conn", perConn);
                results.put("live.idle.heap_before_bytes", before);
                results.put("live.idle.heap_after_bytes", idle);
                String rss = rssBefore > 0 && rssIdle > 0 ? String.format(Locale.ROOT, "; process RSS %+.1f KiB per "
                        + "connection", (rssIdle - rssBefore) / (double) n / 1024) : "";
                if (rssBefore > 0 && rssIdle > 0) {
                    results.put("live.idle.rss_bytes_per_conn", (rssIdle - rssBefore) / (double) n);
                }
                System.out.printf(Locale.ROOT, "  server heap after a full GC: %.1f MiB before, %.1f MiB with %,d idle "
                                + "authenticated connections: %.2f KiB per connection%s%n", before / 1048576.0,
                        idle / 1048576.0, n, perConn / 1024, rss);
                String top = Heap.growth(histogramBefore, heap.histogram(), n, 8);
                if (!top.isEmpty()) {
                    System.out.print("  where it goes (jcmd GC.class_histogram, growth per connection, largest first):\n"
                            + top);
                    results.put("live.idle.top_classes", LINE_BREAK.matcher(top.strip()).replaceAll("; "));
                }
            } else {
                System.out.println("  server heap per connection: not measured (" + heap.why() + ")");
                results.put("live.idle.heap_status", heap.why());
            }
            double rate = subscribeAll(ws, conns, n + " users");
            results.put("live.subscribe.per_s", rate);
            results.put("live.subscribe.count", n);
            long subscribed = heap.used();
            if (idle > 0 && subscribed > 0) {
                double perSub = (subscribed - idle) / (double) n;
                results.put("live.subscribe.heap_bytes_per_sub", perSub);
                System.out.printf(Locale.ROOT, "  server heap with %,d subscriptions: %.1f MiB: %.2f KiB per "
                        + "subscription%n", n, subscribed / 1048576.0, perSub / 1024);
            }
            // one of those users writes into its own thread t1: only its subscriber may hear of it
            String writerUser = users.get(0);
            for (WsClient.Conn c : conns) {
                ((State) c.attachment).changes.set(0);
            }
            try (KalamClient writer = new KalamClient(transport.open(), tokens.get(writerUser))) {
                int warm = 50;
                int k = settings.integer("live-user-inserts");
                Sink s = measureInserts(writer, "lu-", warm, k, 1, 2);
                Latencies.Sorted lat = latencies(s, warm, k);
                put("live.users", lat, s, warm, k, 1);
                results.put("live.users.subscribers", n);
                long leaked = 0;
                for (int i = 1; i < conns.size(); i++) {
                    leaked += ((State) conns.get(i).attachment).changes.get();
                }
                results.put("live.users.foreign_notifications", leaked);
                System.out.printf(Locale.ROOT, "  insert -> notified, 1 of %,d subscribed users writes (%d inserts): "
                                + "%s; notifications to the other %,d users: %d%s%n", n, k, Results.latencyLine(lat),
                        n - 1, leaked, missing(s, warm, k, 1));
            }
            long stillOpen = conns.stream().filter(WsClient.Conn::isOpen).count();
            results.put("live.users.open_at_end", stillOpen);
            if (stillOpen < n) {
                System.out.printf(Locale.ROOT, "  %,d of %,d connections closed by the server: %s%n", n - stillOpen, n,
                        WsClient.reasons(closeReasons));
            }
        } finally {
            long t = System.nanoTime();
            ws.close(conns);
            System.out.printf(Locale.ROOT, "  closed %,d connections in %.2f s%n", n, (System.nanoTime() - t) / 1e9);
        }
    }

    /** The server's heap after a full GC, through jcmd (the server's pid from run-bench.sh). */
    private static final class Heap {
        private final String pid;
        private final String jcmd;
        private String why = "";

        Heap(Settings settings) {
            this.pid = settings.get("server-pid");
            String j = settings.get("jcmd");
            this.jcmd = j.isEmpty() ? Path.of(System.getProperty("java.home"), "bin", "jcmd").toString() : j;
            if (pid.isEmpty()) {
                why = "no --server-pid";
            }
        }

        String why() {
            return why;
        }

        /** Used heap in bytes after two full GCs, or -1. */
        long used() {
            if (pid.isEmpty()) {
                return -1;
            }
            try {
                jcmd("GC.run");
                jcmd("GC.run");
                String info = jcmd("GC.heap_info");
                Matcher m = Pattern.compile("used (\\d+)([KMG])").matcher(info);
                if (!m.find()) {
                    why = "no 'used' in GC.heap_info: " + KalamClient.abbreviate(info, 200);
                    return -1;
                }
                long v = Long.parseLong(m.group(1));
                return v * switch (m.group(2)) {
                    case "K" -> 1024L;
                    case "M" -> 1024L * 1024;
                    default -> 1024L * 1024 * 1024;
                };
            } catch (IOException e) {
                why = "jcmd failed: " + e.getMessage();
                return -1;
            }
        }

        /** Live objects by class (jcmd GC.class_histogram, after a full GC): name → {instances, bytes}. */
        Map<String, long[]> histogram() {
            Map<String, long[]> out = new java.util.HashMap<>();
            if (pid.isEmpty()) {
                return out;
            }
            try {
                Pattern line = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
                for (String l : jcmd("GC.class_histogram").split("\n")) {
                    Matcher m = line.matcher(l);
                    if (m.find()) {
                        out.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
                    }
                }
            } catch (IOException e) {
                why = "jcmd failed: " + e.getMessage();
            }
            return out;
        }

        /** The classes that grew most between two histograms, per connection, one line each. */
        static String growth(Map<String, long[]> before, Map<String, long[]> after, int n, int top) {
            StringBuilder out = new StringBuilder();
            after.entrySet().stream()
                    .map(e -> {
                        long[] b = before.getOrDefault(e.getKey(), new long[2]);
                        return Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
                    })
                    .filter(e -> e.getValue()[1] > 0)
                    .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
                    .limit(top)
                    .forEach(e -> out.append(String.format(Locale.ROOT, "    %7.0f B %5.1f objects  %s%n",
                            e.getValue()[1] / (double) n, e.getValue()[0] / (double) n, e.getKey())));
            return out.toString();
        }

        /** Resident set size of the server process in bytes, or -1. */
        long rss() {
            if (pid.isEmpty()) {
                return -1;
            }
            try {
                for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(NON_DIGITS.matcher(line).replaceAll("")) * 1024;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
            return -1;
        }

        /**
         * Runs jcmd with its output in a file: read through a pipe only after it ends, a large answer (a class
         * histogram) would block jcmd, and with it the server, which prints the answer at a safepoint.
         */
        private String jcmd(String command) throws IOException {
            Path outFile = Files.createTempFile("kalam-bench-jcmd", ".txt");
            try {
                Process p = new ProcessBuilder(jcmd, pid, command).redirectErrorStream(true)
                        .redirectOutput(outFile.toFile()).start();
                try {
                    if (!p.waitFor(60, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        throw new IOException(command + " took more than 60 s");
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
                String out = Files.readString(outFile, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    throw new IOException(command + " exit " + p.exitValue() + ": " + KalamClient.abbreviate(out, 200));
                }
                return out;
            } finally {
                Files.deleteIfExists(outFile);
            }
        }
    }

    // ---- helpers ----

    private void resetCounters() {
        authOk.set(0);
        authFailed.set(0);
        acks.set(0);
        readies.set(0);
        subscribeErrors.set(0);
        closedEarly.set(0);
        closeReasons.clear();
    }

    private static String authMessage(String token) {
        StringBuilder b = new StringBuilder("{\"type\":\"authenticate\",\"method\":\"jwt\",\"token\":");
        Json.quote(b, token);
        return b.append(",\"protocol\":{\"serialization\":\"json\",\"compression\":\"none\"}}").toString();
    }

    private static String subscribeMessage() {
        StringBuilder b = new StringBuilder("{\"type\":\"subscribe\",\"subscription\":{\"id\":\"s1\",\"sql\":");
        Json.quote(b, SUBSCRIBE_SQL);
        return b.append(",\"options\":{\"last_rows\":1}}}").toString();
    }

    /** The number after {@code prefix} at the start of a content value, or -1. */
    static int tag(String text, String prefix) {
        String key = "\"content\":\"" + prefix;
        int at = text.indexOf(key);
        if (at < 0) {
            return -1;
        }
        int from = at + key.length();
        int to = from;
        while (to < text.length() && Character.isDigit(text.charAt(to))) {
            to++;
        }
        return to == from ? -1 : Integer.parseInt(text.substring(from, to));
    }

    /** Waits (parking briefly) until the condition holds or {@code seconds} passed; true if it holds. */
    private static boolean waitUntil(BooleanSupplier done, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            LockSupport.parkNanos(200_000L); // pacing only: arrival times are taken by the selector thread
        }
        return true;
    }
}
