package io.kalamdb.engine.api;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One batch of a scan's rows, values in the engine's stored representation (see {@code StatementResult}).
 *
 * @param isLast whether the scan has no rows after these
 */
public record RowBatch(List<Object[]> rows, boolean isLast) {

    public RowBatch {
        requireNonNull(rows, "rows is null");
    }
}
