package io.kalamdb.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Redis Streams peer of the topic drain, measured in the same run (BENCHMARKS.md: XREADGROUP COUNT 100):
 * a stream filled by {@code redis-benchmark XADD} (run-bench.sh) is drained by one consumer group with as many
 * consumers as the KalamDB drain, each doing {@code XREADGROUP … COUNT 100 STREAMS key >} then {@code XACK} of the
 * entries it got, over a plain RESP socket (the same request-then-ack round trips as the HTTP consumers).
 */
final class RedisBench {

    private static final String GROUP = "bench";

    private RedisBench() {
    }

    static int run(Settings settings) throws IOException {
        int port = Integer.parseInt(settings.require("redis-port"));
        String stream = settings.get("redis-stream");
        int consumers = settings.integer("topic-consumers");
        int count = settings.integer("topic-limit");
        long deadline = System.nanoTime() + settings.integer("topic-consume-deadline-s") * 1_000_000_000L;
        Results results = new Results(Path.of(settings.require("results")), "redis");
        long length;
        try (Resp admin = new Resp(port)) {
            String info = (String) admin.call("INFO", "server");
            String version = info.lines().filter(l -> l.startsWith("redis_version:")).map(l -> l.substring(14))
                    .findFirst().orElse("?");
            results.put("version", version.strip());
            length = (Long) admin.call("XLEN", stream);
            // warm the client up (JIT) on another group over a part of the stream, then measure a fresh group
            admin.call("XGROUP", "CREATE", stream, "warmup", "0");
            for (long read = 0; read < Math.min(length, 30_000); ) {
                List<String> ids = ids(admin.call("XREADGROUP", "GROUP", "warmup", "w", "COUNT",
                        Integer.toString(count), "STREAMS", stream, ">"));
                if (ids.isEmpty()) {
                    break;
                }
                List<String> ack = new ArrayList<>(List.of("XACK", stream, "warmup"));
                ack.addAll(ids);
                admin.call(ack.toArray(String[]::new));
                read += ids.size();
            }
            admin.call("XGROUP", "DESTROY", stream, "warmup");
            admin.call("XGROUP", "CREATE", stream, GROUP, "0");
        }
        System.out.printf(Locale.ROOT, "redis: XREADGROUP drain of %,d entries of '%s', 1 group, %d consumers, COUNT %d,"
                        + " XACK after each read (JDK %s; client warmed up on up to 30,000 entries of another group)%n",
                length, stream, consumers, count, Runtime.version());
        Set<String> seen = new HashSet<>();
        AtomicLong consumed = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastEnd = new AtomicLong(Long.MIN_VALUE);
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Latencies> lats = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            String name = "c" + c;
            Latencies lat = new Latencies();
            lats.add(lat);
            threads.add(Thread.ofPlatform().name("redis-consumer-" + c).start(() -> {
                try (Resp r = new Resp(port)) {
                    while (System.nanoTime() < deadline) {
                        long s = System.nanoTime();
                        Object reply = r.call("XREADGROUP", "GROUP", GROUP, name, "COUNT", Integer.toString(count),
                                "STREAMS", stream, ">");
                        long e = System.nanoTime();
                        List<String> ids = ids(reply);
                        if (ids.isEmpty()) {
                            return; // nothing is written meanwhile: empty means drained
                        }
                        lat.record(e - s);
                        firstStart.accumulateAndGet(s, Math::min);
                        synchronized (seen) {
                            for (String id : ids) {
                                if (!seen.add(id)) {
                                    duplicates.incrementAndGet();
                                }
                            }
                        }
                        List<String> ack = new ArrayList<>(ids.size() + 3);
                        ack.add("XACK");
                        ack.add(stream);
                        ack.add(GROUP);
                        ack.addAll(ids);
                        Object acked = r.call(ack.toArray(String[]::new));
                        if (!(acked instanceof Long n) || n != ids.size()) {
                            firstError.compareAndSet(null, "XACK of " + ids.size() + " answered " + acked);
                        }
                        consumed.addAndGet(ids.size());
                        lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
                    }
                    firstError.compareAndSet(null, "consumer " + name + " stopped at the deadline");
                } catch (IOException | RuntimeException e) {
                    firstError.compareAndSet(null, "consumer " + name + ": " + e);
                }
            }));
        }
        for (Thread t : threads) {
            try {
                if (!t.join(java.time.Duration.ofNanos(Math.max(1, deadline + 5_000_000_000L - System.nanoTime())))) {
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        double seconds = Math.max(1e-9, (lastEnd.get() - firstStart.get()) / 1e9);
        double rate = consumed.get() / seconds;
        Latencies.Sorted sorted = Latencies.merge(lats);
        results.put("xreadgroup.per_s", rate);
        results.put("xreadgroup.entries", consumed.get());
        results.put("xreadgroup.expected", length);
        results.put("xreadgroup.duplicates", duplicates.get());
        results.put("xreadgroup.consumers", consumers);
        results.put("xreadgroup.count", count);
        results.put("xreadgroup.request_p50_ms", sorted.percentileMs(50));
        results.put("xreadgroup.request_p99_ms", sorted.percentileMs(99));
        if (firstError.get() != null) {
            results.put("xreadgroup.first_error", firstError.get());
        }
        System.out.printf(Locale.ROOT, "  Redis XREADGROUP COUNT %d + XACK, %d consumers: %s entries/s, %,d of %,d "
                        + "entries in %.2f s, %d duplicates; XREADGROUP %s%s%n", count, consumers, Results.fmtRate(rate),
                consumed.get(), length, seconds, duplicates.get(), Results.latencyLine(sorted),
                firstError.get() == null ? "" : "; first error: " + firstError.get());
        return consumed.get() == length && duplicates.get() == 0 ? 0 : 1;
    }

    /** The entry ids of an XREADGROUP reply: [[key, [[id, [field, value, …]], …]]], or nil when none. */
    private static List<String> ids(Object reply) {
        List<String> ids = new ArrayList<>();
        if (!(reply instanceof List<?> streams)) {
            return ids;
        }
        for (Object s : streams) {
            List<?> keyAndEntries = (List<?>) s;
            for (Object entry : (List<?>) keyAndEntries.get(1)) {
                ids.add((String) ((List<?>) entry).get(0));
            }
        }
        return ids;
    }

    /** A minimal RESP2 client over one blocking socket. */
    static final class Resp implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Resp(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        }

        /** Sends one command; returns String, Long, List or null; a Redis error is thrown. */
        Object call(String... args) throws IOException {
            StringBuilder head = new StringBuilder().append('*').append(args.length).append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                out.write(('$' + Integer.toString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(b);
                out.write('\r');
                out.write('\n');
            }
            out.flush();
            return read();
        }

        private Object read() throws IOException {
            int type = in.read();
            String line = line();
            switch (type) {
                case '+':
                    return line;
                case '-':
                    throw new IOException("Redis error: " + line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    byte[] b = in.readNBytes(n + 2);
                    if (b.length != n + 2) {
                        throw new EOFException("short bulk string");
                    }
                    return new String(b, 0, n, StandardCharsets.UTF_8);
                }
                case '*': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    List<Object> items = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        items.add(read());
                    }
                    return items;
                }
                case -1:
                    throw new EOFException("connection closed by Redis");
                default:
                    throw new IOException("unexpected RESP type " + (char) type);
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\r'; c = in.read()) {
                if (c < 0) {
                    throw new EOFException("connection closed by Redis");
                }
                b.append((char) c);
            }
            in.read(); // '\n'
            return b.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
