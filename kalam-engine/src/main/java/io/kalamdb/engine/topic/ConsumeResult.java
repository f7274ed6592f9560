package io.kalamdb.engine.topic;

import java.util.List;

/** Messages of one consume call, the offset to continue from (of the last partition read) and whether more wait. */
public record ConsumeResult(List<TopicMessage> messages, long nextOffset, boolean hasMore) {
}
