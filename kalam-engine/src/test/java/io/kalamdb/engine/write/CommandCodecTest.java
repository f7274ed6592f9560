package io.kalamdb.engine.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.catalog.AccessLevel;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.DefaultValue;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.NamespaceDef;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Commands survive a round trip through their wire form (what a replicated log stores). */
class CommandCodecTest {

    @Test
    void rowsRoundTrip() {
        RowOp op = new RowOp(RowOp.Kind.UPDATE, 7, "alice", new byte[] {1, 2}, new byte[] {3, 4, 5}, new byte[] {9});
        Command.Rows decoded = assertInstanceOf(Command.Rows.class,
                CommandCodec.decode(CommandCodec.encode(new Command.Rows(List.of(op)))));
        RowOp back = decoded.ops().get(0);
        assertEquals(RowOp.Kind.UPDATE, back.kind());
        assertEquals(7, back.tableId());
        assertEquals("alice", back.partition());
        assertArrayEquals(op.pk(), back.pk());
        assertArrayEquals(op.row(), back.row());
        assertArrayEquals(op.oldPk(), back.oldPk());
    }

    @Test
    void catalogCommandsRoundTrip() {
        TableDef t = new TableDef(3, "chat", "messages", TableType.SHARED,
                List.of(new ColumnDef(1, "id", KalamType.BIGINT, false, DefaultValue.function("SNOWFLAKE_ID"), true,
                        null), new ColumnDef(2, "amount", KalamType.decimal(10, 2), true, null, false, "money")),
                Map.of("FLUSH_POLICY", "rows:10"), AccessLevel.PUBLIC, null, 2, 3, 10, 20, List.of(2));
        assertEquals(new Command.PutTable(t, true), CommandCodec.decode(CommandCodec.encode(new Command.PutTable(t,
                true))));
        NamespaceDef ns = new NamespaceDef("chat", 5, "d");
        assertEquals(new Command.PutNamespace(ns, false),
                CommandCodec.decode(CommandCodec.encode(new Command.PutNamespace(ns, false))));
        UserRecord u = new UserRecord("bob", "$2a$hash", Role.SERVICE, null, "password", 1, null, 4L, 1, 2, null);
        assertEquals(new Command.PutUser(u, true), CommandCodec.decode(CommandCodec.encode(new Command.PutUser(u,
                true))));
        assertEquals(new Command.DropTable(3), CommandCodec.decode(CommandCodec.encode(new Command.DropTable(3))));
        assertEquals(new Command.AlterTable(3, 1, t), CommandCodec.decode(CommandCodec.encode(
                new Command.AlterTable(3, 1, t))));
    }

    @Test
    void preconditionsRoundTrip() {
        RowOp op = new RowOp(RowOp.Kind.SOFT_DELETE, 7, "alice", new byte[] {1}, null, null, 123_456_789_012L);
        Command.Rows decoded = assertInstanceOf(Command.Rows.class,
                CommandCodec.decode(CommandCodec.encode(new Command.Rows(List.of(op)))));
        assertEquals(123_456_789_012L, decoded.ops().get(0).expectedSeq(), "the version the statement read");
        RowOp plain = new RowOp(RowOp.Kind.INSERT, 7, "", new byte[] {1}, new byte[] {2}, null);
        Command.Rows insert = assertInstanceOf(Command.Rows.class,
                CommandCodec.decode(CommandCodec.encode(new Command.Rows(List.of(plain)))));
        assertEquals(null, insert.ops().get(0).expectedSeq(), "an INSERT has no expected version");
        io.kalamdb.engine.catalog.TopicDef.Route route = new io.kalamdb.engine.catalog.TopicDef.Route(3, "chat.messages",
                io.kalamdb.engine.catalog.TopicDef.Op.INSERT, "role = 'user'",
                io.kalamdb.engine.catalog.TopicDef.PayloadMode.FULL);
        Command.SetTopicRoutes routes = new Command.SetTopicRoutes(4, List.of(), List.of(route), 99);
        assertEquals(routes, CommandCodec.decode(CommandCodec.encode(routes)));
        Command.EvictExpired evict = new Command.EvictExpired(5, 1L << 40, 500);
        assertEquals(evict, CommandCodec.decode(CommandCodec.encode(evict)));
    }
}
