package io.kalamdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.api.KalamService;
import io.kalamdb.engine.api.Principal;
import io.kalamdb.engine.api.RowBatch;
import io.kalamdb.engine.api.ScanCursor;
import io.kalamdb.engine.api.ScanRequest;
import io.kalamdb.engine.api.SqlRequest;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.server.bus.EventBusKalamService;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan API of the real server through its event-bus proxy: the cursor opened by the binder verticle is read
 * batch by batch from a plain thread, while the same SELECT through {@code execute} is cut by the response budget.
 */
class ScanOverEventBusIT {
    private static final int ROWS = 2_000;
    private static final Session ROOT = new Session("root", Role.SYSTEM);

    @TempDir
    Path dir;

    @Test
    void aScanThroughTheProxyReadsEveryRowInBoundedBatches() throws Exception {
        Map<String, String> values = new HashMap<>(KalamServerIT.config(dir.resolve("data"), 0).values());
        values.put("limits.max_result_bytes", "1024");
        values.put("rate_limit.max_queries_per_sec", "0");
        try (KalamServer server = Futures.await(KalamServer.start(ServerConfig.of(values)))) {
            server.engine().execute(ROOT, "CREATE NAMESPACE app; CREATE USER 'alice' WITH PASSWORD "
                    + "'StrongPass123!' ROLE user; CREATE TABLE app.log (id BIGINT PRIMARY KEY, line TEXT) "
                    + "WITH (TYPE='SHARED', ACCESS_LEVEL='PUBLIC')", List.of(), "default");
            for (int start = 0; start < ROWS; start += 400) {
                StringBuilder insert = new StringBuilder("INSERT INTO app.log (id, line) VALUES ");
                for (int id = start; id < start + 400; id++) {
                    insert.append(id == start ? "" : ", ").append('(').append(id).append(", '")
                            .append("line ".repeat(20)).append("')");
                }
                server.engine().execute(ROOT, insert.toString(), List.of(), "default");
            }
            KalamService service = new EventBusKalamService(server.vertx().eventBus());
            Principal root = new Principal("root", Role.SYSTEM,
                    server.engine().users().find("root").orElseThrow().tokenGeneration());

            StatementResult capped = await(service.execute(new SqlRequest(root, "SELECT id, line FROM app.log",
                    List.of(), "default"))).get(0);
            assertTrue(capped.truncated() && capped.rows().size() < 20, "cut: " + capped.rows().size());

            BitSet seen = new BitSet(ROWS);
            try (ScanCursor cursor = await(service.openScan(new ScanRequest(root, "SELECT id, line FROM app.log",
                    List.of(), "default")))) {
                RowBatch batch;
                do {
                    batch = await(cursor.nextBatch(100));
                    assertTrue(batch.rows().size() <= 100, "batch of " + batch.rows().size());
                    for (Object[] row : batch.rows()) {
                        int id = ((Long) row[0]).intValue();
                        assertFalse(seen.get(id), "row " + id + " came twice");
                        seen.set(id);
                    }
                } while (!batch.isLast());
            }
            assertEquals(ROWS, seen.cardinality());

            Principal alice = new Principal("alice", Role.USER);
            ExecutionException refused = assertThrows(ExecutionException.class, () -> service.openScan(
                    new ScanRequest(alice, "SELECT * FROM system.users", List.of(), "default"))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertEquals(KalamErrorCode.PERMISSION_DENIED,
                    assertInstanceOf(KalamException.class, refused.getCause()).code());
        }
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
