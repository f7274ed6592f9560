package io.kalamdb.server.bus;

import static java.util.Objects.requireNonNull;

/** One {@code POST /v1/api/topics/ack} call: commit {@code offset} for a group on a partition. */
public record TopicAckRequest(TokenPrincipal principal, String topic, String group, int partition, long offset) {

    public TopicAckRequest {
        requireNonNull(principal, "principal is null");
        requireNonNull(topic, "topic is null");
    }
}
