package io.kalamdb.server.bus;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.api.SqlRequest;

import java.util.List;

/**
 * The reply on the bus to a {@link SqlRequest}: one result per statement, in order.
 */
public record SqlReply(List<StatementResult> results) {

    public SqlReply {
        requireNonNull(results, "results is null");
    }
}
