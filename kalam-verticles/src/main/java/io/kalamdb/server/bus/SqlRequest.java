package io.kalamdb.server.bus;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One {@code POST /v1/api/sql} call for the engine worker: the caller's token principal and the batch.
 *
 * @param params    positional parameters ({@code $1 …}); JSON values as Java values (see {@code SqlRequestParser})
 * @param namespace the default namespace of unqualified table names
 */
public record SqlRequest(TokenPrincipal principal, String sql, List<Object> params, String namespace) {

    public SqlRequest {
        requireNonNull(principal, "principal is null");
        requireNonNull(sql, "sql is null");
        requireNonNull(params, "params is null");
        requireNonNull(namespace, "namespace is null");
    }
}
