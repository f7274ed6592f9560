package io.kalamdb.engine;

import static io.kalamdb.engine.EngineFixture.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.error.KalamException;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Catalog statements and row changes racing each other through one engine: every acknowledged change is present
 * afterwards, nothing dropped comes back, and no increment is lost. Each statement runs on its own thread, all
 * released together.
 */
@Timeout(120)
class ConcurrentCommandsTest {
    private EngineFixture db;
    private ExecutorService pool;

    @BeforeEach
    void open() {
        db = new EngineFixture();
        db.sql(ROOT, "CREATE NAMESPACE app");
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        db.close();
    }

    /** Runs every task at once; each outcome is null for success or the failure's message. */
    private List<String> race(List<Callable<?>> tasks) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> futures = new ArrayList<>();
        for (Callable<?> task : tasks) {
            futures.add(pool.submit(() -> {
                start.await();
                try {
                    task.call();
                    return null;
                } catch (KalamException e) {
                    return e.code() + ": " + e.getMessage();
                }
            }));
        }
        start.countDown();
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : futures) {
            outcomes.add(f.get(100, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    private TableDef table(String name) {
        return db.engine().catalog().table("app", name);
    }

    @Test
    void fortyConcurrentAddColumnsAllLand() throws Exception {
        db.sql(ROOT, "CREATE TABLE app.t (id BIGINT PRIMARY KEY) WITH (TYPE='SHARED')");
        List<Callable<?>> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String sql = "ALTER TABLE app.t ADD COLUMN c" + i + " TEXT";
            tasks.add(() -> db.sql(ROOT, sql));
        }
        List<String> outcomes = race(tasks);
        for (String o : outcomes) {
            assertNull(o, "every ALTER is acknowledged");
        }
        assertEquals(41, table("t").columns().size());
        assertEquals(41, table("t").schemaVersion(), "one version per ALTER");
        db.restart();
        assertEquals(41, table("t").columns().size(), "and every column survives a restart");
        for (int i = 0; i < 40; i++) {
            assertNotNull(table("t").column("c" + i), "c" + i);
        }
    }

    @Test
    void concurrentAddsOfOneNameLetExactlyOneWin() throws Exception {
        db.sql(ROOT, "CREATE TABLE app.t (id BIGINT PRIMARY KEY) WITH (TYPE='SHARED')");
        List<Callable<?>> tasks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            tasks.add(() -> db.sql(ROOT, "ALTER TABLE app.t ADD COLUMN same TEXT"));
        }
        List<String> outcomes = race(tasks);
        assertEquals(1, outcomes.stream().filter(o -> o == null).count(), outcomes.toString());
        for (String o : outcomes) {
            assertTrue(o == null || o.contains("column already exists"), o);
        }
        assertEquals(2, table("t").columns().size());
    }

    @Test
    void concurrentCreatesOfOneTableLetExactlyOneWin() throws Exception {
        List<Callable<?>> tasks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String column = "c" + i;
            tasks.add(() -> db.sql(ROOT, "CREATE TABLE app.t (id BIGINT PRIMARY KEY, " + column
                    + " TEXT) WITH (TYPE='SHARED')"));
        }
        List<String> outcomes = race(tasks);
        assertEquals(1, outcomes.stream().filter(o -> o == null).count(), outcomes.toString());
        for (String o : outcomes) {
            assertTrue(o == null || o.contains("already exists"), o);
        }
        int winner = outcomes.indexOf(null);
        assertNotNull(table("t").column("c" + winner), "the table is the one that was acknowledged");
    }

    /** ALTERs race a DROP: once the DROP is acknowledged the table is gone for good, whatever the ALTERs did. */
    @Test
    void alterRacingDropNeverResurrectsTheTable() throws Exception {
        long seed = new Random().nextLong();
        System.out.println("alterRacingDropNeverResurrectsTheTable seed=" + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 15; round++) {
            db.sql(ROOT, "CREATE TABLE app.t (id BIGINT PRIMARY KEY) WITH (TYPE='SHARED')");
            db.sql(ROOT, "INSERT INTO app.t (id) VALUES (1)");
            List<Callable<?>> tasks = new ArrayList<>();
            int alters = 1 + random.nextInt(6);
            int dropAt = random.nextInt(alters + 1);
            for (int i = 0; i <= alters; i++) {
                if (i == dropAt) {
                    tasks.add(() -> db.sql(ROOT, "DROP TABLE app.t"));
                }
                if (i < alters) {
                    String sql = random.nextBoolean() ? "ALTER TABLE app.t ADD COLUMN a" + i + " TEXT"
                            : "CREATE INDEX ON app.t (id)";
                    tasks.add(() -> db.sql(ROOT, sql));
                }
            }
            List<String> outcomes = race(tasks);
            assertNull(outcomes.get(dropAt), "seed=" + seed + " round=" + round + ": the DROP is acknowledged");
            for (String o : outcomes) {
                assertTrue(o == null || o.contains("table 'app.t' not found") || o.contains("already exists")
                        || o.contains("primary key"), "seed=" + seed + " " + o);
            }
            assertNull(table("t"), "seed=" + seed + " round=" + round + ": the dropped table came back "
                    + outcomes);
            assertEquals(0, db.one(ROOT, "SELECT COUNT(*) FROM system.tables WHERE table_name = 't'")
                    .rows().get(0)[0] instanceof Number n ? n.intValue() : -1, "seed=" + seed);
        }
        db.restart();
        assertNull(table("t"), "seed=" + seed + ": no dropped table comes back after a restart");
    }

    @Test
    void concurrentIncrementsAreNeverLost() throws Exception {
        db.sql(ROOT, "CREATE TABLE app.ctr (id BIGINT PRIMARY KEY, n BIGINT) WITH (TYPE='SHARED')");
        db.sql(ROOT, "INSERT INTO app.ctr (id, n) VALUES (1, 0)");
        List<Callable<?>> tasks = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            boolean inTransaction = c % 2 == 1;
            tasks.add(() -> {
                for (int i = 0; i < 50; i++) {
                    List<StatementResult> r = db.sql(ROOT, inTransaction
                            ? "BEGIN; UPDATE app.ctr SET n = n + 1 WHERE id = 1; COMMIT"
                            : "UPDATE app.ctr SET n = n + 1 WHERE id = 1");
                    if (!r.toString().isEmpty() && !inTransaction) {
                        assertEquals(1, r.get(0).rowCount(), "each increment updates its row");
                    }
                }
                return null;
            });
        }
        for (String o : race(tasks)) {
            if (o != null) {
                fail(o);
            }
        }
        Object n = db.one(ROOT, "SELECT n FROM app.ctr WHERE id = 1").rows().get(0)[0];
        assertEquals(200L, ((Number) n).longValue());
    }
}
