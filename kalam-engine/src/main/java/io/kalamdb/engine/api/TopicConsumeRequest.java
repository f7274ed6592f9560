package io.kalamdb.engine.api;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.topic.ConsumeRequest;

/**
 * One {@code POST /v1/api/topics/consume} call for the engine worker: who asks, and what. When
 * {@code waitForMessages} is set and nothing is there, the reply carries a future that completes when the
 * topic next gets a message (long poll).
 */
public record TopicConsumeRequest(Principal principal, ConsumeRequest request, boolean waitForMessages) {

    public TopicConsumeRequest {
        requireNonNull(principal, "principal is null");
        requireNonNull(request, "request is null");
    }
}
