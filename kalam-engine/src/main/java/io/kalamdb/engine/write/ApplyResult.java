package io.kalamdb.engine.write;

import java.util.List;

/** What applying one command did: affected row counts and the change events to publish once durable. */
public record ApplyResult(int inserted, int updated, int deleted, List<ChangeEvent> events,
                          java.util.Set<Long> topics) {

    public static final ApplyResult EMPTY = new ApplyResult(0, 0, 0, List.of(), java.util.Set.of());
}
