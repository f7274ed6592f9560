package io.kalamdb.engine.api;

import static java.util.Objects.requireNonNull;

/**
 * One {@code POST /v1/api/topics/ack} call: acknowledge what {@code consumer} (null: the caller's user) holds of a
 * group's partition up to {@code offset}.
 */
public record TopicAckRequest(Principal principal, String topic, String group, int partition, long offset,
                              String consumer) {

    public TopicAckRequest {
        requireNonNull(principal, "principal is null");
        requireNonNull(topic, "topic is null");
    }
}
