package io.kalamdb.engine.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.StatementControl;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.api.KalamService;
import io.kalamdb.engine.api.Principal;
import io.kalamdb.engine.api.RowBatch;
import io.kalamdb.engine.api.ScanCursor;
import io.kalamdb.engine.api.ScanRequest;
import io.kalamdb.engine.api.SqlRequest;
import io.kalamdb.engine.api.TopicAckRequest;
import io.kalamdb.engine.api.TopicConsumeRequest;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.topic.ConsumeRequest;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-process engine API over a real engine: uncapped scans in bounded batches, authorisation of scans and topic
 * calls inside the engine, and the session checks every call goes through.
 */
class LocalKalamServiceTest {
    /** The smallest response budget the engine accepts: the table below is hundreds of times larger. */
    private static final int RESPONSE_BUDGET_BYTES = 1024;
    private static final int ROWS = 3_000;
    private static final Principal ROOT = new Principal("root", Role.SYSTEM);
    private static final Principal ALICE = new Principal("alice", Role.USER);
    private static final Principal SERVICE = new Principal("svc", Role.SERVICE);

    private EngineFixture fx;
    private ExecutorService executor;
    private KalamService service;

    @BeforeEach
    void open() {
        fx = new EngineFixture(Map.of("limits.max_result_bytes", Integer.toString(RESPONSE_BUDGET_BYTES)));
        executor = Executors.newFixedThreadPool(4);
        service = io.kalamdb.engine.KalamServices.local(fx.engine(), executor, role -> 0L);
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE app; CREATE USER 'alice' WITH PASSWORD 'StrongPass123!' ROLE user; "
                + "CREATE USER 'svc' WITH PASSWORD 'StrongPass123!' ROLE service; "
                + "CREATE TABLE app.big (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE='SHARED', "
                + "ACCESS_LEVEL='PUBLIC')");
        String body = "x".repeat(200);
        for (int start = 0; start < ROWS; start += 500) {
            StringBuilder insert = new StringBuilder("INSERT INTO app.big (id, body) VALUES ");
            for (int id = start; id < start + 500; id++) {
                insert.append(id == start ? "" : ", ").append('(').append(id).append(", '").append(body).append("')");
            }
            fx.sql(EngineFixture.ROOT, insert.toString());
        }
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
        fx.close();
    }

    @Test
    void aScanStreamsEveryRowOfATableFarLargerThanTheResponseBudgetExactlyOnce() {
        StatementResult capped = await(service.execute(new SqlRequest(ROOT, "SELECT id, body FROM app.big",
                List.of(), "default"))).get(0);
        assertTrue(capped.truncated(), "the response budget cuts the same SELECT");
        assertTrue(capped.rows().size() < ROWS / 100, "cut to a few rows: " + capped.rows().size());

        int maxRows = 128;
        BitSet seen = new BitSet(ROWS);
        int batches = 0;
        try (ScanCursor cursor = await(service.openScan(new ScanRequest(ROOT, "SELECT id, body FROM app.big",
                List.of(), "default")))) {
            assertEquals(List.of("id", "body"), cursor.columns().stream().map(c -> c.name()).toList());
            RowBatch batch;
            do {
                batch = await(cursor.nextBatch(maxRows));
                batches++;
                assertTrue(batch.rows().size() <= maxRows, "batch of " + batch.rows().size());
                for (Object[] row : batch.rows()) {
                    int id = ((Long) row[0]).intValue();
                    assertFalse(seen.get(id), "row " + id + " came twice");
                    seen.set(id);
                    assertEquals(200, ((String) row[1]).length());
                }
            } while (!batch.isLast());
            assertTrue(await(cursor.nextBatch(maxRows)).rows().isEmpty(), "nothing after the last batch");
        }
        assertEquals(ROWS, seen.cardinality());
        assertTrue(batches >= ROWS / maxRows, "read in " + batches + " batches");
    }

    @Test
    void aScanIsAuthorisedOnItsPlan() {
        KalamException direct = failure(service.openScan(new ScanRequest(ALICE, "SELECT * FROM system.users",
                List.of(), "default")));
        assertEquals(KalamErrorCode.PERMISSION_DENIED, direct.code());
        // the system table hides in a subquery: only the plan shows it
        KalamException hidden = failure(service.openScan(new ScanRequest(ALICE, "SELECT id FROM app.big "
                + "WHERE CAST(id AS VARCHAR) IN (SELECT user_id FROM system.users)", List.of(), "default")));
        assertEquals(KalamErrorCode.PERMISSION_DENIED, hidden.code());

        try (ScanCursor allowed = await(service.openScan(new ScanRequest(ALICE, "SELECT id FROM app.big "
                + "WHERE id < 3", List.of(), "default")))) {
            assertEquals(3, await(allowed.nextBatch(10)).rows().size());
        }
    }

    @Test
    void aScanRunsOneSelectOnly() {
        assertEquals(KalamErrorCode.INVALID_INPUT, failure(service.openScan(new ScanRequest(ROOT,
                "DELETE FROM app.big WHERE id = 1", List.of(), "default"))).code());
        assertEquals(KalamErrorCode.INVALID_INPUT, failure(service.openScan(new ScanRequest(ROOT,
                "SELECT 1; SELECT 2", List.of(), "default"))).code());
        // an unknown table fails as the same SELECT of a batch does
        KalamException unknown = failure(service.openScan(new ScanRequest(ROOT, "SELECT * FROM app.nope",
                List.of(), "default")));
        KalamException asSelect = failure(service.execute(new SqlRequest(ROOT, "SELECT * FROM app.nope",
                List.of(), "default")));
        assertEquals(asSelect.code(), unknown.code());
        assertEquals(asSelect.getMessage(), unknown.getMessage());
        assertEquals(1L, fx.one(EngineFixture.ROOT, "SELECT COUNT(*) FROM app.big WHERE id = 1").rows()
                .get(0)[0]);
    }

    @Test
    void cancellingAScanStopsItsNextBatch() {
        StatementControl control = new StatementControl();
        ScanCursor cursor = await(service.openScan(new ScanRequest(ROOT, "SELECT id FROM app.big", List.of(),
                "default", control)));
        assertEquals(10, await(cursor.nextBatch(10)).rows().size());
        control.cancel();
        assertEquals(KalamErrorCode.STATEMENT_CANCELLED, failure(cursor.nextBatch(10)).code());
        cursor.close();
    }

    @Test
    void topicCallsAreAuthorisedInTheEngine() {
        fx.sql(EngineFixture.ROOT, "CREATE TOPIC app.events");
        ConsumeRequest read = new ConsumeRequest("app.events", "g1", null, ConsumeRequest.Start.EARLIEST, 0, 10,
                true, false);
        KalamException consume = failure(service.consume(new TopicConsumeRequest(ALICE, read, false)));
        assertEquals(KalamErrorCode.PERMISSION_DENIED, consume.code());
        KalamException ack = failure(service.ack(new TopicAckRequest(ALICE, "app.events", "g1", 0, 5, null)));
        assertEquals(KalamErrorCode.PERMISSION_DENIED, ack.code());

        var reply = await(service.consume(new TopicConsumeRequest(SERVICE, read, false)));
        assertTrue(reply.result().messages().isEmpty());
        assertNull(reply.newMessages(), "no long poll was asked for");
    }

    @Test
    void everyCallResolvesThePrincipalAgainstTheStoredUser() {
        KalamException stale = failure(service.execute(new SqlRequest(new Principal("alice", Role.USER, 7),
                "SELECT 1", List.of(), "default")));
        assertEquals(KalamErrorCode.INVALID_CREDENTIALS, stale.code());
        KalamException wrongRole = failure(service.openScan(new ScanRequest(new Principal("alice", Role.DBA),
                "SELECT id FROM app.big", List.of(), "default")));
        assertEquals(KalamErrorCode.INVALID_CREDENTIALS, wrongRole.code());
        assertEquals("alice", await(service.verify(ALICE)).id());
        // the session is the stored user's: alice with a role-less token still runs as a user
        StatementResult who = await(service.execute(new SqlRequest(new Principal("alice", null),
                "SELECT COUNT(*) FROM app.big", List.of(), "default"))).get(0);
        assertEquals("alice", who.asUser());
    }

    @Test
    void theStatementTimeoutOfTheSessionsRoleBoundsAScan() {
        // users get 1 ms, everyone else no limit: a scan read one row per batch cannot finish within 1 ms
        KalamService limited = io.kalamdb.engine.KalamServices.local(fx.engine(), executor, role -> role == Role.USER ? 1L : 0L);
        KalamException timedOut = assertThrows(KalamException.class, () -> readAll(limited, ALICE));
        assertEquals(KalamErrorCode.STATEMENT_TIMEOUT, timedOut.code());
        assertEquals(ROWS, readAll(limited, ROOT));
    }

    /** Reads a whole scan of the big table one row per batch; the number of rows read. */
    private static int readAll(KalamService service, Principal who) {
        int rows = 0;
        try (ScanCursor cursor = await(service.openScan(new ScanRequest(who, "SELECT id FROM app.big", List.of(),
                "default")))) {
            RowBatch batch;
            do {
                batch = await(cursor.nextBatch(1));
                rows += batch.rows().size();
            } while (!batch.isLast());
        }
        return rows;
    }

    @Test
    void aRejectedCallFailsWithShuttingDown() {
        executor.shutdownNow();
        assertEquals(KalamErrorCode.SHUTTING_DOWN, failure(service.needsSetup()).code());
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KalamException failure(CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(60, TimeUnit.SECONDS));
        return assertInstanceOf(KalamException.class, e.getCause());
    }
}
