package io.kalamdb.engine.topic;

/**
 * A consume call. {@code partition} null means every partition; {@code group} null means stateless reading.
 * With a group, what a call returns is claimed by {@code consumer} (null: the anonymous consumer) until that
 * consumer acks it or the visibility timeout passes; {@code autoCommit} (SQL CONSUME with GROUP) acknowledges
 * exactly the returned messages at once. {@code claim} is kept for callers that say so explicitly; a group's
 * fetch always claims.
 */
public record ConsumeRequest(String topic, String group, Integer partition, Start start, long startOffset, int limit,
                             boolean claim, boolean autoCommit, String consumer) {

    /** A call by the anonymous consumer. */
    public ConsumeRequest(String topic, String group, Integer partition, Start start, long startOffset, int limit,
                          boolean claim, boolean autoCommit) {
        this(topic, group, partition, start, startOffset, limit, claim, autoCommit, null);
    }

    /** The same call made by {@code consumer}. */
    public ConsumeRequest withConsumer(String consumer) {
        return new ConsumeRequest(topic, group, partition, start, startOffset, limit, claim, autoCommit, consumer);
    }

    /** Where a group without a committed offset starts. */
    public enum Start { EARLIEST, LATEST, OFFSET }
}
