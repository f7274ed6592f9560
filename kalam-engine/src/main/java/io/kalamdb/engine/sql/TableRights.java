package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.Session;
import io.kalamdb.engine.catalog.AccessLevel;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.error.KalamException;

import java.util.Collection;

/**
 * Who may read and write which table (reference 6.1/6.2): {@code system.*} is read by admins only and written by
 * nobody over SQL, SHARED tables follow their access level, USER and STREAM tables are open to every role (the
 * scan scope keeps each user in their own partition). Anything a plan reads that is none of these is refused.
 */
public final class TableRights {
    private final Catalog catalog;

    public TableRights(Catalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    /** PERMISSION_DENIED unless {@code session} may read every table of {@code tables}. */
    public void checkReads(Collection<PlannedTables.Name> tables, Session session) {
        for (PlannedTables.Name t : tables) {
            checkPlannedRead(t, session);
        }
    }

    /** PERMISSION_DENIED unless {@code session} may read {@code namespace.name}; an unknown table passes. */
    public void checkRead(String namespace, String name, Session session) {
        if (namespace.equalsIgnoreCase(SystemTables.NAMESPACE)) {
            if (!session.isAdmin()) {
                throw KalamException.permissionDenied("Admin privileges (DBA or System role) required to read "
                        + "system tables [table=" + namespace + "." + name + "]");
            }
            return;
        }
        TableDef t = catalog.table(namespace, name);
        if (t != null && t.type() == TableType.SHARED && !level(t).canRead(session.role())) {
            throw KalamException.permissionDenied("access denied: role " + session.role().wireName()
                    + " cannot read shared table [table=" + t.qualifiedName() + ", access_level="
                    + level(t).wireName() + "]");
        }
    }

    /** Like {@link #checkRead}, but for a table a plan scans: it must be a catalog table or a system view. */
    void checkPlannedRead(PlannedTables.Name table, Session session) {
        if (!table.namespace().equalsIgnoreCase(SystemTables.NAMESPACE)
                && catalog.table(table.namespace(), table.table()) == null) {
            throw KalamException.permissionDenied("access denied: not a KalamDB table [table="
                    + table.namespace() + "." + table.table() + "]");
        }
        checkRead(table.namespace(), table.table(), session);
    }

    /** PERMISSION_DENIED unless {@code session} may insert into, update or delete from {@code ref}. */
    public void checkWrite(Stmt.TableRef ref, Session session, String verb) {
        if (ref.namespace().equalsIgnoreCase(SystemTables.NAMESPACE)) {
            throw KalamException.permissionDenied("Cannot " + verb + " system table " + ref.qualified());
        }
        TableDef t = catalog.table(ref.namespace(), ref.name());
        if (t != null && t.type() == TableType.SHARED && !level(t).canWrite(session.role())) {
            throw KalamException.permissionDenied("access denied: role " + session.role().wireName()
                    + " cannot write shared table [table=" + t.qualifiedName() + ", access_level="
                    + level(t).wireName() + "]");
        }
    }

    private static AccessLevel level(TableDef t) {
        return t.accessLevel() == null ? AccessLevel.PRIVATE : t.accessLevel();
    }
}
