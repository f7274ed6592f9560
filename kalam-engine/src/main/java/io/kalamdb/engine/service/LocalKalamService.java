package io.kalamdb.engine.service;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementControl;
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
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.live.Subscription;
import io.kalamdb.engine.sql.Authorizer;
import io.kalamdb.engine.sql.QueryStream;
import io.kalamdb.engine.topic.ConsumeResult;
import io.kalamdb.engine.topic.TopicService;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process {@link KalamService}: resolves each principal into a session against the stored user, authorises
 * the operation (statements on their plans, topic calls by role), applies the role's statement timeout and runs
 * the blocking engine work on the executor it is given. Every failure completes the stage with a
 * {@link KalamException}; anything else that escapes becomes {@code INTERNAL_ERROR}.
 */
public final class LocalKalamService implements KalamService {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKalamService.class);

    private final EngineOperations engine;
    private final Executor executor;
    private final ToLongFunction<Role> statementTimeoutMs;
    private final SessionResolver sessions;

    public LocalKalamService(EngineOperations engine, Executor executor, ToLongFunction<Role> statementTimeoutMs) {
        this(engine, executor, statementTimeoutMs, LocalKalamService::nowMicros);
    }

    /** As above, with the clock that account locks are compared with. */
    public LocalKalamService(EngineOperations engine, Executor executor, ToLongFunction<Role> statementTimeoutMs,
                             LongSupplier nowMicros) {
        this.engine = requireNonNull(engine, "engine is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.statementTimeoutMs = requireNonNull(statementTimeoutMs, "statementTimeoutMs is null");
        this.sessions = new SessionResolver(engine.users(), nowMicros);
    }

    @Override
    public CompletionStage<List<StatementResult>> execute(SqlRequest request) {
        requireNonNull(request, "request is null");
        CompletableFuture<List<StatementResult>> reply = new CompletableFuture<>();
        submit(reply, () -> {
            CompletableFuture<List<StatementResult>> results;
            try {
                request.control().check(); // cancelled while it waited for a thread
                Session session = sessions.session(request.principal());
                StatementControl control = request.control().startTimer(timeoutMs(session));
                results = control.run(() -> engine.executeAsync(session, request.sql(), request.params(),
                        request.namespace()));
            } catch (RuntimeException | Error e) {
                // whatever fails (an assertion inside a library, a deep recursion), the request is answered
                results = CompletableFuture.failedFuture(e);
            }
            // a single write completes on the write log's thread once durable: the executor's thread is free
            results.whenComplete((list, failure) -> complete(reply, list, failure));
        });
        return reply;
    }

    @Override
    public CompletionStage<ScanCursor> openScan(ScanRequest request) {
        requireNonNull(request, "request is null");
        return call(() -> {
            request.control().check();
            Session session = sessions.session(request.principal());
            StatementControl control = request.control().startTimer(timeoutMs(session));
            QueryStream stream = control.run(() -> engine.openQuery(session, request.sql(), request.params(),
                    request.namespace()));
            return new LocalScanCursor(stream, control, executor);
        });
    }

    @Override
    public CompletionStage<TopicConsumeReply> consume(TopicConsumeRequest request) {
        requireNonNull(request, "request is null");
        return call(() -> {
            Authorizer.requireConsumer(sessions.session(request.principal()));
            TopicService topics = engine.topics();
            // registered before the read, so that a message appended in between is not missed
            CompletableFuture<Void> next = request.waitForMessages()
                    ? topics.onAppend(topics.topic(request.request().topic()).id()) : null;
            ConsumeResult result = topics.consume(request.request().withConsumer(consumer(request.principal(),
                    request.request().consumer())));
            if (next != null && !result.messages().isEmpty()) {
                next.cancel(false);
                next = null;
            }
            return new TopicConsumeReply(result, next);
        });
    }

    @Override
    public CompletionStage<Long> ack(TopicAckRequest request) {
        requireNonNull(request, "request is null");
        return call(() -> {
            Authorizer.requireConsumer(sessions.session(request.principal()));
            return engine.topics().ack(request.topic(), request.group(), consumer(request.principal(),
                    request.consumer()), request.partition(), request.offset());
        });
    }

    @Override
    public CompletionStage<Subscription> subscribe(LiveSubscribeRequest request) {
        requireNonNull(request, "request is null");
        return call(() -> {
            Session session = sessions.session(request.principal());
            // the initial rows are a query like any other: the role's statement timeout bounds it
            StatementControl control = new StatementControl().startTimer(timeoutMs(session));
            return control.run(() -> engine.subscribe(session, request.connectionId(), request.subscriptionId(),
                    request.sql(), request.options(), request.sink()));
        });
    }

    @Override
    public CompletionStage<Void> nextBatch(LiveNextBatchRequest request) {
        requireNonNull(request, "request is null");
        return call(() -> {
            engine.nextBatch(request.subscription(), request.lastSeqId());
            return null;
        });
    }

    @Override
    public CompletionStage<Void> unsubscribe(Subscription subscription) {
        requireNonNull(subscription, "subscription is null");
        return call(() -> {
            engine.unsubscribe(subscription);
            return null;
        });
    }

    @Override
    public CompletionStage<UserRecord> login(LoginRequest request) {
        requireNonNull(request, "request is null");
        return call(() -> engine.users().authenticate(request.userId(), request.password()));
    }

    @Override
    public CompletionStage<UserRecord> verify(Principal principal) {
        requireNonNull(principal, "principal is null");
        return call(() -> sessions.verify(principal));
    }

    @Override
    public CompletionStage<Boolean> needsSetup() {
        return call(() -> engine.users().needsSetup());
    }

    @Override
    public CompletionStage<UserRecord> setup(SetupRequest request) {
        requireNonNull(request, "request is null");
        return call(() -> engine.users().setup(request.userId(), request.password(), request.rootPassword(),
                request.email()));
    }

    /** The consumer a topic call speaks for: its {@code consumer_id}, else one consumer per user. */
    private static String consumer(Principal principal, String consumerId) {
        return consumerId != null ? "id:" + consumerId : "user:" + principal.userId();
    }

    private long timeoutMs(Session session) {
        return statementTimeoutMs.applyAsLong(session.role());
    }

    /** Runs {@code work} on the executor; its value or failure completes the stage. */
    private <T> CompletionStage<T> call(Supplier<T> work) {
        CompletableFuture<T> reply = new CompletableFuture<>();
        submit(reply, () -> {
            T value;
            try {
                value = work.get();
            } catch (RuntimeException | Error e) {
                complete(reply, null, e);
                return;
            }
            reply.complete(value);
        });
        return reply;
    }

    private void submit(CompletableFuture<?> reply, Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            reply.completeExceptionally(new KalamException(KalamErrorCode.SHUTTING_DOWN,
                    "the engine is not available (server starting or shutting down)", e));
        }
    }

    private static <T> void complete(CompletableFuture<T> reply, T value, Throwable failure) {
        if (failure == null) {
            reply.complete(value);
        } else {
            reply.completeExceptionally(asKalam(failure));
        }
    }

    /** The failure as the caller sees it: a {@link KalamException}, never a wrapper or a raw library error. */
    static KalamException asKalam(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof KalamException k) {
            return k;
        }
        // the front end logs it with its stack where the client is answered, under the reference it is given
        LOG.debug("engine call failed", cause);
        return KalamException.internal("engine call failed", cause);
    }

    private static long nowMicros() {
        return io.kalamdb.engine.util.Clocks.system().millis() * 1000L;
    }
}
