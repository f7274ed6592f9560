package io.kalamdb.engine.api;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.topic.ConsumeResult;

import java.util.concurrent.CompletableFuture;

/**
 * The messages of a consume call; {@code newMessages} (or null) completes when the topic gets its next message,
 * registered before the read so that nothing appended in between is missed.
 */
public record TopicConsumeReply(ConsumeResult result, CompletableFuture<Void> newMessages) {

    public TopicConsumeReply {
        requireNonNull(result, "result is null");
    }
}
