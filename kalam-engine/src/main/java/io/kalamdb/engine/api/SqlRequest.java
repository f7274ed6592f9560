package io.kalamdb.engine.api;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.StatementControl;

import java.util.List;

/**
XX: the caller's token principal and the batch.
 *
 * @param params    positional parameters ({@code $1 …}); JSON values as Java values (see {@code SqlRequestParser})
 * @param namespace the default namespace of unqualified table names
 * @param control   the request's deadline and cancel flag: the HTTP side cancels it when the client goes away,
 *                  the engine starts its clock when the work starts (travels by reference)
 */
public record SqlRequest(Principal principal, String sql, List<Object> params, String namespace,
                         StatementControl control) {

    public SqlRequest {
        requireNonNull(principal, "principal is null");
        requireNonNull(sql, "sql is null");
        requireNonNull(params, "params is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(control, "control is null");
    }

    /** A request nobody will cancel. */
    public SqlRequest(Principal principal, String sql, List<Object> params, String namespace) {
        this(principal, sql, params, namespace, new StatementControl());
    }
}
