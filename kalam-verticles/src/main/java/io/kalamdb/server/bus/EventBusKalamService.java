package io.kalamdb.server.bus;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.api.KalamService;
import io.kalamdb.engine.api.LiveNextBatchRequest;
import io.kalamdb.engine.api.LiveSubscribeRequest;
import io.kalamdb.engine.api.LoginRequest;
import io.kalamdb.engine.api.Principal;
import io.kalamdb.engine.api.ScanCursor;
import io.kalamdb.engine.api.ScanRequest;
import io.kalamdb.engine.api.SetupRequest;
import io.kalamdb.engine.api.SqlRequest;
import io.kalamdb.engine.api.TopicAckRequest;
import io.kalamdb.engine.api.TopicConsumeReply;
import io.kalamdb.engine.api.TopicConsumeRequest;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.live.Subscription;
import io.kalamdb.server.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The event-bus proxy of {@link KalamService}: each call is a request to its address in {@link Addresses}, answered
 * by {@code KalamServiceVerticle}. Requests and replies travel as the same objects (local codec, no copy); every
 * failure completes the stage with a {@code KalamException} (see {@link EngineCalls#unwrap}).
 */
public final class EventBusKalamService implements KalamService {
    /** Generous: a statement may wait for a flush or a large batch; the HTTP client can time out earlier. */
    public static final long REQUEST_TIMEOUT_MS = 300_000;

    private final EventBus bus;
    private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS);

    public EventBusKalamService(EventBus bus) {
        this.bus = requireNonNull(bus, "bus is null");
    }

    @Override
    public CompletionStage<List<StatementResult>> execute(SqlRequest request) {
        return this.<SqlReply>request(Addresses.SQL_EXECUTE, request).map(SqlReply::results).toCompletionStage();
    }

    @Override
    public CompletionStage<ScanCursor> openScan(ScanRequest request) {
        return this.<ScanOpened>request(Addresses.SCAN_OPEN, request).map(ScanOpened::cursor).toCompletionStage();
    }

    @Override
    public CompletionStage<TopicConsumeReply> consume(TopicConsumeRequest request) {
        return this.<TopicConsumeReply>request(Addresses.TOPIC_CONSUME, request).toCompletionStage();
    }

    @Override
    public CompletionStage<Long> ack(TopicAckRequest request) {
        return this.<Long>request(Addresses.TOPIC_ACK, request).toCompletionStage();
    }

    @Override
    public CompletionStage<Subscription> subscribe(LiveSubscribeRequest request) {
        return this.<Subscription>request(Addresses.LIVE_SUBSCRIBE, request).toCompletionStage();
    }

    @Override
    public CompletionStage<Void> nextBatch(LiveNextBatchRequest request) {
        return this.<Void>request(Addresses.LIVE_NEXT_BATCH, request).toCompletionStage();
    }

    @Override
    public CompletionStage<Void> unsubscribe(Subscription subscription) {
        return this.<Void>request(Addresses.LIVE_UNSUBSCRIBE, subscription).toCompletionStage();
    }

    @Override
    public CompletionStage<UserRecord> login(LoginRequest request) {
        return this.<UserRecord>request(Addresses.AUTH_LOGIN, request).toCompletionStage();
    }

    @Override
    public CompletionStage<UserRecord> verify(Principal principal) {
        return this.<UserRecord>request(Addresses.AUTH_VERIFY, principal).toCompletionStage();
    }

    @Override
    public CompletionStage<Boolean> needsSetup() {
        return this.<Boolean>request(Addresses.AUTH_NEEDS_SETUP, null).toCompletionStage();
    }

    @Override
    public CompletionStage<UserRecord> setup(SetupRequest request) {
        return this.<UserRecord>request(Addresses.AUTH_SETUP, request).toCompletionStage();
    }

    private <T> Future<T> request(String address, Object body) {
        return bus.<T>request(address, body, options).transform(ar -> ar.succeeded()
                ? Future.succeededFuture(ar.result().body())
                : Future.failedFuture(EngineCalls.unwrap(ar.cause())));
    }
}
