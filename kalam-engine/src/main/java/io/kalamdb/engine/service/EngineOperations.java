package io.kalamdb.engine.service;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.KalamEngine;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.auth.UserService;

import java.util.List;

/**
 * What the engine worker calls: SQL execution and the user service. In production it is {@link KalamEngine}
 * ({@link #of}); tests of the server layers plug a fake in.
 */
public interface EngineOperations {

    /** Runs a batch; see {@link KalamEngine#execute}. Blocking. */
    List<StatementResult> execute(Session session, String sql, List<Object> params, String defaultNamespace);

    /**
     * Runs a batch; a single write completes when it is durable without holding the calling thread (see
     * {@link KalamEngine#executeAsync}). Parsing and planning happen on the calling thread.
     */
    default java.util.concurrent.CompletableFuture<List<StatementResult>> executeAsync(Session session, String sql,
            List<Object> params, String defaultNamespace) {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(
                    execute(session, sql, params, defaultNamespace));
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    UserService users();

    /** Topic consumption and acks. */
    default io.kalamdb.engine.topic.TopicService topics() {
        throw new UnsupportedOperationException("topics are not available in this engine");
    }

    /**
     * Registers a live subscription and sends its first page to the sink before returning; see
     * {@link io.kalamdb.engine.live.LiveQueryRegistry#subscribe}. Blocking.
     */
    default io.kalamdb.engine.live.Subscription subscribe(Session session, String connectionId, String subscriptionId,
            String sql, io.kalamdb.engine.live.SubscribeOptions options, io.kalamdb.engine.live.LiveSink sink) {
        throw new UnsupportedOperationException("live queries are not available in this engine");
    }

    /** Sends a subscription's next page of initial data to its sink. Blocking. */
    default void nextBatch(io.kalamdb.engine.live.Subscription subscription, Long lastSeqId) {
        throw new UnsupportedOperationException("live queries are not available in this engine");
    }

    /** Ends a live subscription; idempotent. */
    default void unsubscribe(io.kalamdb.engine.live.Subscription subscription) {
        throw new UnsupportedOperationException("live queries are not available in this engine");
    }

    static EngineOperations of(KalamEngine engine) {
        requireNonNull(engine, "engine is null");
        return new EngineOperations() {
            @Override
            public List<StatementResult> execute(Session session, String sql, List<Object> params,
                                                 String defaultNamespace) {
                return engine.execute(session, sql, params, defaultNamespace);
            }

            @Override
            public java.util.concurrent.CompletableFuture<List<StatementResult>> executeAsync(Session session,
                    String sql, List<Object> params, String defaultNamespace) {
                return engine.executeAsync(session, sql, params, defaultNamespace);
            }

            @Override
            public UserService users() {
                return engine.users();
            }

            @Override
            public io.kalamdb.engine.topic.TopicService topics() {
                return engine.topics();
            }

            @Override
            public io.kalamdb.engine.live.Subscription subscribe(Session session, String connectionId,
                    String subscriptionId, String sql, io.kalamdb.engine.live.SubscribeOptions options,
                    io.kalamdb.engine.live.LiveSink sink) {
                return engine.live().subscribe(session, connectionId, subscriptionId, sql, options, sink);
            }

            @Override
            public void nextBatch(io.kalamdb.engine.live.Subscription subscription, Long lastSeqId) {
                engine.live().nextBatch(subscription, lastSeqId);
            }

            @Override
            public void unsubscribe(io.kalamdb.engine.live.Subscription subscription) {
                engine.live().unsubscribe(subscription);
            }
        };
    }
}
