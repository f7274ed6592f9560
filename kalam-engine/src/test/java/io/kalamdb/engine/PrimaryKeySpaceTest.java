package io.kalamdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.RowCodec;
import io.kalamdb.engine.hot.Space;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Primary-key uniqueness through SQL on a real engine when rows have left the hot store (what a flush to the cold
 * tier will do): INSERT of a key whose row is gone from the hot store is still refused, also after a restart, and
 * a soft-deleted key is free again (ADR 0018).
 */
@Timeout(60)
class PrimaryKeySpaceTest {
    private static final Session ROOT = new Session("root", Role.SYSTEM);

    @TempDir
    Path dir;

    private HotStore store;

    private KalamEngine open() {
        return KalamEngine.open(EngineConfig.from(Map.of("storage.data_path", dir.toString(), "auth.bcrypt_cost",
                "4", "auth.root_password", "RootPass123!")), real -> store = real);
    }

    private static List<StatementResult> sql(KalamEngine engine, String sql) {
        return engine.execute(ROOT, sql, List.of(), "default");
    }

    private static List<Long> ids(KalamEngine engine) {
        List<Long> ids = new ArrayList<>();
        for (Object[] row : sql(engine, "SELECT id FROM app.t ORDER BY id").get(0).rows()) {
            ids.add(((Number) row[0]).longValue());
        }
        return ids;
    }

    /** Removes a row and its seq-index entry from the hot store, as a flush does once the row is in the cold tier. */
    private void flushOut(KalamEngine engine, long id) {
        TableDef t = engine.catalog().table("app", "t");
        byte[] key = KeyCodec.rowKey(KeyCodec.partitionPrefix(t.id(), ""), KeyCodec.encodePk(KalamType.BIGINT, id));
        byte[] row = store.get(Space.ROWS, key);
        try (HotStore.Batch batch = store.newBatch()) {
            batch.delete(Space.ROWS, key);
            batch.delete(Space.SEQ_INDEX, KeyCodec.seqKey(KeyCodec.partitionPrefix(t.id(), ""), RowCodec.seqOf(row)));
            store.write(batch);
        }
    }

    private static void assertPkViolation(KalamEngine engine, String sql) {
        KalamException e = assertThrows(KalamException.class, () -> sql(engine, sql));
        assertTrue(e.getMessage().contains("Primary key violation"), e.getMessage());
    }

    @Test
    void aKeyWhoseRowLeftTheHotStoreIsStillTaken() {
        KalamEngine engine = open();
        try {
            sql(engine, "CREATE NAMESPACE app; CREATE TABLE app.t (id BIGINT PRIMARY KEY, v TEXT) "
                    + "WITH (TYPE='SHARED')");
            sql(engine, "INSERT INTO app.t (id, v) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
            flushOut(engine, 1);
            assertEquals(List.of(2L, 3L), ids(engine), "the row is gone from the hot store");
            assertPkViolation(engine, "INSERT INTO app.t (id, v) VALUES (1, 'again')");
            assertPkViolation(engine, "UPDATE app.t SET id = 1 WHERE id = 2");
            sql(engine, "DELETE FROM app.t WHERE id = 3");
            sql(engine, "INSERT INTO app.t (id, v) VALUES (3, 'new')");
            assertEquals(List.of(2L, 3L), ids(engine), "a soft-deleted key is free for a new row");
        } finally {
            engine.close();
        }
        engine = open();
        try {
            assertPkViolation(engine, "INSERT INTO app.t (id, v) VALUES (1, 'after restart')");
            assertPkViolation(engine, "INSERT INTO app.t (id, v) VALUES (3, 'taken again')");
            sql(engine, "INSERT INTO app.t (id, v) VALUES (4, 'd')");
            assertEquals(List.of(2L, 3L, 4L), ids(engine));
        } finally {
            engine.close();
        }
    }
}
