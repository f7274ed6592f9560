package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.catalog.AccessLevel;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.error.KalamException;

/**
 * The role rules of reference 6.1/6.2 and EXECUTE AS USER (1.12), checked for every statement of a batch
 * before any of them runs, so that one forbidden statement stops the whole batch with no side effects.
 */
public final class Authorizer {
    private final Catalog catalog;

    public Authorizer(Catalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    public void check(Stmt stmt, Session s) {
        switch (stmt) {
            case Stmt.Query q -> {
                if (q.explain() && !s.isAdmin()) {
                    throw adminRequired("EXPLAIN commands");
                }
                for (Stmt.TableRef ref : q.tables()) {
                    checkRead(ref, s);
                }
            }
            case Stmt.Insert i -> checkWrite(i.table(), s, "insert into");
            case Stmt.Update u -> checkWrite(u.table(), s, "update");
            case Stmt.Delete d -> checkWrite(d.table(), s, "delete from");
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
                    checkNotShared(ea.inner());
                }
                check(ea.inner(), target);
            }
            case Stmt.Subscribe sub -> checkRead(sub.table(), s);
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

    private void checkNotShared(Stmt inner) {
        java.util.List<Stmt.TableRef> refs = switch (inner) {
            case Stmt.Query q -> q.tables();
            case Stmt.Insert i -> java.util.List.of(i.table());
            case Stmt.Update u -> java.util.List.of(u.table());
            case Stmt.Delete d -> java.util.List.of(d.table());
            default -> java.util.List.of();
        };
        for (Stmt.TableRef ref : refs) {
            TableDef t = catalog.table(ref.namespace(), ref.name());
            if (t != null && t.type() == TableType.SHARED) {
                throw KalamException.execution("EXECUTE AS USER is not allowed on SHARED tables (table '"
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

    private void checkRead(Stmt.TableRef ref, Session s) {
        if (ref.namespace().equalsIgnoreCase(SystemTables.NAMESPACE)) {
            if (!s.isAdmin()) {
                throw KalamException.permissionDenied("Admin privileges (DBA or System role) required to read "
                        + "system tables [table=" + ref.qualified() + "]");
            }
            return;
        }
        TableDef t = catalog.table(ref.namespace(), ref.name());
        if (t != null && t.type() == TableType.SHARED && !level(t).canRead(s.role())) {
            throw KalamException.permissionDenied("access denied: role " + s.role().wireName()
                    + " cannot read shared table [table=" + t.qualifiedName() + ", access_level="
                    + level(t).wireName() + "]");
        }
    }

    private void checkWrite(Stmt.TableRef ref, Session s, String verb) {
        if (ref.namespace().equalsIgnoreCase(SystemTables.NAMESPACE)) {
            throw KalamException.permissionDenied("Cannot " + verb + " system table " + ref.qualified());
        }
        TableDef t = catalog.table(ref.namespace(), ref.name());
        if (t != null && t.type() == TableType.SHARED && !level(t).canWrite(s.role())) {
            throw KalamException.permissionDenied("access denied: role " + s.role().wireName()
                    + " cannot write shared table [table=" + t.qualifiedName() + ", access_level="
                    + level(t).wireName() + "]");
        }
    }

    private static AccessLevel level(TableDef t) {
        return t.accessLevel() == null ? AccessLevel.PRIVATE : t.accessLevel();
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
