package io.kalamdb.engine.api;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.live.Subscription;

/**
 * A WebSocket {@code next_batch}: send the subscription's next page of initial data to its sink.
 *
 * @param lastSeqId the client's last seen {@code _seq}, or null to continue after the last page sent
 */
public record LiveNextBatchRequest(Subscription subscription, Long lastSeqId) {

    public LiveNextBatchRequest {
        requireNonNull(subscription, "subscription is null");
    }
}
