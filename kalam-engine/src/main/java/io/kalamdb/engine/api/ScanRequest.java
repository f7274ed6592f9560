package io.kalamdb.engine.api;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.StatementControl;

import java.util.List;

/**
 * One scan to open: who asks, one SELECT, its positional parameters and default namespace, and the control that
 * cancels it (its clock starts, with the role's statement timeout, when the scan opens).
 */
public record ScanRequest(Principal principal, String sql, List<Object> params, String namespace,
                          StatementControl control) {

    public ScanRequest {
        requireNonNull(principal, "principal is null");
        requireNonNull(sql, "sql is null");
        requireNonNull(params, "params is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(control, "control is null");
    }

    /** A scan nobody will cancel. */
    public ScanRequest(Principal principal, String sql, List<Object> params, String namespace) {
        this(principal, sql, params, namespace, new StatementControl());
    }
}
