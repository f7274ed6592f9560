package io.kalamdb.server.engine;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementControl;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.sql.Authorizer;
import io.kalamdb.engine.topic.ConsumeResult;
import io.kalamdb.engine.topic.TopicService;
import io.kalamdb.server.Addresses;
import io.kalamdb.server.bus.EngineFailure;
import io.kalamdb.server.bus.LiveNextBatchRequest;
import io.kalamdb.server.bus.LiveSubscribeRequest;
import io.kalamdb.server.bus.LoginRequest;
import io.kalamdb.server.bus.SetupRequest;
import io.kalamdb.server.bus.SqlReply;
import io.kalamdb.server.bus.SqlRequest;
import io.kalamdb.server.bus.TokenPrincipal;
import io.kalamdb.server.bus.TopicAckRequest;
import io.kalamdb.server.bus.TopicConsumeReply;
import io.kalamdb.server.bus.TopicConsumeRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine worker: consumes the SQL and auth addresses, calls the engine (blocking is fine, it is
 * deployed with the worker threading model) and replies; a failure replies an {@link EngineFailure}.
 * Deployed as N instances: the event bus spreads requests over them, so N statements run at once.
 */
public final class EngineVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(EngineVerticle.class);

    private final EngineOperations engine;
    private final ToLongFunction<Role> statementTimeoutMs;
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();

    /** An engine worker whose statements have no time limit. */
    public EngineVerticle(EngineOperations engine) {
        this(engine, role -> 0L);
    }

    /**
     * @param statementTimeoutMs the time limit of a statement by the role of its session, in milliseconds (0 =
     *                           none); the clock starts when this worker takes the request
     */
    public EngineVerticle(EngineOperations engine, ToLongFunction<Role> statementTimeoutMs) {
        this.engine = requireNonNull(engine, "engine is null");
        this.statementTimeoutMs = requireNonNull(statementTimeoutMs, "statementTimeoutMs is null");
    }

    @Override
    public Future<?> start() {
        SessionResolver sessions = new SessionResolver(engine.users(), EngineVerticle::nowMicros);
        consumers.add(vertx.eventBus().<SqlRequest>consumer(Addresses.SQL_EXECUTE, message -> onAnyWorker(() -> {
            SqlRequest r = message.body();
            java.util.concurrent.CompletableFuture<List<io.kalamdb.engine.StatementResult>> results;
            try {
                r.control().check(); // cancelled while it waited for a worker
                Session session = sessions.session(r.principal());
                StatementControl control = r.control().startTimer(statementTimeoutMs.applyAsLong(session.role()));
                results = control.run(() -> engine.executeAsync(session, r.sql(), r.params(), r.namespace()));
            } catch (RuntimeException | Error e) {
                // whatever fails (an assertion inside a library, a deep recursion), the request is answered
                results = java.util.concurrent.CompletableFuture.failedFuture(e);
            }
            // A single write completes on the write log's thread once durable: reply from there, so this
            // worker is free for the next request meanwhile (Message.reply is thread-safe).
            results.whenComplete((list, failure) -> message.reply(failure == null ? new SqlReply(list)
                    : failureReply(failure)));
        })));
        this.<TopicConsumeRequest>consume(Addresses.TOPIC_CONSUME, r -> consumeTopic(sessions, r));
        this.<TopicAckRequest>consume(Addresses.TOPIC_ACK, r -> {
            Authorizer.requireConsumer(sessions.session(r.principal()));
            return engine.topics().ack(r.topic(), r.group(), consumer(r.principal(), r.consumer()), r.partition(),
                    r.offset());
        });
        this.<LiveSubscribeRequest>consume(Addresses.LIVE_SUBSCRIBE, r -> {
            Session session = sessions.session(r.principal());
            // the initial rows are a query like any other: the role's statement timeout bounds it
            StatementControl control = new StatementControl().startTimer(statementTimeoutMs.applyAsLong(
                    session.role()));
            return control.run(() -> engine.subscribe(session, r.connectionId(), r.subscriptionId(), r.sql(),
                    r.options(), r.sink()));
        });
        this.<LiveNextBatchRequest>consume(Addresses.LIVE_NEXT_BATCH, r -> {
            engine.nextBatch(r.subscription(), r.lastSeqId());
            return null;
        });
        this.<io.kalamdb.engine.live.Subscription>consume(Addresses.LIVE_UNSUBSCRIBE, subscription -> {
            engine.unsubscribe(subscription);
            return null;
        });
        this.<LoginRequest>consume(Addresses.AUTH_LOGIN, r -> engine.users().authenticate(r.userId(), r.password()));
        this.<TokenPrincipal>consume(Addresses.AUTH_VERIFY, sessions::verify);
        this.<Object>consume(Addresses.AUTH_NEEDS_SETUP, ignored -> engine.users().needsSetup());
        this.<SetupRequest>consume(Addresses.AUTH_SETUP, r -> engine.users().setup(r.userId(), r.password(),
                r.rootPassword(), r.email()));
        return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
    }

    private TopicConsumeReply consumeTopic(SessionResolver sessions, TopicConsumeRequest r) {
        Authorizer.requireConsumer(sessions.session(r.principal()));
        TopicService topics = engine.topics();
        CompletableFuture<Void> next = r.waitForMessages()
                ? topics.onAppend(topics.topic(r.request().topic()).id()) : null;
        ConsumeResult result = topics.consume(r.request().withConsumer(consumer(r.principal(),
                r.request().consumer())));
        if (next != null && !result.messages().isEmpty()) {
            next.cancel(false);
            next = null;
        }
        return new TopicConsumeReply(result, next);
    }

    /** The consumer an HTTP topic call speaks for: its {@code consumer_id}, else one consumer per user. */
    private static String consumer(TokenPrincipal principal, String consumerId) {
        return consumerId != null ? "id:" + consumerId : "user:" + principal.userId();
    }

    private static EngineFailure failureReply(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof KalamException k) {
            return new EngineFailure(k);
        }
        // logged with its stack where the client is answered (ClientMessages), under the reference it is given
        return new EngineFailure(KalamException.internal("engine call failed", cause));
    }

    private <T> void consume(String address, Function<T, Object> work) {
        consumers.add(vertx.eventBus().<T>consumer(address, message -> onAnyWorker(() -> {
            Object reply;
            try {
                reply = work.apply(message.body());
            } catch (KalamException e) {
                reply = new EngineFailure(e);
            } catch (RuntimeException | Error e) {
                LOG.error("engine call failed [address={}]", address, e);
                reply = new EngineFailure(KalamException.internal("engine call failed", e));
            }
            message.reply(reply);
        })));
    }

    /**
     * Runs a request on any free thread of the engine pool, not on this instance's ordered context: the event bus
     * hands requests to the instances in turn, so a request queued behind one user's long statement on an ordered
     * context would wait for it although other engine threads are idle.
     */
    private void onAnyWorker(Runnable work) {
        context.executeBlocking(() -> {
            work.run();
            return null;
        }, false);
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }
}
