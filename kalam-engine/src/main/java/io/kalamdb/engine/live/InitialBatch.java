package io.kalamdb.engine.live;

import java.util.List;
import java.util.Map;

/**
 * One page of a subscription's initial rows (objects keyed by column name, stored representation), with
 * the batch control of the protocol: status {@code loading}, {@code loading_batch} or {@code ready}.
 */
public record InitialBatch(List<Map<String, Object>> rows, int batchNum, boolean hasMore, Long lastSeqId) {

    public String status() {
        if (!hasMore) {
            return "ready";
        }
        return batchNum == 0 ? "loading" : "loading_batch";
    }
}
