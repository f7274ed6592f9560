package io.kalamdb.engine.live;

/**
 * Options of a subscription: page size of the initial data, the newest N rows only, or resume after a
 * {@code _seq} (precedence: {@code from}, then {@code lastRows}, then plain paging).
 */
public record SubscribeOptions(Integer lastRows, Integer batchSize, Long from) {
    public static final int DEFAULT_BATCH_SIZE = 1000;

    public static SubscribeOptions defaults() {
        return new SubscribeOptions(null, null, null);
    }

    public int effectiveBatchSize() {
        return batchSize == null ? DEFAULT_BATCH_SIZE : batchSize;
    }
}
