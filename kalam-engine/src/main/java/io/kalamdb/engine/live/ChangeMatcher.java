package io.kalamdb.engine.live;

import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.hot.StoredRow;
import io.kalamdb.engine.sql.RowPredicate;
import io.kalamdb.engine.write.ChangeEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a committed row change into the change one subscription sees: filtered by its WHERE and projected to its
 * columns. An update that moves a row into the filter is an insert, one that moves it out is a delete (the row
 * left the result), so a client's view stays exact. Stateless.
 */
final class ChangeMatcher {
    private ChangeMatcher() {
    }

    /** The change as {@code sub} sees it, or null when it does not concern the subscription. */
    static LiveChange changeFor(Subscription sub, ChangeEvent e) {
        TableDef t = e.table();
        switch (e.type()) {
            case INSERT -> {
                if (!sub.filter().test(t, e.newRow())) {
                    return null;
                }
                return new LiveChange(ChangeEvent.Type.INSERT, List.of(sub.project(t, e.newRow())), null, e.seq());
            }
            case DELETE -> {
                StoredRow old = e.newRow() != null ? e.newRow() : e.oldRow();
                if (!sub.filter().test(t, e.oldRow())) {
                    return null;
                }
                return new LiveChange(ChangeEvent.Type.DELETE, null, List.of(sub.project(t, old)), e.seq());
            }
            default -> {
                RowPredicate filter = sub.filter().forTable(t);
                boolean was = filter.test(e.oldRow());
                boolean is = filter.test(e.newRow());
                if (!was && !is) {
                    return null;
                }
                if (!was) {
                    return new LiveChange(ChangeEvent.Type.INSERT, List.of(sub.project(t, e.newRow())), null,
                            e.seq());
                }
                if (!is) {
                    StoredRow gone = new StoredRow(e.newRow().seq(), e.oldRow().deleted(), e.oldRow().values());
                    return new LiveChange(ChangeEvent.Type.DELETE, null, List.of(sub.project(t, gone)), e.seq());
                }
                Map<String, Object> now = sub.project(t, e.newRow());
                Map<String, Object> before = sub.project(t, e.oldRow());
                String pk = t.primaryKey() == null ? null : t.primaryKey().name();
                Map<String, Object> rows = new LinkedHashMap<>();
                Map<String, Object> old = new LinkedHashMap<>();
                for (Map.Entry<String, Object> en : now.entrySet()) {
                    String k = en.getKey();
                    boolean key = k.equals(pk) || k.equals(TableDef.SEQ);
                    if (en.getValue() != null || key) {
                        rows.put(k, en.getValue());
                    }
                    Object prev = before.get(k);
                    boolean changed = !Objects.deepEquals(prev, en.getValue());
                    if (key || (changed && !k.equals(TableDef.DELETED))) {
                        old.put(k, prev);
                    }
                }
                return new LiveChange(ChangeEvent.Type.UPDATE, List.of(rows), List.of(old), e.seq());
            }
        }
    }
}
