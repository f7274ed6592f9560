package io.kalamdb.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The load generator's settings: {@code --name value} arguments over documented defaults. */
final class Settings {

    /** name, default, meaning; printed by --help and, with the values in effect, at the start of a run. */
    private static final String[][] KEYS = {
        {"url", "", "server base URL, e.g. http://127.0.0.1:8080 (loopback only)"},
        {"root-password", "", "root's password (KALAMDB_ROOT_PASSWORD of the server)"},
        {"mode", "durable", "label of the server's write mode, used in the results keys (durable or nosync)"},
        {"results", "", "properties file the figures are appended to (the summary reads it)"},
        {"transport", "socket", "socket = one blocking keep-alive socket per client (lean, like pgbench); "
            + "jdk = java.net.http.HttpClient (about 4x the client CPU per request)"},
        {"phases", "insert,batch,history,topics,live", "which parts to run (insert, batch, history, topics, live)"},
        {"warmup-s", "3", "warm-up seconds before each timed run (not recorded)"},
        {"duration-s", "10", "measured seconds of each timed run"},
        {"repeats", "3", "timed runs per write level after one warm-up; the medians are reported"},
        {"clients", "1,8,64", "concurrent clients of the single-row INSERT runs, each its own user"},
        {"batch-clients", "8", "concurrent clients of the batched INSERT run"},
        {"batch-rows", "50", "rows per batched INSERT statement"},
        {"content-bytes", "100", "size of the content column of each inserted message"},
        {"target-rows", "100000", "rows of the target user of the history read"},
        {"threads", "50", "threads (thread_id values) the target's rows are spread over"},
        {"other-users", "999", "other users that get rows before the history read"},
        {"other-rows", "100", "rows of each other user"},
        {"load-rows-per-statement", "500", "rows per multi-row INSERT when loading history"},
        {"load-clients", "4", "concurrent clients loading history"},
        {"reads", "2000", "measured sequential reads of the last 20 messages"},
        {"read-warmup", "200", "unrecorded sequential reads before them"},
        {"readers", "4", "concurrent readers of the second read run"},
        {"reads-per-reader", "500", "measured reads of each concurrent reader (after read-warmup / readers)"},
        {"growth", "1", "after the read runs, grow the target's and the others' history this many times and "
            + "read again (1 = skip)"},
        {"request-timeout-s", "30", "timeout of one HTTP request"},
        {"load-deadline-s", "1800", "most seconds a load or a read run may take"},
        {"seed", "42", "seed of the random thread choice of the read runs"},
        // topics: chat.bench_events fed by chat.messages ON INSERT, consumed over HTTP
        {"topic-warmup-s", "2", "topics: warm-up seconds of each produce run (counted as produced, not timed)"},
        {"topic-duration-s", "10", "topics: measured seconds of each produce run (route active)"},
        {"topic-clients", "64", "topics: clients of the single-row INSERT produce run (0 = skip that run)"},
        {"topic-consumers", "2", "topics: consumers of the one group that drains the topic"},
        {"topic-limit", "100", "topics: limit of each consume request"},
        {"topic-consume-deadline-s", "120", "topics: most seconds the drain may take"},
        {"e2e-rate", "500", "topics: inserts/s of the insert -> consumed latency run (fixed rate)"},
        {"e2e-seconds", "10", "topics: seconds of the insert -> consumed latency run"},
        {"e2e-writers", "4", "topics: writer threads sharing that fixed rate"},
        // live: WebSocket /v1/ws?compress=false
        {"live-inserts", "500", "live: measured inserts of the 1-subscriber latency run (after 300 warm-up)"},
        {"fanout", "1000", "live: subscribers of one user's thread (one connection each)"},
        {"fanout-inserts", "100", "live: measured inserts of the fan-out run (after 10 warm-up)"},
        {"live-users", "10000", "live: users with one connection and one subscription each (0 = skip)"},
        {"live-user-inserts", "200", "live: measured inserts of one of those users (after 50 warm-up)"},
        {"ws-ping-s", "4", "live: seconds between the client's WebSocket pings on every connection"},
        {"ws-handshakes", "256", "live: most WebSocket handshakes in flight at once"},
        {"ws-timeout-s", "60", "live: most seconds to open, authenticate or subscribe all connections"},
        {"broadcast-anchor", "1", "live: 1 = measure a trivial JDK WebSocket broadcast to the same fan-out in "
            + "the same run (the anchor of the fan-out target)"},
        {"server-pid", "", "live: the server's pid, to read its heap with jcmd (empty = heap not measured)"},
        {"jcmd", "", "live: the jcmd to use (default: the one of the JDK running this tool)"},
        // the Redis anchor (command redis)
        {"redis-port", "", "redis: port of a throwaway redis-server on 127.0.0.1"},
        {"redis-stream", "bench_events", "redis: the stream key the XREADGROUP drain reads (filled by XADD before)"},
    };

    private final Map<String, String> values = new LinkedHashMap<>();

    private Settings() {
        for (String[] key : KEYS) {
            values.put(key[0], key[1]);
        }
    }

    static Settings parse(List<String> args) {
        Settings settings = new Settings();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (try --help)");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            if (!settings.values.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (try --help)");
            }
            settings.values.put(name, value);
        }
        return settings;
    }

    static String help() {
        StringBuilder out = new StringBuilder();
        for (String[] key : KEYS) {
            out.append(String.format(Locale.ROOT, "  --%-24s %s (default: %s)%n", key[0], key[2],
                    key[1].isEmpty() ? "none" : key[1]));
        }
        return out.toString();
    }

    String get(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no setting " + name);
        }
        return v;
    }

    String require(String name) {
        String v = get(name);
        if (v.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    int integer(String name) {
        try {
            return Integer.parseInt(get(name).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, got '" + get(name) + "'", e);
        }
    }

    double decimal(String name) {
        try {
            return Double.parseDouble(get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + get(name) + "'", e);
        }
    }

    List<Integer> integers(String name) {
        List<Integer> out = new ArrayList<>();
        for (String part : get(name).split(",")) {
            if (!part.isBlank()) {
                out.add(Integer.parseInt(part.trim()));
            }
        }
        return out;
    }

    boolean hasPhase(String phase) {
        return List.of(get("phases").split(",")).contains(phase);
    }

    /** One line per setting, for the printed header of a run. */
    String describe() {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> {
            if (!k.equals("root-password")) {
                out.append("  ").append(k).append(" = ").append(v).append('\n');
            }
        });
        return out.toString();
    }
}
