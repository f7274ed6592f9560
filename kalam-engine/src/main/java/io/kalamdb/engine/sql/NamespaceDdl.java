package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.NamespaceDef;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.write.Command;
import io.kalamdb.engine.write.WriteLog;

import java.util.Locale;
import java.util.Set;

/** Runs the namespace statements: CREATE, DROP, ALTER and USE NAMESPACE. */
final class NamespaceDdl {
    private static final Set<String> RESERVED_NAMESPACES = Set.of("system", "sys", "root", "kalamdb", "kalam",
            "main", "default", "sql", "admin", "internal", "information_schema", "pg_catalog", "datafusion");

    private final Catalog catalog;
    private final WriteLog log;

    NamespaceDdl(Catalog catalog, WriteLog log) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.log = requireNonNull(log, "log is null");
    }

    private void append(Command command) {
        log.commit(command);
    }

    private static long nowMicros() {
        return DdlExecutor.nowMicros();
    }

    StatementResult createNamespace(Stmt.CreateNamespace cn, String me) {
        if (RESERVED_NAMESPACES.contains(cn.name().toLowerCase(Locale.ROOT))) {
            throw new KalamException(KalamErrorCode.RESERVED_NAME,
                    "namespace name is reserved [namespace=" + cn.name() + "]");
        }
        if (catalog.namespace(cn.name()) != null) {
            if (cn.ifNotExists()) {
                return StatementResult.message("Namespace '" + cn.name() + "' already exists", 0, me);
            }
            throw new KalamException(KalamErrorCode.NAMESPACE_EXISTS, "Namespace '" + cn.name() + "' already exists");
        }
        append(new Command.PutNamespace(new NamespaceDef(cn.name(), nowMicros(), null), true));
        return StatementResult.message("Namespace '" + cn.name() + "' created successfully", 0, me);
    }

    StatementResult dropNamespace(Stmt.DropNamespace dn, String me) {
        NamespaceDef ns = catalog.namespace(dn.name());
        if (ns == null) {
            if (dn.ifExists()) {
                return StatementResult.message("Namespace '" + dn.name() + "' does not exist", 0, me);
            }
            throw new KalamException(KalamErrorCode.NAMESPACE_NOT_FOUND, "Namespace '" + dn.name() + "' not found");
        }
        if (ns.name().equalsIgnoreCase("default")) {
            throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED, "the default namespace cannot be dropped");
        }
        append(new Command.DropNamespace(ns.name()));
        return StatementResult.message("Namespace '" + ns.name() + "' dropped successfully", 0, me);
    }

    StatementResult alterNamespace(Stmt.AlterNamespace an, String me) {
        NamespaceDef ns = catalog.namespace(an.name());
        if (ns == null) {
            throw new KalamException(KalamErrorCode.NAMESPACE_NOT_FOUND, "Namespace '" + an.name() + "' not found");
        }
        append(new Command.PutNamespace(new NamespaceDef(ns.name(), ns.createdAtMicros(), an.description()),
                false));
        return StatementResult.message("Namespace '" + ns.name() + "' altered successfully", 0, me);
    }

    StatementResult useNamespace(Stmt.UseNamespace use, String me) {
        if (catalog.namespace(use.name()) == null) {
            throw new KalamException(KalamErrorCode.NAMESPACE_NOT_FOUND, "Namespace '" + use.name() + "' not found");
        }
        return StatementResult.message("Namespace switched to '" + use.name() + "'", 0, me);
    }
}
