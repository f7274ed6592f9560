package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.ArrayList;
import java.util.List;

import org.apache.calcite.sql.SqlNode;

/**
 * The role rules of reference 6.1/6.2 and EXECUTE AS USER (1.12), checked for every statement of a batch
 * before any of them runs, so that one forbidden statement stops the whole batch with no side effects. Reads
 * are checked on the tables the statement's Calcite plans read (see ADR 0004), the same check that
 * {@link QueryRunner} repeats on every run; the SQL text's own table names are only a fallback for a statement
 * that cannot be planned before the earlier statements of its batch have run.
 */
public final class Authorizer {
    private final Catalog catalog;
    private final TableRights rights;
    private final QueryRunner queries;
    private final DmlPlanner dml;

    public Authorizer(Catalog catalog, QueryRunner queries, DmlPlanner dml) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.queries = requireNonNull(queries, "queries is null");
        this.dml = requireNonNull(dml, "dml is null");
        this.rights = new TableRights(catalog);
    }

    /** PERMISSION_DENIED unless {@code s} may run {@code stmt} (planned in namespace {@code ns}). */
    public void check(Stmt stmt, Session s, String ns) {
        switch (stmt) {
            case Stmt.Query q -> {
                if (q.explain() && !s.isAdmin()) {
                    throw adminRequired("EXPLAIN commands");
                }
                checkQueryReads(q, s, ns);
            }
            case Stmt.Insert i -> checkDml(i, i.table(), s, ns, "insert into");
            case Stmt.Update u -> checkDml(u, u.table(), s, ns, "update");
            case Stmt.Delete d -> checkDml(d, d.table(), s, ns, "delete from");
            case Stmt.CreateNamespace ignored -> requireAdmin(s, "namespace operations");
            case Stmt.DropNamespace ignored -> requireAdmin(s, "namespace operations");
            case Stmt.AlterNamespace ignored -> requireAdmin(s, "namespace operations");
            case Stmt.CreateTable ct -> {
                if (ct.table().namespace().equalsIgnoreCase(SystemTables.NAMESPACE)) {
                    throw KalamException.permissionDenied("cannot create tables in the system namespace");
                }
                TableType type = resolveCreateType(ct, s);
                if (type == TableType.SHARED && s.role() == Role.USER) {
                    throw KalamException.permissionDenied("Insufficient privileges to create shared tables");
                }
            }
            case Stmt.AlterTable at -> {
                TableDef t = catalog.table(at.table().namespace(), at.table().name());
                if (t != null && t.type() == TableType.SHARED && s.role() == Role.USER) {
                    throw KalamException.permissionDenied("Insufficient privileges to alter table");
                }
                if (at.op() instanceof Stmt.AlterOp.SetAccessLevel && s.role() == Role.USER) {
                    throw KalamException.permissionDenied("Insufficient privileges to alter table");
                }
            }
            case Stmt.DropTable ignored -> requireAdmin(s, "DROP TABLE");
            case Stmt.CreateIndex ci -> {
                TableDef t = catalog.table(ci.table().namespace(), ci.table().name());
                if (t != null && t.type() == TableType.SHARED && s.role() == Role.USER) {
                    throw KalamException.permissionDenied("Insufficient privileges to alter table");
                }
            }
            case Stmt.CreateUser cu -> {
                requireAdmin(s, "user management");
                if (cu.role() == Role.SYSTEM && s.role() != Role.SYSTEM) {
                    throw KalamException.permissionDenied("only a system user can create system users");
                }
            }
            case Stmt.AlterUser au -> {
                requireAdmin(s, "user management");
                if (au.role() == Role.SYSTEM && s.role() != Role.SYSTEM) {
                    throw KalamException.permissionDenied("a dba cannot grant the system role");
                }
            }
            case Stmt.DropUser ignored -> requireAdmin(s, "user management");
            case Stmt.ExecuteAs ea -> {
                Session target = impersonate(ea.userId(), s);
                if (ea.inner() instanceof Stmt.Insert || ea.inner() instanceof Stmt.Update
                        || ea.inner() instanceof Stmt.Delete || ea.inner() instanceof Stmt.Query) {
                    checkNotShared(ea.inner(), ns);
                }
                check(ea.inner(), target, ns);
            }
            case Stmt.Subscribe sub -> {
                List<PlannedTables.Name> reads = queries.reads(sub.selectSql(), ns);
                if (reads != null) {
                    rights.checkReads(reads, s);
                }
                rights.checkRead(sub.table().namespace(), sub.table().name(), s);
            }
            case Stmt.KillLiveQuery ignored -> requireAdmin(s, "KILL LIVE QUERY");
            case Stmt.CreateTopic ignored -> requireAdmin(s, "topic management");
            case Stmt.DropTopic ignored -> requireAdmin(s, "topic management");
            case Stmt.ClearTopic ignored -> requireAdmin(s, "topic management");
            case Stmt.AddTopicSource ignored -> requireAdmin(s, "topic management");
            case Stmt.DropTopicSource ignored -> requireAdmin(s, "topic management");
            case Stmt.Consume ignored -> requireConsumer(s);
            case Stmt.Ack ignored -> requireConsumer(s);
            case Stmt.ShowNamespaces ignored -> { }
            case Stmt.ShowTables ignored -> { }
            case Stmt.DescribeTable ignored -> { }
            case Stmt.UseNamespace ignored -> { }
            case Stmt.Begin ignored -> { }
            case Stmt.Commit ignored -> { }
            case Stmt.Rollback ignored -> { }
        }
    }

    /** The session an EXECUTE AS USER inner statement runs in, or PERMISSION_DENIED. */
    public Session impersonate(String targetId, Session actor) {
        if (targetId.equals(actor.userId())) {
            return new Session(targetId, Role.USER);
        }
        UserRecord target = catalog.user(targetId);
        Role targetRole = target == null || target.isDeleted() ? Role.USER : target.role();
        if (!actor.role().mayImpersonate(targetRole)) {
            throw KalamException.permissionDenied("EXECUTE AS USER is not authorized: actor '" + actor.userId()
                    + "' with role " + actor.role().wireName() + " cannot target '" + targetId + "' with role "
                    + targetRole.wireName());
        }
        return new Session(targetId, Role.USER);
    }

    private void checkNotShared(Stmt inner, String ns) {
        List<Stmt.TableRef> refs = new ArrayList<>();
        switch (inner) {
            case Stmt.Query q -> refs.addAll(queryTables(q, ns));
            case Stmt.Insert i -> refs.add(i.table());
            case Stmt.Update u -> refs.add(u.table());
            case Stmt.Delete d -> refs.add(d.table());
            default -> {
            }
        }
        for (Stmt.TableRef ref : refs) {
            TableDef t = catalog.table(ref.namespace(), ref.name());
            if (t != null && t.type() == TableType.SHARED) {
                throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED,
                        "EXECUTE AS USER is not allowed on SHARED tables (table '"
                        + t.qualifiedName() + "'). AS USER impersonation is only supported for USER and STREAM "
                        + "tables.");
            }
        }
    }

    /** The table type CREATE TABLE produces: as declared, else USER in the creator's own namespace, else SHARED. */
    public static TableType resolveCreateType(Stmt.CreateTable ct, Session s) {
        if (ct.declaredType() != null) {
            return ct.declaredType();
        }
        if (!s.isAdmin() && ct.table().namespace().equals(s.userId())) {
            return TableType.USER;
        }
        return TableType.SHARED;
    }

    /** The tables a query reads: its Calcite plan's, else its text's. */
    private List<Stmt.TableRef> queryTables(Stmt.Query q, String ns) {
        List<PlannedTables.Name> reads = queries.reads(q.sql(), ns);
        if (reads == null) {
            return q.tables();
        }
        List<Stmt.TableRef> refs = new ArrayList<>(reads.size());
        for (PlannedTables.Name n : reads) {
            refs.add(new Stmt.TableRef(n.namespace(), n.table()));
        }
        return refs;
    }

    private void checkQueryReads(Stmt.Query q, Session s, String ns) {
        List<PlannedTables.Name> reads = queries.reads(q.sql(), ns);
        if (reads != null) {
            rights.checkReads(reads, s);
            return;
        }
        checkNamedTables(q.node(), q.tables(), s);
    }

    /**
     * For a text that cannot be planned yet (it reads a table an earlier statement of the batch creates): its plan
     * is checked when it runs; meanwhile refuse it if any table it visibly names, or any qualified name in it that
     * is a table, may not be read, so that the batch stops before its first statement.
     */
    private void checkNamedTables(SqlNode node, List<Stmt.TableRef> fromTables, Session s) {
        for (Stmt.TableRef ref : fromTables) {
            rights.checkRead(ref.namespace(), ref.name(), s);
        }
        for (List<String> names : CalciteSql.qualifiedIdentifiers(node)) {
            String namespace = names.get(0);
            if (namespace.equalsIgnoreCase(SystemTables.NAMESPACE) || catalog.table(namespace, names.get(1)) != null) {
                rights.checkRead(namespace, names.get(1), s);
            }
        }
    }

    /** Write rights on the target, read rights on everything the statement's planning queries read. */
    private void checkDml(Stmt stmt, Stmt.TableRef target, Session s, String ns, String verb) {
        rights.checkWrite(target, s, verb);
        List<String> sources = dml.sourceQueries(stmt, s.userId());
        if (sources == null) {
            return;
        }
        for (String sql : sources) {
            List<PlannedTables.Name> reads = queries.reads(sql, ns);
            if (reads != null) {
                rights.checkReads(reads, s);
                continue;
            }
            SqlNode node = CalciteSql.parse(sql);
            List<Stmt.TableRef> fromTables = new ArrayList<>();
            for (List<String> names : CalciteSql.tableNames(node)) {
                if (names.size() <= 2) {
                    fromTables.add(KalamParser.tableRef(names, ns));
                }
            }
            checkNamedTables(node, fromTables, s);
        }
    }

    /** CONSUME and ACK: service, dba or system. */
    public static void requireConsumer(Session s) {
        if (s.role() == Role.USER) {
            throw KalamException.permissionDenied("Only service, dba, or system roles can consume from topics");
        }
    }

    private static void requireAdmin(Session s, String what) {
        if (!s.isAdmin()) {
            throw adminRequired(what);
        }
    }

    private static KalamException adminRequired(String what) {
        return KalamException.permissionDenied("Admin privileges (DBA or System role) required for " + what);
    }
}
