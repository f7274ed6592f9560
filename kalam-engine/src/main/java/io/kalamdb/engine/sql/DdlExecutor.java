package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.auth.PasswordHasher;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.write.WriteLog;

/**
 * Executes KalamDB's catalog statements by handing each to its family: {@link NamespaceDdl}, {@link TableDdl},
 * {@link UserDdl} and {@link ShowDdl}.
 */
public final class DdlExecutor {
    private final NamespaceDdl namespaces;
    private final TableDdl tables;
    private final UserDdl users;
    private final ShowDdl show;

    public DdlExecutor(Catalog catalog, HotStore store, WriteLog log, PasswordHasher hasher,
                       SystemTables systemTables) {
        requireNonNull(catalog, "catalog is null");
        this.namespaces = new NamespaceDdl(catalog, log);
        this.tables = new TableDdl(catalog, store, log);
        this.users = new UserDdl(catalog, log, hasher);
        this.show = new ShowDdl(catalog, systemTables);
    }

    static long nowMicros() {
        return io.kalamdb.engine.util.Ids.statementMillis() * 1000L;
    }

    /**
     * Runs a catalog statement. Its one write is an intent checked when it applies; when that fails with
     * {@code CONFLICT} (a concurrent statement changed what this one read) the statement is planned again from
     * the current catalog and resubmitted, so it then succeeds or fails as if it had run after the other one.
     */
    public StatementResult execute(Stmt stmt, Session s) {
        return ConflictRetry.run(() -> executeOnce(stmt, s));
    }

    private StatementResult executeOnce(Stmt stmt, Session s) {
        String me = s.userId();
        return switch (stmt) {
            case Stmt.CreateNamespace cn -> namespaces.createNamespace(cn, me);
            case Stmt.DropNamespace dn -> namespaces.dropNamespace(dn, me);
            case Stmt.AlterNamespace an -> namespaces.alterNamespace(an, me);
            case Stmt.ShowNamespaces ignored -> show.showNamespaces(me);
            case Stmt.ShowTables st -> show.showTables(st, me);
            case Stmt.UseNamespace use -> namespaces.useNamespace(use, me);
            case Stmt.CreateTable ct -> tables.createTable(ct, s);
            case Stmt.AlterTable at -> tables.alterTable(at, s);
            case Stmt.DropTable dt -> tables.dropTable(dt, me);
            case Stmt.DescribeTable dt -> show.describe(dt, me);
            case Stmt.CreateIndex ci -> tables.createIndex(ci, me);
            case Stmt.CreateUser cu -> users.createUser(cu, me);
            case Stmt.AlterUser au -> users.alterUser(au, me);
            case Stmt.DropUser du -> users.dropUser(du, me);
            default -> throw KalamException.internal("not a catalog statement: " + stmt.getClass().getSimpleName(),
                    null);
        };
    }
}
