package io.kalamdb.engine.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.catalog.AccessLevel;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.DefaultValue;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.NamespaceDef;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.catalog.TopicDef;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * What the write log stores for each kind of {@link Command} is frozen: one instance of every Command record
 * encodes to exactly the bytes in {@code golden/commands.txt} (one line per record: its simple name, a space,
 * the encoded bytes as text), and those bytes decode to the instance. A new Command record fails this test until
 * its line is added; a changed line means old log entries no longer replay and needs an ADR.
 */
class CommandCodecGoldenTest {

    private static Map<Class<?>, Command> oneOfEach() {
        TableDef table = new TableDef(3, "chat", "messages", TableType.USER,
                List.of(new ColumnDef(1, "id", KalamType.BIGINT, false, DefaultValue.function("SNOWFLAKE_ID"), true,
                        null), new ColumnDef(2, "amount", KalamType.decimal(10, 2), true,
                        DefaultValue.literal("0.00"), false, "money")),
                Map.of("FLUSH_POLICY", "rows:10"), AccessLevel.PRIVATE, 3600L, 2, 3, 10, 20, List.of(2));
        UserRecord user = new UserRecord("bob", "$2a$04$hash", Role.SERVICE, "bob@example.com", "password", 1,
                null, 4L, 5, 6, null, 7);
        TopicDef topic = new TopicDef(9, "chat", "events", 2, 3600, 1 << 20, List.of(
                new TopicDef.Route(3, "chat.messages", TopicDef.Op.INSERT, "amount > 1", TopicDef.PayloadMode.FULL)),
                11, 12);
        Map<Class<?>, Command> all = new LinkedHashMap<>();
        for (Command c : List.of(
                new Command.Rows(List.of(new RowOp(RowOp.Kind.INSERT, 3, "alice", new byte[] {1, 2}, new byte[] {3},
                        null), new RowOp(RowOp.Kind.UPDATE, 3, "alice", new byte[] {4}, new byte[] {5, 6},
                        new byte[] {1, 2}, 21L), new RowOp(RowOp.Kind.SOFT_DELETE, 3, "", new byte[] {7}, new byte[0],
                        null), new RowOp(RowOp.Kind.HARD_DELETE, 4, "bob", new byte[] {8}, new byte[0], null))),
                new Command.PutNamespace(new NamespaceDef("chat", 5, "talk"), true),
                new Command.DropNamespace("chat"),
                new Command.PutTable(table, false),
                new Command.AlterTable(3, 2, table),
                new Command.DropTable(3),
                new Command.EvictExpired(3, 22, 1000),
                new Command.PutTopic(topic, true),
                new Command.SetTopicRoutes(9, topic.routes(), List.of(), 23),
                new Command.DropTopic(9),
                new Command.TrimTopic(9, 1, 100),
                new Command.CommitOffset(9, "g1", 1, 50, 13),
                new Command.AckOffsets(9, "g1", 1, List.of(52L, 51L, 60L), 21),
                new Command.PutUser(user, true),
                new Command.SetUserPassword("bob", "$2a$04$other", 14),
                new Command.SetUserRole("bob", Role.DBA, 15),
                new Command.SetUserEmail("bob", null, 16),
                new Command.DropUser("bob", 17),
                new Command.SetUserLock("bob", 253_402_300_799_999_000L, 18),
                new Command.RecordLoginFailure("bob", 19, 5, 900_000_000L),
                new Command.RecordLoginSuccess("bob", 20, 7))) {
            all.put(c.getClass(), c);
        }
        return all;
    }

    @Test
    void everyCommandRecordHasItsGoldenBytes() throws IOException {
        Map<String, String> golden = golden();
        Map<Class<?>, Command> commands = oneOfEach();
        List<String> missing = new java.util.ArrayList<>();
        for (Class<?> type : Command.class.getPermittedSubclasses()) {
            assertNotNull(commands.get(type), "no instance of " + type.getSimpleName() + " in this test");
            String expected = golden.get(type.getSimpleName());
            String actual = new String(CommandCodec.encode(commands.get(type)), StandardCharsets.UTF_8);
            if (expected == null) {
                missing.add(type.getSimpleName() + " " + actual);
            } else {
                assertEquals(expected, actual, type.getSimpleName());
            }
        }
        assertEquals(List.of(), missing, "records without a line in golden/commands.txt (their bytes are shown)");
        assertEquals(Command.class.getPermittedSubclasses().length, golden.size(), "one golden line per record");
    }

    @Test
    void goldenBytesDecodeToTheCommands() throws IOException {
        Map<String, String> golden = golden();
        for (Command c : oneOfEach().values()) {
            Command back = CommandCodec.decode(golden.get(c.getClass().getSimpleName())
                    .getBytes(StandardCharsets.UTF_8));
            if (c instanceof Command.Rows rows) {
                List<RowOp> ops = assertInstanceOf(Command.Rows.class, back).ops();
                assertEquals(rows.ops().size(), ops.size());
                for (int i = 0; i < ops.size(); i++) {
                    RowOp a = rows.ops().get(i);
                    RowOp b = ops.get(i);
                    assertEquals(List.of(a.kind(), a.tableId(), a.partition()), List.of(b.kind(), b.tableId(),
                            b.partition()));
                    assertArrayEquals(a.pk(), b.pk());
                    assertArrayEquals(a.row(), b.row());
                    assertArrayEquals(a.oldPk(), b.oldPk());
                    assertEquals(a.expectedSeq(), b.expectedSeq());
                }
            } else {
                assertEquals(c, back);
            }
        }
    }

    @Test
    void rowOpKindsAreWrittenByName() {
        // the log writes enum names, which are stable under reordering; the names are therefore frozen too
        assertEquals(List.of("INSERT", "UPDATE", "SOFT_DELETE", "HARD_DELETE"),
                Arrays.stream(RowOp.Kind.values()).map(Enum::name).toList());
    }

    private static Map<String, String> golden() throws IOException {
        try (InputStream in = CommandCodecGoldenTest.class.getResourceAsStream("/golden/commands.txt")) {
            assertNotNull(in, "golden/commands.txt");
            Map<String, String> lines = new TreeMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    int space = line.indexOf(' ');
                    lines.put(line.substring(0, space), line.substring(space + 1));
                }
            }
            return lines;
        }
    }
}
