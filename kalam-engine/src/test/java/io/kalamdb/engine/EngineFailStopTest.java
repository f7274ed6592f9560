package io.kalamdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.SyncFaultStore;
import io.kalamdb.engine.write.ChangeEvent;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine after an fsync failure (injected by a fake store around the real one): the failing statement and
 * every later one fail with {@code STORAGE_UNAVAILABLE}, including reads answered from memory (the catalog), so
 * nothing applied but never made durable is shown; no change event is published; a restart serves again.
 */
@Timeout(60)
class EngineFailStopTest {
    private static final Session ROOT = new Session("root", Role.SYSTEM);

    @TempDir
    Path dir;

    @Test
    void afterAFailedSyncEveryStatementFailsAndNothingUnsyncedIsShownOrPublished() throws Exception {
        SyncFaultStore[] store = new SyncFaultStore[1];
        KalamEngine engine = KalamEngine.open(config(), real -> store[0] = new SyncFaultStore(real));
        List<ChangeEvent> published = new CopyOnWriteArrayList<>();
        engine.addChangeListener(published::addAll);
        try {
            sql(engine, "CREATE NAMESPACE app; CREATE TABLE app.t (id BIGINT PRIMARY KEY, v TEXT) "
                    + "WITH (TYPE='SHARED')");
            sql(engine, "INSERT INTO app.t (id, v) VALUES (1, 'durable')");
            assertEquals(1, published.size());
            assertTrue(engine.storageFailure().isEmpty());

            store[0].failSyncsFrom(store[0].syncs() + 1);
            assertStopped(() -> sql(engine, "CREATE USER 'eve' WITH PASSWORD 'EvePass123!' ROLE user"));
            assertEquals(KalamErrorCode.STORAGE_UNAVAILABLE, engine.storageFailure().orElseThrow().code());

            // eve is in the in-memory catalog (applied) but was never made durable: no one may see her
            assertStopped(() -> sql(engine, "SELECT user_id FROM system.users"));
            assertStopped(() -> sql(engine, "SELECT * FROM app.t"));
            assertStopped(() -> sql(engine, "INSERT INTO app.t (id, v) VALUES (2, 'refused')"));
            ExecutionException async = assertThrows(ExecutionException.class, () -> engine.executeAsync(ROOT,
                    "INSERT INTO app.t (id, v) VALUES (3, 'refused')", List.of(), "default").get(10, TimeUnit.SECONDS));
            assertEquals(KalamErrorCode.STORAGE_UNAVAILABLE,
                    assertInstanceOf(KalamException.class, async.getCause()).code());
            assertEquals(1, published.size(), "nothing published after the failure");
        } finally {
            engine.close();
        }
        try (KalamEngine restarted = KalamEngine.open(config())) {
            List<StatementResult> rows = sql(restarted, "SELECT id, v FROM app.t ORDER BY id");
            assertEquals(1, rows.get(0).rowCount(), "only the acknowledged row");
            assertEquals("durable", rows.get(0).rows().get(0)[1]);
        }
    }

    private static List<StatementResult> sql(KalamEngine engine, String sql) {
        return engine.execute(ROOT, sql, List.of(), "default");
    }

    private static void assertStopped(org.junit.jupiter.api.function.Executable call) {
        KalamException e = assertThrows(KalamException.class, call);
        assertEquals(KalamErrorCode.STORAGE_UNAVAILABLE, e.code(), e.getMessage());
    }

    private EngineConfig config() {
        return EngineConfig.from(Map.of("storage.data_path", dir.toString(), "auth.bcrypt_cost", "4",
                "auth.root_password", "RootPass123!"));
    }
}
