package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.server.KalamServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #13 over HTTP against the real server: inside {@code BEGIN … COMMIT} a statement reads what the earlier
 * ones wrote, a failing transaction leaves nothing, and concurrent transactions that read their own writes neither
 * lose an increment nor break a conserved sum, with every acknowledged transfer applied exactly once.
 */
@Timeout(240)
class TransactionsIT {
    private static KalamServer server;
    private static ApiClient api;
    private static String root;
    private static ExecutorService pool;

    @BeforeAll
    static void start() throws Exception {
        // clients race on purpose: the per-user limits are off
        server = io.kalamdb.server.Futures.await(KalamServer.start(SqlApiIT.config(
                Files.createTempDirectory("kalam-tx"), Map.of("rate_limit.max_queries_per_sec", "0",
                        "rate_limit.max_statements_in_flight_per_user", "0"))));
        api = new ApiClient(server.baseUrl());
        root = api.login("root", SqlApiIT.ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE tx");
        pool = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        server.close();
    }

    /** The rows of every result that has rows, each row's values as text. */
    private static List<List<List<String>>> selects(ApiClient.Reply reply) {
        List<List<List<String>>> out = new ArrayList<>();
        JsonArray results = reply.json().getJsonArray("results");
        for (int i = 0; i < results.size(); i++) {
            JsonArray rows = results.getJsonObject(i).getJsonArray("rows");
            if (rows == null) {
                continue;
            }
            List<List<String>> values = new ArrayList<>();
            for (Object row : rows) {
                List<String> v = new ArrayList<>();
                if (row instanceof JsonArray a) {
                    a.forEach(x -> v.add(String.valueOf(x)));
                } else {
                    ((JsonObject) row).forEach(e -> v.add(String.valueOf(e.getValue())));
                }
                values.add(v);
            }
            out.add(values);
        }
        return out;
    }

    /** Runs the tasks at once and returns their replies in order. */
    private static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        return Race.all(pool, tasks, 200);
    }

    @Test
    void aTransactionReadsItsOwnWritesAndAFailureLeavesNothing() {
        api.ok(root, "CREATE TABLE tx.notes (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE='SHARED')");
        ApiClient.Reply r = api.ok(root, "BEGIN; INSERT INTO tx.notes (id, body) VALUES (1, 'draft'); "
                + "SELECT body FROM tx.notes WHERE id = 1; UPDATE tx.notes SET body = 'final' WHERE id = 1; "
                + "INSERT INTO tx.notes (id, body) VALUES (2, 'other'); DELETE FROM tx.notes WHERE id = 2; "
                + "SELECT id, body FROM tx.notes ORDER BY id; COMMIT");
        List<List<List<String>>> seen = selects(r);
        assertEquals(List.of(List.of("draft")), seen.get(0), r.body());
        assertEquals(List.of(List.of("1", "final")), seen.get(1), r.body());
        assertEquals(List.of(List.of("1", "final")),
                selects(api.ok(root, "SELECT id, body FROM tx.notes ORDER BY id")).get(0));

        ApiClient.Reply failed = api.sql(root, "BEGIN; UPDATE tx.notes SET body = 'lost' WHERE id = 1; "
                + "INSERT INTO tx.notes (id, body) VALUES (3, 'x'); INSERT INTO tx.notes (id, body) VALUES (3, 'y'); "
                + "COMMIT");
        assertEquals(400, failed.status(), failed.body());
        assertTrue(failed.errorMessage().contains("Primary key violation"), failed.body());
        assertEquals(List.of(List.of("1", "final")),
                selects(api.ok(root, "SELECT id, body FROM tx.notes ORDER BY id")).get(0), "nothing applied");
    }

    /** Four clients, 50 transactions each of two increments of one row, each reading its own result: 400. */
    @Test
    void incrementsInsideTransactionsAreNeverLost() throws Exception {
        api.ok(root, "CREATE TABLE tx.ctr (id BIGINT PRIMARY KEY, n BIGINT) WITH (TYPE='SHARED')");
        api.ok(root, "INSERT INTO tx.ctr (id, n) VALUES (1, 0)");
        List<Callable<List<Long>>> tasks = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            tasks.add(() -> {
                List<Long> seen = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    ApiClient.Reply r = api.sql(root, "BEGIN; SELECT n FROM tx.ctr WHERE id = 1; "
                            + "UPDATE tx.ctr SET n = n + 1 WHERE id = 1; UPDATE tx.ctr SET n = n + 1 WHERE id = 1; "
                            + "SELECT n FROM tx.ctr WHERE id = 1; COMMIT");
                    assertEquals(200, r.status(), r.body());
                    List<List<List<String>>> s = selects(r);
                    long before = Long.parseLong(s.get(0).get(0).get(0));
                    long after = Long.parseLong(s.get(1).get(0).get(0));
                    assertEquals(before + 2, after, "the transaction sees both of its increments: " + r.body());
                    seen.add(after);
                }
                return seen;
            });
        }
        List<Long> committed = new ArrayList<>();
        race(tasks).forEach(committed::addAll);
        assertEquals(400, Long.parseLong(selects(api.ok(root, "SELECT n FROM tx.ctr WHERE id = 1")).get(0).get(0)
                .get(0)));
        // each committed transaction read the snapshot it committed over: the values it saw are all distinct
        assertEquals(200, committed.stream().distinct().count(), "no two transactions committed over one value");
    }

    /**
     * Four clients make seeded random transfers between eight accounts, each one transaction that debits, credits,
     * writes a ledger row and reads the ledger row back: the total never changes, every acknowledged transfer is in
     * the ledger and in the balances, and nothing else is.
     */
    @Test
    void transfersKeepTheirSumAndEveryAcknowledgedTransferIsApplied() throws Exception {
        long seed = Long.getLong("tx.seed", System.nanoTime());
        System.out.println("TransactionsIT transfers seed=" + seed + " (rerun with -Dtx.seed=" + seed + ")");
        api.ok(root, "CREATE TABLE tx.accounts (id BIGINT PRIMARY KEY, balance BIGINT) WITH (TYPE='SHARED')");
        api.ok(root, "CREATE TABLE tx.ledger (id BIGINT PRIMARY KEY, src BIGINT, dst BIGINT, amount BIGINT) "
                + "WITH (TYPE='SHARED')");
        for (int id = 0; id < 8; id++) {
            api.ok(root, "INSERT INTO tx.accounts (id, balance) VALUES (" + id + ", 1000)");
        }
        Map<Long, long[]> acknowledged = new ConcurrentHashMap<>();
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            Random random = new Random(seed + c);
            int client = c;
            tasks.add(() -> {
                for (int i = 0; i < 40; i++) {
                    long id = client * 1000L + i;
                    int from = random.nextInt(8);
                    int to = (from + 1 + random.nextInt(7)) % 8;
                    int amount = 1 + random.nextInt(50);
                    ApiClient.Reply r = api.sql(root, "BEGIN; UPDATE tx.accounts SET balance = balance - " + amount
                            + " WHERE id = " + from + "; UPDATE tx.accounts SET balance = balance + " + amount
                            + " WHERE id = " + to + "; INSERT INTO tx.ledger (id, src, dst, amount) VALUES (" + id
                            + ", " + from + ", " + to + ", " + amount + "); SELECT amount FROM tx.ledger WHERE id = "
                            + id + "; COMMIT");
                    if (r.status() == 200) {
                        assertEquals(List.of(List.of(String.valueOf(amount))), selects(r).get(0),
                                "the ledger row is read back inside its transaction (seed " + seed + ")");
                        acknowledged.put(id, new long[] {from, to, amount});
                    } else {
                        assertEquals("CONFLICT", r.errorCode(), "seed=" + seed + " " + r.body());
                    }
                }
                return 40;
            });
        }
        race(tasks);
        long[] expected = new long[8];
        java.util.Arrays.fill(expected, 1000);
        for (long[] t : acknowledged.values()) {
            expected[(int) t[0]] -= t[2];
            expected[(int) t[1]] += t[2];
        }
        List<List<String>> balances = selects(api.ok(root, "SELECT id, balance FROM tx.accounts ORDER BY id")).get(0);
        long total = 0;
        for (int id = 0; id < 8; id++) {
            assertEquals(String.valueOf(expected[id]), balances.get(id).get(1), "account " + id + " (seed " + seed
                    + ")");
            total += Long.parseLong(balances.get(id).get(1));
        }
        assertEquals(8000, total, "seed=" + seed);
        List<List<String>> ledger = selects(api.ok(root, "SELECT id FROM tx.ledger ORDER BY id LIMIT 1000")).get(0);
        assertEquals(acknowledged.size(), ledger.size(), "exactly the acknowledged transfers (seed " + seed + ")");
        for (List<String> row : ledger) {
            assertTrue(acknowledged.containsKey(Long.parseLong(row.get(0))), "unacknowledged " + row);
        }
        assertTrue(acknowledged.size() > 0, "some transfers were acknowledged");
    }
}
