package io.kalamdb.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.write.ChangeEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Live queries against a real engine: snapshot then every change, once, in order, per user. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveQueryRegistryTest {
    private static final Session ALICE = new Session("alice", Role.USER);
    private static final Session BOB = new Session("bob", Role.USER);
    private static final Session BOT = new Session("bot", Role.SERVICE);
    private EngineFixture fx;

    /** Records frames in arrival order. */
    static final class Recorder implements LiveSink {
        final List<Object> frames = new CopyOnWriteArrayList<>();

        @Override
        public void initial(Subscription subscription, InitialBatch batch) {
            frames.add(batch);
        }

        @Override
        public void change(Subscription subscription, LiveChange change) {
            frames.add(change);
        }

        List<LiveChange> changes() {
            return frames.stream().filter(LiveChange.class::isInstance).map(LiveChange.class::cast).toList();
        }

        List<InitialBatch> batches() {
            return frames.stream().filter(InitialBatch.class::isInstance).map(InitialBatch.class::cast).toList();
        }

        List<LiveChange> awaitChanges(int n) throws InterruptedException {
            long end = System.currentTimeMillis() + 10_000;
            while (changes().size() < n && System.currentTimeMillis() < end) {
                Thread.sleep(5);
            }
            return changes();
        }
    }

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE chat; CREATE TABLE chat.messages (id BIGINT DEFAULT "
                + "SNOWFLAKE_ID(), thread_id TEXT, role TEXT, content TEXT) WITH (TYPE='USER')");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private Subscription subscribe(Session s, String id, String sql, SubscribeOptions o, Recorder r) {
        return fx.engine().live().subscribe(s, "c1", id, sql, o, r);
    }

    @Test
    void lastRowsThenChangesOfOwnRowsOnly() throws Exception {
        for (int i = 0; i < 30; i++) {
            fx.sql(ALICE, "INSERT INTO chat.messages (thread_id, content) VALUES ('t42', 'm" + i + "')");
        }
        fx.sql(ALICE, "INSERT INTO chat.messages (thread_id, content) VALUES ('other', 'x')");
        Recorder r = new Recorder();
        subscribe(ALICE, "s", "SELECT * FROM chat.messages WHERE thread_id = 't42'",
                new SubscribeOptions(20, null, null), r);
        InitialBatch first = r.batches().get(0);
        assertEquals(20, first.rows().size());
        assertEquals("m10", first.rows().get(0).get("content"));
        assertEquals("m29", first.rows().get(19).get("content"));
        assertEquals("ready", first.status());
        fx.sql(BOB, "INSERT INTO chat.messages (thread_id, content) VALUES ('t42', 'bob')");
        fx.sql(BOT, "EXECUTE AS USER 'alice' (INSERT INTO chat.messages (thread_id, role, content) VALUES "
                + "('t42', 'assistant', 'agent'))");
        fx.sql(ALICE, "INSERT INTO chat.messages (thread_id, content) VALUES ('other', 'not matching')");
        List<LiveChange> changes = r.awaitChanges(1);
        assertEquals(1, changes.size(), changes.toString());
        assertEquals("agent", changes.get(0).rows().get(0).get("content"));
        assertEquals(ChangeEvent.Type.INSERT, changes.get(0).type());
    }

    @Test
    void updatesAndDeletesCarryTheReferenceShapes() throws Exception {
        fx.sql(ALICE, "INSERT INTO chat.messages (id, thread_id, role, content) VALUES (1, 't', 'user', 'a')");
        Recorder r = new Recorder();
        subscribe(ALICE, "s", "SELECT id, content, role, _deleted FROM chat.messages WHERE thread_id = 't'",
                SubscribeOptions.defaults(), r);
        fx.sql(ALICE, "UPDATE chat.messages SET content = 'b' WHERE id = 1");
        fx.sql(ALICE, "UPDATE chat.messages SET thread_id = 'elsewhere' WHERE id = 1");
        fx.sql(ALICE, "UPDATE chat.messages SET thread_id = 't' WHERE id = 1");
        fx.sql(ALICE, "DELETE FROM chat.messages WHERE id = 1");
        List<LiveChange> c = r.awaitChanges(4);
        assertEquals(List.of(ChangeEvent.Type.UPDATE, ChangeEvent.Type.DELETE, ChangeEvent.Type.INSERT,
                ChangeEvent.Type.DELETE), c.stream().map(LiveChange::type).toList());
        Map<String, Object> updated = c.get(0).rows().get(0);
        assertEquals("b", updated.get("content"));
        assertTrue(updated.containsKey("_seq") && updated.containsKey("id"));
        Map<String, Object> old = c.get(0).oldValues().get(0);
        assertEquals("a", old.get("content"));
        assertTrue(!old.containsKey("role"), "old_values holds only changed columns, the key and _seq: " + old);
        assertEquals(true, c.get(3).oldValues().get(0).get("_deleted"));
        assertTrue(c.get(0).seq() < c.get(1).seq() && c.get(2).seq() < c.get(3).seq(), "commit order");
    }

    @Test
    void pagingAndResume() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            values.add("(" + (i + 1) + ", 't', 'm" + i + "')");
        }
        fx.sql(ALICE, "INSERT INTO chat.messages (id, thread_id, content) VALUES " + String.join(",", values));
        Recorder r = new Recorder();
        Subscription s = subscribe(ALICE, "p", "SELECT * FROM chat.messages", new SubscribeOptions(null, 10, null), r);
        assertEquals("loading", r.batches().get(0).status());
        fx.engine().live().nextBatch(s, r.batches().get(0).lastSeqId());
        assertEquals("loading_batch", r.batches().get(1).status());
        fx.engine().live().nextBatch(s, null);
        InitialBatch last = r.batches().get(2);
        assertEquals(5, last.rows().size());
        assertEquals("ready", last.status());
        long resumeFrom = (Long) r.batches().get(1).rows().get(9).get("_seq");
        fx.sql(ALICE, "DELETE FROM chat.messages WHERE id = 25");
        Recorder resumed = new Recorder();
        subscribe(ALICE, "p2", "SELECT * FROM chat.messages", new SubscribeOptions(null, null, resumeFrom), resumed);
        List<Map<String, Object>> rows = resumed.batches().get(0).rows();
        assertEquals(5, rows.size(), "rows after the resume point, including the one deleted meanwhile");
        assertEquals(true, rows.get(rows.size() - 1).get("_deleted"));
    }

    @Test
    void rulesAndLimits() {
        Recorder r = new Recorder();
        assertCode(KalamErrorCode.INVALID_SQL, () -> subscribe(ALICE, "x", "SELECT * FROM messages",
                SubscribeOptions.defaults(), r));
        assertCode(KalamErrorCode.INVALID_SQL, () -> subscribe(ALICE, "x", "SELECT * FROM chat.messages ORDER BY id",
                SubscribeOptions.defaults(), r));
        assertCode(KalamErrorCode.INVALID_SQL, () -> subscribe(ALICE, "x",
                "SELECT * FROM chat.messages m JOIN chat.messages n ON m.id = n.id", SubscribeOptions.defaults(), r));
        assertCode(KalamErrorCode.TABLE_NOT_FOUND, () -> subscribe(ALICE, "x", "SELECT * FROM chat.nope",
                SubscribeOptions.defaults(), r));
        assertCode(KalamErrorCode.PERMISSION_DENIED, () -> subscribe(ALICE, "x", "SELECT * FROM system.users",
                SubscribeOptions.defaults(), r));
        assertCode(KalamErrorCode.UNSUPPORTED, () -> subscribe(ALICE, "x", "SELECT * FROM chat.messages",
                new SubscribeOptions(51, 50, null), r));
        for (int i = 0; i < 10; i++) {
            subscribe(ALICE, "s" + i, "SELECT * FROM chat.messages", SubscribeOptions.defaults(), r);
        }
        assertCode(KalamErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, () -> subscribe(ALICE, "s11",
                "SELECT * FROM chat.messages", SubscribeOptions.defaults(), r));
        assertEquals(10, fx.one(EngineFixture.ROOT, "SELECT * FROM system.live").rowCount());
        assertEquals(10, fx.one(EngineFixture.ROOT, "SELECT * FROM system.live_queries").rowCount());
        String liveId = (String) fx.one(EngineFixture.ROOT, "SELECT live_id FROM system.live").rows().get(0)[0];
        fx.sql(EngineFixture.ROOT, "KILL LIVE QUERY '" + liveId + "'");
        assertEquals(9, fx.one(EngineFixture.ROOT, "SELECT * FROM system.live").rowCount());
    }

    @Test
    void subscribeOverHttpAnswersWithTheSubscription() {
        var r = fx.one(ALICE, "SUBSCRIBE TO chat.messages WHERE thread_id = 'thread_42' OPTIONS (last_rows = 20);");
        assertEquals("active", r.rows().get(0)[0]);
        assertEquals("/v1/ws", r.rows().get(0)[1]);
        String subscription = (String) r.rows().get(0)[2];
        assertTrue(subscription.contains("thread_42"), subscription);
        assertTrue(subscription.contains("\"last_rows\""), subscription);
        assertTrue(subscription.contains("\"id\":\"sub-chat-messages-"), subscription);
    }

    @Test
    void writesDuringSetupArriveExactlyOnce() throws Exception {
        fx.close();
        fx = new EngineFixture(Map.of("rate_limit.max_subscriptions_per_user", "100"));
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE chat; CREATE TABLE chat.messages (id BIGINT PRIMARY KEY, "
                + "thread_id TEXT, content TEXT) WITH (TYPE='USER')");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            while (!stop.get() && written.get() < 5000) {
                fx.sql(ALICE, "INSERT INTO chat.messages (id, thread_id, content) VALUES ($1, 't', 'x')",
                        written.incrementAndGet());
            }
        });
        writer.start();
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Recorder r = new Recorder();
            Session s = new Session("alice", Role.USER);
            fx.engine().live().subscribe(s, "c" + i, "s" + i, "SELECT id FROM chat.messages", SubscribeOptions.defaults(),
                    r);
            recorders.add(r);
        }
        stop.set(true);
        writer.join();
        int total = written.get();
        for (int i = 0; i < recorders.size(); i++) {
            Recorder r = recorders.get(i);
            long end = System.currentTimeMillis() + 10_000;
            Map<Long, Integer> seen = new HashMap<>();
            while (System.currentTimeMillis() < end) {
                seen.clear();
                for (InitialBatch b : r.batches()) {
                    b.rows().forEach(row -> seen.merge((Long) row.get("id"), 1, Integer::sum));
                }
                for (LiveChange c : r.changes()) {
                    c.rows().forEach(row -> seen.merge((Long) row.get("id"), 1, Integer::sum));
                }
                if (seen.size() >= total) {
                    break;
                }
                Thread.sleep(10);
            }
            assertEquals(total, seen.size(), "subscription " + i + " saw every row");
            assertTrue(seen.values().stream().allMatch(n -> n == 1), "subscription " + i + " saw each row once");
        }
    }

    private static void assertCode(KalamErrorCode code, Runnable r) {
        KalamException e = assertThrows(KalamException.class, r::run);
        assertEquals(code, e.code(), e.getMessage());
    }
}
