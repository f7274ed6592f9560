package io.kalamdb.engine.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.util.MutableClock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Topics fed by table changes, consumed by groups (reference section 4, PROTOCOL deviations 3 and 4). */
class TopicTest {
    private static final Session ROOT = EngineFixture.ROOT;
    private static final Session ALICE = new Session("alice", Role.USER);
    private static final Session WORKER = new Session("worker", Role.SERVICE);
    private final MutableClock clock = new MutableClock();
    private EngineFixture fx;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture(Map.of("topics.visibility_timeout_secs", "1"), clock);
        fx.sql(ROOT, "CREATE NAMESPACE chat; CREATE TABLE chat.messages (id BIGINT DEFAULT SNOWFLAKE_ID(), "
                + "thread_id TEXT, role TEXT, content TEXT) WITH (TYPE='USER')");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static String payload(Object[] row) {
        return new String((byte[]) row[4], StandardCharsets.UTF_8);
    }

    @Test
    void theAgentLoop() {
        fx.sql(ROOT, "CREATE TOPIC chat.message_events PARTITIONS 2");
        fx.sql(ROOT, "ALTER TOPIC chat.message_events ADD SOURCE chat.messages ON INSERT WITH (payload = 'full')");
        assertEquals(0, fx.one(WORKER, "CONSUME FROM chat.message_events GROUP 'chat-worker-1' FROM LATEST LIMIT 50")
                .rowCount());
        fx.sql(ALICE, "INSERT INTO chat.messages (thread_id, role, content) VALUES ('thread_42', 'user', 'hi')");
        fx.sql(WORKER, "EXECUTE AS USER 'alice' (INSERT INTO chat.messages (thread_id, role, content) VALUES "
                + "('thread_42','assistant','…'))");
        StatementResult r = fx.one(WORKER, "CONSUME FROM chat.message_events GROUP 'chat-worker-1' FROM LATEST LIMIT 50");
        assertEquals(2, r.rowCount(), "both inserts, over both partitions");
        for (Object[] row : r.rows()) {
            assertEquals("alice", row[6]);
            assertEquals("Insert", row[7]);
            assertTrue(payload(row).contains("\"_table\":\"chat.messages\""), payload(row));
        }
        Object[] first = r.rows().get(0);
        StatementResult ack = fx.one(WORKER, "ACK chat.message_events GROUP 'chat-worker-1' PARTITION " + first[1]
                + " UPTO OFFSET " + first[2]);
        long lastInPartition = r.rows().stream().filter(x -> x[1].equals(first[1])).mapToLong(x -> (Long) x[2]).max()
                .orElseThrow();
        assertEquals(lastInPartition, ack.rows().get(0)[3], "CONSUME auto-committed; a lower ACK keeps the commit");
        assertEquals(0, fx.one(WORKER, "CONSUME FROM chat.message_events GROUP 'chat-worker-1' LIMIT 50").rowCount(),
                "SQL CONSUME with GROUP auto-commits");
        assertEquals(2, fx.one(WORKER, "CONSUME FROM chat.message_events FROM EARLIEST LIMIT 50").rowCount());
        assertEquals(2, fx.one(WORKER, "CONSUME FROM chat.message_events FROM EARLIEST LIMIT 50").rowCount(),
                "stateless without GROUP");
    }

    @Test
    void offsetsAreGapFreeAndGroupsIndependent() {
        fx.sql(ROOT, "CREATE TOPIC chat.ev; ALTER TOPIC chat.ev ADD SOURCE chat.messages ON INSERT;"
                + "ALTER TOPIC chat.ev ADD SOURCE chat.messages ON UPDATE WITH (payload = 'diff');"
                + "ALTER TOPIC chat.ev ADD SOURCE chat.messages ON DELETE WITH (payload = 'key')");
        fx.sql(ALICE, "INSERT INTO chat.messages (id, content) VALUES (1, 'a'), (2, 'b')");
        fx.sql(ALICE, "UPDATE chat.messages SET content = 'c' WHERE id = 1");
        fx.sql(ALICE, "DELETE FROM chat.messages WHERE id = 2");
        List<Object[]> all = fx.one(WORKER, "CONSUME FROM chat.ev FROM EARLIEST LIMIT 10").rows();
        assertEquals(List.of(0L, 1L, 2L, 3L), all.stream().map(r -> r[2]).toList());
        assertEquals(List.of("Insert", "Insert", "Update", "Delete"), all.stream().map(r -> r[7]).toList());
        assertTrue(payload(all.get(2)).contains("\"changes\":{\"content\":{\"old\":\"a\",\"new\":\"c\"}}"),
                payload(all.get(2)));
        assertEquals("{\"id\":\"2\"}", payload(all.get(3)));
        assertEquals(0L, fx.one(WORKER, "CONSUME FROM chat.ev GROUP 'g1' FROM EARLIEST LIMIT 1").rows().get(0)[2]);
        assertEquals(1L, fx.one(WORKER, "CONSUME FROM chat.ev GROUP 'g1' FROM EARLIEST LIMIT 1").rows().get(0)[2]);
        fx.sql(WORKER, "ACK chat.ev GROUP 'g1' UPTO OFFSET 0");
        assertEquals(2L, fx.one(WORKER, "CONSUME FROM chat.ev GROUP 'g1' LIMIT 1").rows().get(0)[2], "ack is monotonic");
        assertEquals(0L, fx.one(WORKER, "CONSUME FROM chat.ev GROUP 'g2' FROM EARLIEST LIMIT 1").rows().get(0)[2]);
        assertEquals(List.of(3L), fx.one(WORKER, "CONSUME FROM chat.ev GROUP 'g3' FROM 3 LIMIT 2").rows().stream()
                .map(r -> r[2]).toList());
        assertEquals(1, fx.one(ROOT, "SELECT * FROM system.topic_offsets WHERE group_id = 'g1'").rowCount());
        assertEquals(3, fx.one(ROOT, "SELECT * FROM system.topic_offsets").rowCount(), "one row per group");
        assertEquals(1, fx.one(ROOT, "SELECT * FROM system.topics").rowCount());
    }

    @Test
    void claimsNeverOverlapAndExpireForRedelivery() throws Exception {
        fx.sql(ROOT, "CREATE TOPIC chat.ev; ALTER TOPIC chat.ev ADD SOURCE chat.messages ON INSERT");
        for (int i = 0; i < 10; i++) {
            fx.sql(ALICE, "INSERT INTO chat.messages (content) VALUES ('m" + i + "')");
        }
        TopicService topics = fx.engine().topics();
        ConsumeResult a = topics.consume(new ConsumeRequest("chat.ev", "w", 0, ConsumeRequest.Start.EARLIEST, 0, 4,
                true, false));
        ConsumeResult b = topics.consume(new ConsumeRequest("chat.ev", "w", 0, ConsumeRequest.Start.EARLIEST, 0, 4,
                true, false));
        Set<Long> seen = new HashSet<>();
        a.messages().forEach(m -> seen.add(m.offset()));
        b.messages().forEach(m -> assertTrue(seen.add(m.offset()), "no overlap"));
        assertEquals(8, seen.size());
        topics.ack("chat.ev", "w", 0, 3);
        clock.advance(Duration.ofMillis(500));
        List<Long> early = new ArrayList<>();
        topics.consume(new ConsumeRequest("chat.ev", "w", 0, ConsumeRequest.Start.EARLIEST, 0, 10, true, false))
                .messages().forEach(m -> early.add(m.offset()));
        assertEquals(List.of(8L, 9L), early, "claims within their timeout are not handed out again");
        clock.advance(Duration.ofMillis(501)); // past the timeout of 4..7, within that of 8..9
        List<Long> redelivered = new ArrayList<>();
        topics.consume(new ConsumeRequest("chat.ev", "w", 0, ConsumeRequest.Start.EARLIEST, 0, 10, true, false))
                .messages().forEach(m -> redelivered.add(m.offset()));
        assertEquals(List.of(4L, 5L, 6L, 7L), redelivered, "unacked claim delivered again after the timeout");
        var waiter = topics.onAppend(topics.topic("chat.ev").id());
        assertFalse(waiter.isDone());
        fx.sql(ALICE, "INSERT INTO chat.messages (content) VALUES ('wake')");
        waiter.get(5, TimeUnit.SECONDS);
    }

    @Test
    void retentionTrimsOldMessagesByAgeAndSize() throws Exception {
        fx.sql(ROOT, "CREATE TOPIC chat.short WITH (retention_seconds = 1); "
                + "ALTER TOPIC chat.short ADD SOURCE chat.messages ON INSERT");
        fx.sql(ROOT, "CREATE TOPIC chat.small WITH (retention_max_bytes = 2000); "
                + "ALTER TOPIC chat.small ADD SOURCE chat.messages ON INSERT");
        for (int i = 0; i < 30; i++) {
            fx.sql(ALICE, "INSERT INTO chat.messages (id, content) VALUES ($1, 'message body of some length')", i);
        }
        assertEquals(30, fx.one(WORKER, "CONSUME FROM chat.short FROM EARLIEST LIMIT 100").rowCount());
        fx.engine().housekeep();
        assertEquals(30, fx.one(WORKER, "CONSUME FROM chat.short FROM EARLIEST LIMIT 100").rowCount(),
                "messages within retention_seconds stay");
        clock.advance(Duration.ofMillis(1001));
        fx.engine().housekeep();
        assertEquals(0, fx.one(WORKER, "CONSUME FROM chat.short FROM EARLIEST LIMIT 100").rowCount(),
                "messages older than retention_seconds are deleted");
        List<Object[]> kept = fx.one(WORKER, "CONSUME FROM chat.small FROM EARLIEST LIMIT 100").rows();
        assertTrue(kept.size() > 0 && kept.size() < 30, "size retention keeps only the newest: " + kept.size());
        assertEquals(29L, kept.get(kept.size() - 1)[2], "the newest message stays");
        fx.sql(ALICE, "INSERT INTO chat.messages (id, content) VALUES (100, 'after trimming')");
        assertEquals(30L, fx.one(WORKER, "CONSUME FROM chat.short FROM EARLIEST LIMIT 100").rows().get(0)[2],
                "offsets continue after trimmed messages");
        code(KalamErrorCode.INVALID_OPTION, ROOT, "CREATE TOPIC chat.bad WITH (retention_days = 1)");
        fx.sql(ROOT, "CLEAR TOPIC chat.short");
        fx.restart();
        fx.sql(ALICE, "INSERT INTO chat.messages (id, content) VALUES (101, 'after a restart')");
        assertEquals(31L, fx.one(WORKER, "CONSUME FROM chat.short FROM EARLIEST LIMIT 100").rows().get(0)[2],
                "an emptied partition keeps its offsets across a restart");
    }

    @Test
    void badInputAndRoles() {
        fx.sql(ROOT, "CREATE TOPIC chat.ev");
        code(KalamErrorCode.PERMISSION_DENIED, ALICE, "CONSUME FROM chat.ev LIMIT 1");
        code(KalamErrorCode.PERMISSION_DENIED, ALICE, "ACK chat.ev GROUP 'g' UPTO OFFSET 0");
        code(KalamErrorCode.PERMISSION_DENIED, WORKER, "CREATE TOPIC chat.other");
        code(KalamErrorCode.INVALID_OPTION, ROOT, "CREATE TOPIC noqualifier");
        code(KalamErrorCode.TOPIC_EXISTS, ROOT, "CREATE TOPIC chat.ev");
        code(KalamErrorCode.TOPIC_NOT_FOUND, WORKER, "CONSUME FROM chat.nope LIMIT 1");
        code(KalamErrorCode.INVALID_OPTION, WORKER, "CONSUME FROM chat.ev LIMIT -1");
        code(KalamErrorCode.INVALID_OPTION, WORKER, "CONSUME FROM chat.ev FROM -5");
        code(KalamErrorCode.INVALID_OPTION, WORKER, "ACK chat.ev GROUP 'g' UPTO OFFSET 10");
        code(KalamErrorCode.INVALID_OPTION, ROOT,
                "ALTER TOPIC chat.ev ADD SOURCE chat.messages ON INSERT WITH (payload = 'fulll')");
        code(KalamErrorCode.TABLE_NOT_FOUND, ROOT, "ALTER TOPIC chat.ev ADD SOURCE chat.nope ON INSERT");
        assertEquals(0, fx.one(ROOT, "SELECT * FROM system.topics WHERE routes <> '[]'").rowCount(),
                "nothing changed");
    }

    @Test
    void streamRowsExpireAndFeedTopics() throws Exception {
        fx.sql(ROOT, "CREATE TABLE chat.typing (id BIGINT DEFAULT SNOWFLAKE_ID(), thread_id TEXT) "
                + "WITH (TYPE='STREAM', TTL_SECONDS=1)");
        fx.sql(ROOT, "CREATE TOPIC chat.typing_events; ALTER TOPIC chat.typing_events ADD SOURCE chat.typing ON INSERT");
        fx.sql(ALICE, "INSERT INTO chat.typing (thread_id) VALUES ('t'), ('t'), ('t')");
        assertEquals(3, fx.one(ALICE, "SELECT * FROM chat.typing").rowCount());
        assertEquals(3, fx.one(WORKER, "CONSUME FROM chat.typing_events FROM EARLIEST").rowCount());
        clock.advance(Duration.ofMillis(1001));
        assertEquals(0, fx.one(ALICE, "SELECT * FROM chat.typing").rowCount(), "rows past their TTL are hidden");
    }

    @Test
    void evictionRemovesExpiredStreamRows() throws Exception {
        fx.sql(ROOT, "CREATE TABLE chat.typing (id BIGINT DEFAULT SNOWFLAKE_ID(), thread_id TEXT) "
                + "WITH (TYPE='STREAM', TTL_SECONDS=1)");
        List<io.kalamdb.engine.live.LiveChange> deletes = new java.util.concurrent.CopyOnWriteArrayList<>();
        fx.engine().live().subscribe(ALICE, "c", "s", "SELECT * FROM chat.typing",
                io.kalamdb.engine.live.SubscribeOptions.defaults(), new io.kalamdb.engine.live.LiveSink() {
                    @Override
                    public void initial(io.kalamdb.engine.live.Subscription s, io.kalamdb.engine.live.InitialBatch b) {
                    }

                    @Override
                    public void change(io.kalamdb.engine.live.Subscription s, io.kalamdb.engine.live.LiveChange c) {
                        if (c.type() == io.kalamdb.engine.write.ChangeEvent.Type.DELETE) {
                            deletes.add(c);
                        }
                    }
                });
        fx.sql(ALICE, "INSERT INTO chat.typing (thread_id) VALUES ('t'), ('t')");
        fx.engine().housekeep();
        assertEquals(2, fx.one(ALICE, "SELECT * FROM chat.typing").rowCount(), "rows within their TTL stay");
        clock.advance(Duration.ofMillis(1001));
        fx.engine().housekeep();
        long deadline = System.currentTimeMillis() + 10_000;
        while (deletes.size() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(2, deletes.size(), "the housekeeper evicted both rows (each eviction is a delete change)");
    }

    private void code(KalamErrorCode code, Session s, String sql) {
        KalamException e = assertThrows(KalamException.class, () -> fx.sql(s, sql), sql);
        assertEquals(code, e.code(), sql + " -> " + e.getMessage());
    }

    /** The {@code content} of every message of a topic, from its FULL payloads. */
    private Set<String> routedContents(String topic) {
        Set<String> out = new java.util.TreeSet<>();
        for (Object[] m : fx.one(ROOT, "CONSUME FROM " + topic + " FROM EARLIEST LIMIT 100").rows()) {
            String json = payload(m);
            int at = json.indexOf("\"content\":\"") + "\"content\":\"".length();
            out.add(json.substring(at, json.indexOf('"', at)));
        }
        return out;
    }

    private Set<String> selectedContents(Session s, String where) {
        Set<String> out = new java.util.TreeSet<>();
        for (Object[] r : fx.one(s, "SELECT content FROM chat.messages WHERE " + where).rows()) {
            out.add((String) r[0]);
        }
        return out;
    }

    @Test
    void routeFiltersAreTheWhereOfTheSameSelect() {
        Session bob = new Session("bob", Role.USER);
        String onInsert = "content ILIKE 'hi%' AND thread_id LIKE 't!_%' ESCAPE '!'";
        String onUpdate = "CHAR_LENGTH(content) BETWEEN 2 AND 3 AND UPPER(role) = 'USER'";
        String mine = "thread_id = CURRENT_USER()";
        fx.sql(ROOT, "CREATE TOPIC chat.greetings PARTITIONS 1; CREATE TOPIC chat.short PARTITIONS 1; "
                + "CREATE TOPIC chat.own PARTITIONS 1");
        fx.sql(ROOT, "ALTER TOPIC chat.greetings ADD SOURCE chat.messages ON INSERT WHERE " + onInsert);
        fx.sql(ROOT, "ALTER TOPIC chat.short ADD SOURCE chat.messages ON UPDATE WHERE " + onUpdate);
        fx.sql(ROOT, "ALTER TOPIC chat.own ADD SOURCE chat.messages ON INSERT WHERE " + mine);
        fx.sql(ALICE, "INSERT INTO chat.messages (id, thread_id, role, content) VALUES (1, 't_1', 'user', 'Hi there'), "
                + "(2, 'tx1', 'user', 'hi'), (3, 't_2', 'User', 'HI'), (4, 't_3', 'user', 'bye'), "
                + "(5, 'alice', 'agent', 'mine'), (6, NULL, NULL, NULL)");
        fx.sql(bob, "INSERT INTO chat.messages (id, thread_id, role, content) VALUES (7, 'alice', 'user', 'not hers'), "
                + "(8, 't_9', 'user', 'hiya')");
        Set<String> greetings = selectedContents(ALICE, onInsert);
        greetings.addAll(selectedContents(bob, onInsert));
        assertEquals(Set.of("HI", "Hi there", "hiya"), greetings, "the SELECT itself");
        assertEquals(greetings, routedContents("chat.greetings"));
        assertEquals(Set.of("mine"), routedContents("chat.own"), "CURRENT_USER() is the row's user");
        fx.sql(ALICE, "UPDATE chat.messages SET content = 'abc' WHERE id = 4");
        fx.sql(ALICE, "UPDATE chat.messages SET content = 'abcd' WHERE id = 1");
        fx.sql(ALICE, "UPDATE chat.messages SET content = 'no' WHERE id = 5");
        fx.sql(ALICE, "UPDATE chat.messages SET content = 'ok' WHERE id = 3");
        assertEquals(selectedContents(ALICE, "(" + onUpdate + ") AND id IN (1, 3, 4, 5)"),
                routedContents("chat.short"), "the updated rows that the SELECT matches");
        assertEquals(Set.of("abc", "ok"), routedContents("chat.short"));
        KalamException e = assertThrows(KalamException.class, () -> fx.sql(ROOT,
                "ALTER TOPIC chat.own ADD SOURCE chat.messages ON DELETE WHERE content IS NOT NULL AND NOW() IS NOT NULL"));
        assertEquals(KalamErrorCode.INVALID_SQL, e.code(), e.getMessage());
    }
}
