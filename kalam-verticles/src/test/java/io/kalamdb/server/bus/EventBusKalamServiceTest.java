package io.kalamdb.server.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.api.Principal;
import io.kalamdb.engine.api.RowBatch;
import io.kalamdb.engine.api.ScanCursor;
import io.kalamdb.engine.api.ScanRequest;
import io.kalamdb.engine.api.SqlRequest;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.server.Addresses;
import io.kalamdb.server.Futures;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventBusKalamServiceTest {
    private Vertx vertx;
    private EventBusKalamService client;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        BusCodecs.register(vertx.eventBus());
        client = new EventBusKalamService(vertx.eventBus());
    }

    @AfterEach
    void stop() {
        Futures.await(vertx.close());
    }

    @Test
    void requestsAndRepliesTravelAsTheSameObjects() {
        AtomicReference<SqlRequest> received = new AtomicReference<>();
        List<StatementResult> results = List.of(StatementResult.message("ok", 0, "alice"));
        Futures.await(vertx.eventBus().<SqlRequest>consumer(Addresses.SQL_EXECUTE, message -> {
            received.set(message.body());
            message.reply(new SqlReply(results));
        }).completion());
        SqlRequest request = new SqlRequest(new Principal("alice", Role.USER), "SELECT 1", List.of(), "default");

        assertSame(results, Futures.await(EngineCalls.future(client.execute(request))));
        assertSame(request, received.get());
    }

    @Test
    void engineFailuresKeepTheirCodeAndMessage() {
        KalamException error = KalamException.invalidSql("syntax error [line=1, column=1]");
        Futures.await(vertx.eventBus().consumer(Addresses.AUTH_NEEDS_SETUP,
                message -> message.reply(new EngineFailure(error))).completion());

        assertSame(error, Futures.failure(EngineCalls.future(client.needsSetup())));
    }

    @Test
    void noEngineMeansShuttingDown() {
        assertEquals(KalamErrorCode.SHUTTING_DOWN, Futures.failure(EngineCalls.future(client.needsSetup())).code());
    }

    @Test
    void aScanCursorComesBackByReference() {
        ScanCursor cursor = new ScanCursor() {
            @Override
            public List<ColumnInfo> columns() {
                return List.of();
            }

            @Override
            public CompletionStage<RowBatch> nextBatch(int maxRows) {
                return CompletableFuture.completedFuture(new RowBatch(List.of(), true));
            }

            @Override
            public void close() {
            }
        };
        AtomicReference<ScanRequest> received = new AtomicReference<>();
        Futures.await(vertx.eventBus().<ScanRequest>consumer(Addresses.SCAN_OPEN, message -> {
            received.set(message.body());
            message.reply(new ScanOpened(cursor));
        }).completion());
        ScanRequest request = new ScanRequest(new Principal("svc", Role.SERVICE), "SELECT 1", List.of(), "default");

        assertSame(cursor, Futures.await(EngineCalls.future(client.openScan(request))));
        assertSame(request, received.get());
    }
}
