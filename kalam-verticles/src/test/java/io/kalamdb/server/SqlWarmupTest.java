package io.kalamdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kalamdb.engine.KalamEngine;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up warm-up really takes both paths it is meant to warm: one statement plans and runs through Calcite,
 * the others fail in Calcite's validation as a user's mistake would; and it writes nothing.
 */
class SqlWarmupTest {
    @TempDir
    Path dir;

    @Test
    void warmsTheSuccessAndTheErrorPathsAndWritesNothing() throws Exception {
        ServerConfig config = ServerConfig.of(Map.of("storage.data_path", dir.toString(), "auth.bcrypt_cost", "4"));
        try (KalamEngine engine = KalamEngine.open(config.engineConfig())) {
            Session system = new Session("root", Role.SYSTEM);
            List<String> statements = SqlWarmup.STATEMENTS;
            assertEquals(1, engine.execute(system, statements.get(0), List.of(), "default").size());
            List<KalamErrorCode> expected = List.of(KalamErrorCode.TABLE_NOT_FOUND, KalamErrorCode.COLUMN_NOT_FOUND);
            for (int i = 1; i < statements.size(); i++) {
                String failing = statements.get(i);
                KalamException error = assertThrows(KalamException.class,
                        () -> engine.execute(system, failing, List.of(), "default"), failing);
                assertEquals(expected.get(i - 1), error.code(), error.getMessage());
            }
            String before = catalogCounts(engine, system);
            Thread warmup = SqlWarmup.start(engine);
            warmup.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(warmup.isAlive(), "the warm-up ends");
            assertEquals(before, catalogCounts(engine, system));
        }
    }

    private static String catalogCounts(KalamEngine engine, Session system) {
        Object[] row = engine.execute(system, "SELECT (SELECT COUNT(*) FROM system.namespaces), "
                + "(SELECT COUNT(*) FROM system.tables), (SELECT COUNT(*) FROM system.users)", List.of(), "default")
                .get(0).rows().get(0);
        return java.util.Arrays.toString(row);
    }
}
