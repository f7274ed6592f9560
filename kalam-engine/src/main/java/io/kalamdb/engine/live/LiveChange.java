package io.kalamdb.engine.live;

import io.kalamdb.engine.write.ChangeEvent;

import java.util.List;
import java.util.Map;

/**
 * One change for one subscription: {@code rows} (new values) for insert and update, {@code oldValues} for
 * update (changed columns) and delete (the old row). Rows are objects keyed by column name.
 */
public record LiveChange(ChangeEvent.Type type, List<Map<String, Object>> rows, List<Map<String, Object>> oldValues,
                         long seq) {
}
