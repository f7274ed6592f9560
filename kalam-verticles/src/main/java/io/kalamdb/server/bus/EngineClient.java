package io.kalamdb.server.bus;

import io.kalamdb.engine.api.Principal;
import io.kalamdb.engine.api.SqlRequest;
import io.kalamdb.engine.api.LoginRequest;
import io.kalamdb.engine.api.SetupRequest;
import io.kalamdb.engine.api.TopicAckRequest;
import io.kalamdb.engine.api.TopicConsumeRequest;
import io.kalamdb.engine.api.TopicConsumeReply;
import io.kalamdb.engine.api.LiveSubscribeRequest;
import io.kalamdb.engine.api.LiveNextBatchRequest;
import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.live.Subscription;
import io.kalamdb.server.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;

import java.util.List;

/**
 * The typed way for an event-loop handler to call the engine worker over the event bus. Every failure comes
 * back as a failed future holding a {@link KalamException}.
 */
public final class EngineClient {
    /** Generous: a statement may wait for a flush or a large batch; the HTTP client can time out earlier. */
    public static final long REQUEST_TIMEOUT_MS = 300_000;

    private final EventBus bus;
    private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS);

    public EngineClient(EventBus bus) {
        this.bus = requireNonNull(bus, "bus is null");
    }

    public Future<List<StatementResult>> execute(SqlRequest request) {
        return this.<SqlReply>request(Addresses.SQL_EXECUTE, request).map(SqlReply::results);
    }

    public Future<TopicConsumeReply> consume(TopicConsumeRequest request) {
        return request(Addresses.TOPIC_CONSUME, request);
    }

    public Future<Long> ack(TopicAckRequest request) {
        return request(Addresses.TOPIC_ACK, request);
    }

    /** Subscribes; the sink has had the first page when the future completes (see {@code LiveQueryRegistry}). */
    public Future<Subscription> subscribe(LiveSubscribeRequest request) {
        return request(Addresses.LIVE_SUBSCRIBE, request);
    }

    public Future<Void> nextBatch(LiveNextBatchRequest request) {
        return request(Addresses.LIVE_NEXT_BATCH, request);
    }

    public Future<Void> unsubscribe(Subscription subscription) {
        return request(Addresses.LIVE_UNSUBSCRIBE, subscription);
    }

    public Future<UserRecord> login(LoginRequest request) {
        return request(Addresses.AUTH_LOGIN, request);
    }

    public Future<UserRecord> verify(Principal principal) {
        return request(Addresses.AUTH_VERIFY, principal);
    }

    public Future<Boolean> needsSetup() {
        return request(Addresses.AUTH_NEEDS_SETUP, null);
    }

    public Future<UserRecord> setup(SetupRequest request) {
        return request(Addresses.AUTH_SETUP, request);
    }

    private <T> Future<T> request(String address, Object body) {
        return bus.<T>request(address, body, options).transform(ar -> ar.succeeded()
                ? Future.succeededFuture(ar.result().body())
                : Future.failedFuture(unwrap(ar.cause())));
    }

    /** The {@link KalamException} behind an event-bus failure. */
    public static KalamException unwrap(Throwable failure) {
        if (failure instanceof EngineFailure engineFailure) {
            return engineFailure.error();
        }
        if (failure instanceof KalamException kalam) {
            return kalam;
        }
        if (failure instanceof ReplyException reply) {
            return switch (reply.failureType()) {
                case NO_HANDLERS -> new KalamException(KalamErrorCode.SHUTTING_DOWN,
                        "the engine is not available (server starting or shutting down)");
                case TIMEOUT -> new KalamException(KalamErrorCode.INTERNAL_ERROR,
                        "the engine did not answer in time [timeoutMs=" + REQUEST_TIMEOUT_MS + "]");
                case RECIPIENT_FAILURE, ERROR -> KalamException.internal("engine request failed: "
                        + reply.getMessage(), reply);
            };
        }
        return KalamException.internal("engine request failed: " + failure, failure);
    }
}
