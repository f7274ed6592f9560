package io.kalamdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KalamEngineTest {
    private EngineFixture fx;
    private final Session alice = new Session("alice", Role.USER);
    private final Session bob = new Session("bob", Role.USER);
    private final Session bot = new Session("service_bot", Role.SERVICE);

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE chat");
        fx.sql(EngineFixture.ROOT, """
                CREATE TABLE chat.messages (
                  id         BIGINT DEFAULT SNOWFLAKE_ID(),
                  thread_id  TEXT,
                  role       TEXT,
                  content    TEXT,
                  created_at TIMESTAMP
                ) WITH (TYPE='USER')""");
        fx.sql(EngineFixture.ROOT, "CREATE USER 'alice' WITH PASSWORD 'AlicePass123!' ROLE user");
        fx.sql(EngineFixture.ROOT, "CREATE USER 'bob' WITH PASSWORD 'BobPass123!' ROLE user");
        fx.sql(EngineFixture.ROOT, "CREATE USER 'service_bot' WITH PASSWORD 'BotPass123!' ROLE service");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void seedScenarioWorksAsWritten() {
        StatementResult ins = fx.one(alice, "INSERT INTO chat.messages (thread_id, role, content, created_at) "
                + "VALUES ('thread_42', 'user', 'Can you check my invoice?', NOW())");
        assertEquals(1, ins.rowCount());
        assertEquals("Inserted 1 row(s)", ins.message());
        StatementResult exec = fx.one(bot, "EXECUTE AS USER 'alice' (\n  INSERT INTO chat.messages (thread_id, role, "
                + "content) VALUES ('thread_42', 'assistant', 'Done.')\n)");
        assertEquals("alice", exec.asUser());
        StatementResult sel = fx.one(alice, "SELECT * FROM chat.messages WHERE thread_id = 'thread_42'");
        assertEquals(2, sel.rowCount());
        assertEquals(List.of("id", "thread_id", "role", "content", "created_at", "_seq", "_deleted"),
                sel.schema().stream().map(ColumnInfo::name).toList());
        assertEquals(List.of("pk", "nn", "uq"), sel.schema().get(0).flags());
        assertEquals("Can you check my invoice?", sel.rows().get(0)[3]);
        assertTrue((Long) sel.rows().get(0)[4] > 1_600_000_000_000_000L, "timestamp in micros");
        assertEquals(0, fx.one(bob, "SELECT * FROM chat.messages").rowCount(), "bob sees none of alice's rows");
        assertEquals(0, fx.one(bot, "SELECT * FROM chat.messages").rowCount(), "service sees only its own rows");
    }

    @Test
    void userDeniedExecuteAsAnotherUser() {
        KalamException e = assertThrows(KalamException.class, () -> fx.sql(bob,
                "EXECUTE AS USER 'alice' (SELECT * FROM chat.messages)"));
        assertEquals(KalamErrorCode.PERMISSION_DENIED, e.code());
    }

    @Test
    void updateDeleteAndSoftDeleteVisibility() {
        fx.sql(alice, "INSERT INTO chat.messages (id, thread_id, content) VALUES (1, 't', 'a'), (2, 't', 'b')");
        assertEquals(1, fx.one(alice, "UPDATE chat.messages SET content = 'A' WHERE id = 1").rowCount());
        assertEquals(0, fx.one(alice, "UPDATE chat.messages SET content = 'A' WHERE id = 1").rowCount());
        assertEquals(1, fx.one(alice, "DELETE FROM chat.messages WHERE id = $1", 2).rowCount());
        assertEquals(1, fx.one(alice, "SELECT COUNT(*) FROM chat.messages").rows().get(0)[0] instanceof Long l
                ? l.intValue() : -1);
        StatementResult deleted = fx.one(alice, "SELECT id, _deleted FROM chat.messages WHERE _deleted = true");
        assertEquals(1, deleted.rowCount());
        assertEquals(2L, deleted.rows().get(0)[0]);
    }

    @Test
    void duplicatePrimaryKeyFailsAndChangesNothing() {
        fx.sql(alice, "INSERT INTO chat.messages (id, content) VALUES (7, 'first')");
        KalamException e = assertThrows(KalamException.class,
                () -> fx.sql(alice, "INSERT INTO chat.messages (id, content) VALUES (8, 'x'), (7, 'dup')"));
        assertTrue(e.getMessage().contains("Primary key violation"), e.getMessage());
        assertEquals(1, fx.one(alice, "SELECT * FROM chat.messages").rowCount());
        fx.sql(bob, "INSERT INTO chat.messages (id, content) VALUES (7, 'bob may reuse the key')");
    }

    @Test
    void dataSurvivesRestart() {
        fx.sql(alice, "INSERT INTO chat.messages (id, content) VALUES (1, 'kept')");
        fx.restart();
        StatementResult r = fx.one(alice, "SELECT content FROM chat.messages");
        assertEquals("kept", r.rows().get(0)[0]);
        fx.sql(alice, "INSERT INTO chat.messages (content) VALUES ('default key after restart')");
        assertEquals(2, fx.one(alice, "SELECT id FROM chat.messages WHERE id IS NOT NULL").rowCount());
        assertTrue(fx.engine().users().find("bob").isPresent(), "users survive restart");
    }
}
