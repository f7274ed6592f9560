package io.kalamdb.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load generator of {@code make bench}: {@code run} measures one running server over HTTP and appends its
 * figures to a results file; {@code summary} prints the table of every figure against its anchor and target.
 */
public final class BenchMain {

    private BenchMain() {
    }

    @SuppressForbidden // the entry point ends the JVM with the run's status
    public static void main(String[] args) {
        int status;
        try {
            status = dispatch(Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            System.err.println("kalam-bench: " + e.getMessage());
            status = 2;
        } catch (IOException | RuntimeException e) {
            System.err.println("kalam-bench: FAILED: " + e.getMessage());
            e.printStackTrace(System.err);
            status = 1;
        }
        System.out.flush();
        System.exit(status); // also ends any client thread stuck past its deadline
    }

    private static int dispatch(List<String> args) throws IOException {
        if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
            System.out.println("usage: BenchMain run --url URL --root-password P --results FILE [options]\n"
                    + "       BenchMain summary --results FILE\n"
                    + "       BenchMain redis --redis-port PORT --results FILE (drains a stream filled by XADD)\n"
                    + "options:\n" + Settings.help());
            return args.isEmpty() ? 2 : 0;
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.get(0)) {
            case "run" -> run(Settings.parse(rest));
            case "summary" -> Summary.print(Path.of(Settings.parse(rest).require("results")));
            case "redis" -> RedisBench.run(Settings.parse(rest));
            default -> throw new IllegalArgumentException("unknown command '" + args.get(0)
                    + "' (run, summary or redis)");
        };
    }

    private static int run(Settings settings) throws IOException {
        URI base = URI.create(settings.require("url"));
        if (!InetAddress.getByName(base.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("the load generator only talks to loopback, not " + base.getHost());
        }
        Results results = new Results(Path.of(settings.require("results")), settings.get("mode"));
        System.out.printf(Locale.ROOT, "kalam-bench: mode %s against %s%n  JDK %s (%s), %d cores visible to the JVM%n"
                        + "  transport %s%n",
                settings.get("mode"), base, Runtime.version(), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), settings.get("transport"));
        System.out.print(settings.describe());
        results.put("client.jdk", Runtime.version().toString());
        results.put("client.cores", Runtime.getRuntime().availableProcessors());
        results.put("client.transport", settings.get("transport"));
        results.put("client.duration_s", settings.get("duration-s"));
        results.put("client.warmup_s", settings.get("warmup-s"));

        boolean failed = false;
        try (Transport transport = Transport.create(settings.get("transport"), base,
                settings.integer("request-timeout-s"))) {
            Setup setup = new Setup(transport);
            System.out.println("setup:");
            List<String> insertUsers = new ArrayList<>();
            for (int i = 1; i <= InsertBench.usersNeeded(settings); i++) {
                insertUsers.add("bench" + i);
            }
            List<String> historyUsers = new ArrayList<>();
            boolean history = settings.hasPhase("history");
            if (history) {
                historyUsers.add(HistoryBench.TARGET_USER);
                historyUsers.addAll(HistoryBench.otherUsers(settings));
            }
            List<String> all = new ArrayList<>(insertUsers);
            all.addAll(historyUsers);
            Map<String, String> tokens;
            try (KalamClient root = setup.root(settings.require("root-password"))) {
                setup.schema(root);
                setup.createUsers(root, all);
            }
            tokens = setup.login(all, settings.integer("load-deadline-s"));

            boolean inserts = settings.hasPhase("insert") || settings.hasPhase("batch");
            if (inserts) {
                System.out.println("writes (" + settings.get("warmup-s") + " s warm-up, " + settings.get("duration-s")
                        + " s measured per run; content " + settings.get("content-bytes") + " bytes):");
                InsertBench bench = new InsertBench(settings, transport, results, insertUsers, tokens);
                bench.countBefore();
                if (settings.hasPhase("insert")) {
                    bench.singleRow();
                }
                if (settings.hasPhase("batch")) {
                    bench.batched();
                }
                bench.verify();
            }
            if (history) {
                System.out.println("history (last 20 messages of a thread):");
                new HistoryBench(settings, transport, results, tokens, historyUsers.subList(1, historyUsers.size()))
                        .run();
            }
            if (settings.hasPhase("topics")) {
                System.out.println("topics (" + TopicBench.TOPIC + " fed by INSERTs into chat.messages, consumed "
                        + "over HTTP by '" + TopicBench.WORKER + "', role service):");
                failed |= !phase(results, "topics", () -> new TopicBench(settings, transport, results, insertUsers,
                        tokens, settings.require("root-password")).run());
            }
            if (settings.hasPhase("live")) {
                System.out.println("live queries (WebSocket /v1/ws?compress=false):");
                failed |= !phase(results, "live",
                        () -> new LiveBench(settings, transport, results, base, settings.require("root-password"))
                                .run());
            }
        }
        results.put("completed", !failed);
        return failed ? 1 : 0;
    }

    private interface Phase {
        void run() throws IOException;
    }

    /**
     * Runs one of the later phases (topics, live): a failure is printed and recorded as PHASE.failed, and the
     * next phase still runs; the tool then exits non-zero.
     */
    private static boolean phase(Results results, String name, Phase phase) {
        try {
            phase.run();
            return true;
        } catch (IOException | RuntimeException e) {
            System.out.println("  " + name + " FAILED: " + e);
            e.printStackTrace(System.out);
            results.put(name + ".failed", e.getMessage());
            return false;
        }
    }
}
