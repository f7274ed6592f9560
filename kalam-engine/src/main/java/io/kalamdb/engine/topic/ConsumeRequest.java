package io.kalamdb.engine.topic;

/**
 * A consume call. {@code partition} null means every partition; {@code group} null means stateless reading.
 * {@code claim}: HTTP consumers claim what they get until they ack or the visibility timeout passes;
 * {@code autoCommit}: SQL CONSUME with GROUP commits the last offset it returns.
 */
public record ConsumeRequest(String topic, String group, Integer partition, Start start, long startOffset, int limit,
                             boolean claim, boolean autoCommit) {

    /** Where a group without a committed offset starts. */
    public enum Start { EARLIEST, LATEST, OFFSET }
}
