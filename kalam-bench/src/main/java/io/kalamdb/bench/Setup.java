package io.kalamdb.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Creates the schema and the users as root, and logs every user in once. */
final class Setup {

    static final String PASSWORD = "BenchPass123!";
    static final String CREATE_NAMESPACE = "CREATE NAMESPACE chat";
    static final String CREATE_TABLE = "CREATE TABLE chat.messages (id BIGINT DEFAULT SNOWFLAKE_ID(), thread_id TEXT, "
            + "role TEXT, content TEXT, created_at TIMESTAMP) WITH (TYPE='USER')";
    private static final int USERS_PER_REQUEST = 100;
    private static final int LOGIN_THREADS = 4;

    private final Transport transport;

    Setup(Transport transport) {
        this.transport = transport;
    }

    KalamClient root(String password) throws IOException {
        return new KalamClient(transport.open()).login("root", password);
    }

    /** Creates the namespace and the table; existing ones (a second run against one server) are kept. */
    void schema(KalamClient root) throws IOException {
        for (String ddl : List.of(CREATE_NAMESPACE, CREATE_TABLE)) {
            System.out.println("  " + ddl + (createOrKeep(root, ddl) ? "" : "  (exists: kept)"));
        }
    }

    /** Runs DDL; false when the object already exists. */
    private static boolean createOrKeep(KalamClient root, String ddl) throws IOException {
        try {
            root.sql(ddl);
            return true;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("already exists")) {
                return false;
            }
            throw e;
        }
    }

    /** CREATE USER for every name, {@value #USERS_PER_REQUEST} statements per request. */
    void createUsers(KalamClient root, List<String> names) throws IOException {
        long start = System.nanoTime();
        for (int from = 0; from < names.size(); from += USERS_PER_REQUEST) {
            StringBuilder batch = new StringBuilder();
            for (String name : names.subList(from, Math.min(names.size(), from + USERS_PER_REQUEST))) {
                batch.append("CREATE USER '").append(name).append("' WITH PASSWORD '").append(PASSWORD)
                        .append("' ROLE user;\n");
            }
            try {
                root.sql(batch.toString());
            } catch (IOException e) {
                if (e.getMessage() == null || !e.getMessage().contains("already exists")) {
                    throw e;
                }
                // a second run against one server: create the missing ones one by one
                for (String name : names.subList(from, Math.min(names.size(), from + USERS_PER_REQUEST))) {
                    createOrKeep(root, "CREATE USER '" + name + "' WITH PASSWORD '" + PASSWORD + "' ROLE user");
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "  created %d users in %.2f s (%d CREATE USER statements per request)%n",
                names.size(), seconds, USERS_PER_REQUEST);
    }

    /** Logs every user in once (a few threads); returns name to access token in the order of {@code names}. */
    Map<String, String> login(List<String> names, long deadlineSeconds) throws IOException {
        long start = System.nanoTime();
        Map<String, String> tokens = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        Runner.Outcome outcome = Runner.counted(LOGIN_THREADS, 0, (names.size() + LOGIN_THREADS - 1) / LOGIN_THREADS,
                deadlineSeconds, (client, seq, sample) -> {
                    int i = next.getAndIncrement();
                    if (i >= names.size()) {
                        return null;
                    }
                    String name = names.get(i);
                    try (KalamClient c = new KalamClient(transport.open())) {
                        tokens.put(name, loginWithRetry(c, name));
                    } catch (IOException e) {
                        synchronized (failures) {
                            failures.add(e.getMessage());
                        }
                        return e.getMessage();
                    }
                    return null;
                });
        if (tokens.size() != names.size()) {
            throw new IOException("only " + tokens.size() + " of " + names.size() + " logins succeeded; first error: "
                    + (failures.isEmpty() ? outcome.firstError() : failures.get(0)));
        }
        System.out.printf(Locale.ROOT, "  logged in %d users in %.2f s (login %s)%n", names.size(),
                (System.nanoTime() - start) / 1e9, Results.latencyLine(outcome.latencies()));
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String name : names) {
            ordered.put(name, tokens.get(name));
        }
        return ordered;
    }

    /** A 429 from the per-IP login limit is waited out (bounded); anything else fails. */
    private static String loginWithRetry(KalamClient client, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return client.login(name, PASSWORD).token();
            } catch (IOException e) {
                if (attempt >= 50 || e.getMessage() == null || !e.getMessage().contains("HTTP 429")) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
