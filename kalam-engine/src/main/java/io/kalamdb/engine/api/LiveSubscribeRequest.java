package io.kalamdb.engine.api;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.live.LiveSink;
import io.kalamdb.engine.live.SubscribeOptions;

/**
 * One WebSocket {@code subscribe} for the engine worker: who asks (checked against the stored user first), on
 * which connection, the client's subscription id, the query, its options and where the frames go.
 *
 * @param sink receives the initial pages and the changes on engine threads; it must only enqueue
 */
public record LiveSubscribeRequest(Principal principal, String connectionId, String subscriptionId, String sql,
                                   SubscribeOptions options, LiveSink sink) {

    public LiveSubscribeRequest {
        requireNonNull(principal, "principal is null");
        requireNonNull(connectionId, "connectionId is null");
        requireNonNull(subscriptionId, "subscriptionId is null");
        requireNonNull(sql, "sql is null");
        requireNonNull(options, "options is null");
        requireNonNull(sink, "sink is null");
    }
}
