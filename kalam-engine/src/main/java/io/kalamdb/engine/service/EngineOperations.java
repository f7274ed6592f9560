package io.kalamdb.engine.service;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.KalamEngine;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.auth.UserService;
import io.kalamdb.engine.live.LiveSink;
import io.kalamdb.engine.live.SubscribeOptions;
import io.kalamdb.engine.live.Subscription;
import io.kalamdb.engine.sql.QueryStream;
import io.kalamdb.engine.topic.TopicService;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The engine operations {@link LocalKalamService} calls once a caller is resolved and authorised. In production
 * it is {@link KalamEngine} ({@link #of}); tests of the server layers plug a fake in. Blocking unless said.
 */
public interface EngineOperations {

    /** Runs a batch; see {@link KalamEngine#execute}. */
    List<StatementResult> execute(Session session, String sql, List<Object> params, String defaultNamespace);

    /**
     * Runs a batch; a single write completes when it is durable without holding the calling thread (see
     * {@link KalamEngine#executeAsync}). Parsing and planning happen on the calling thread.
     */
    default CompletableFuture<List<StatementResult>> executeAsync(Session session, String sql, List<Object> params,
                                                                  String defaultNamespace) {
        try {
            return CompletableFuture.completedFuture(execute(session, sql, params, defaultNamespace));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    UserService users();

    /** Topic consumption and acks. */
    default TopicService topics() {
        throw new UnsupportedOperationException("topics are not available in this engine");
    }

    /** Registers a live subscription and sends its first page to the sink before returning. */
    default Subscription subscribe(Session session, String connectionId, String subscriptionId, String sql,
                                   SubscribeOptions options, LiveSink sink) {
        throw new UnsupportedOperationException("live queries are not available in this engine");
    }

    /** Sends a subscription's next page of initial data to its sink. */
    default void nextBatch(Subscription subscription, Long lastSeqId) {
        throw new UnsupportedOperationException("live queries are not available in this engine");
    }

    /** Ends a live subscription; idempotent. */
    default void unsubscribe(Subscription subscription) {
        throw new UnsupportedOperationException("live queries are not available in this engine");
    }

    /** Opens one SELECT as an uncapped stream; see {@link KalamEngine#openQuery}. */
    default QueryStream openQuery(Session session, String sql, List<Object> params, String defaultNamespace) {
        throw new UnsupportedOperationException("scans are not available in this engine");
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
            public CompletableFuture<List<StatementResult>> executeAsync(Session session, String sql,
                                                                         List<Object> params,
                                                                         String defaultNamespace) {
                return engine.executeAsync(session, sql, params, defaultNamespace);
            }

            @Override
            public UserService users() {
                return engine.users();
            }

            @Override
            public TopicService topics() {
                return engine.topics();
            }

            @Override
            public Subscription subscribe(Session session, String connectionId, String subscriptionId, String sql,
                                          SubscribeOptions options, LiveSink sink) {
                return engine.live().subscribe(session, connectionId, subscriptionId, sql, options, sink);
            }

            @Override
            public void nextBatch(Subscription subscription, Long lastSeqId) {
                engine.live().nextBatch(subscription, lastSeqId);
            }

            @Override
            public void unsubscribe(Subscription subscription) {
                engine.live().unsubscribe(subscription);
            }

            @Override
            public QueryStream openQuery(Session session, String sql, List<Object> params, String defaultNamespace) {
                return engine.openQuery(session, sql, params, defaultNamespace);
            }
        };
    }
}
