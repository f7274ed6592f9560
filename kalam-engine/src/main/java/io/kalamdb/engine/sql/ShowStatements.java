package io.kalamdb.engine.sql;

/** Parses SHOW NAMESPACES, SHOW TABLES and DESCRIBE TABLE. */
final class ShowStatements {

    private ShowStatements() {
    }

    static Stmt show(TokenCursor c) {
        c.expectWord("SHOW");
        if (c.acceptWord("NAMESPACES") || c.acceptWord("SCHEMAS")) {
            c.expectEnd();
            return new Stmt.ShowNamespaces();
        }
        if (c.acceptWord("TABLES")) {
            String ns = null;
            if (c.acceptWord("IN") || c.acceptWord("FROM")) {
                c.acceptWord("NAMESPACE");
                ns = c.identifier("namespace name");
            }
            c.expectEnd();
            return new Stmt.ShowTables(ns);
        }
        throw c.error("expected NAMESPACES or TABLES after SHOW");
    }

    static Stmt describe(TokenCursor c, String defaultNamespace) {
        c.next();
        c.acceptWord("TABLE");
        Stmt.TableRef ref = KalamParser.tableRef(c, defaultNamespace);
        c.acceptWord("HISTORY");
        c.expectEnd();
        return new Stmt.DescribeTable(ref);
    }
}
