package io.kalamdb.engine.sql;

import io.kalamdb.engine.catalog.AccessLevel;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.DefaultValue;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Parses the statements about namespaces, tables and indexes (CREATE, ALTER and DROP of each). */
final class SchemaStatements {
    private static final Set<String> TABLE_OPTIONS = Set.of("TYPE", "STORAGE_ID", "USE_USER_STORAGE",
            "FLUSH_POLICY", "DELETED_RETENTION_HOURS", "TTL_SECONDS", "ACCESS_LEVEL");

    private SchemaStatements() {
    }

    // ---------- namespaces (after CREATE/ALTER/DROP NAMESPACE) ----------

    static Stmt createNamespace(TokenCursor c) {
        boolean ifNotExists = c.acceptWords("IF", "NOT", "EXISTS");
        String name = c.identifier("namespace name");
        c.expectEnd();
        return new Stmt.CreateNamespace(name, ifNotExists);
    }

    static Stmt alterNamespace(TokenCursor c) {
        String name = c.identifier("namespace name");
        c.expectWord("SET");
        c.expectWord("DESCRIPTION");
        String d = c.stringLiteral("description");
        c.expectEnd();
        return new Stmt.AlterNamespace(name, d);
    }

    static Stmt dropNamespace(TokenCursor c) {
        boolean ifExists = c.acceptWords("IF", "EXISTS");
        String name = c.identifier("namespace name");
        c.acceptWord("CASCADE");
        c.expectEnd();
        return new Stmt.DropNamespace(name, ifExists);
    }

    // ---------- indexes (after CREATE INDEX) ----------

    static Stmt createIndex(TokenCursor c, String defaultNamespace) {
        boolean ifNotExists = c.acceptWords("IF", "NOT", "EXISTS");
        if (!c.peekWord("ON")) {
            c.identifier("index name");
        }
        c.expectWord("ON");
        Stmt.TableRef ref = KalamParser.tableRef(c, defaultNamespace);
        c.expectSymbol("(");
        String column = c.identifier("column name");
        if (c.acceptSymbol(",")) {
            throw new KalamException(KalamErrorCode.UNSUPPORTED, "an index covers one column");
        }
        c.expectSymbol(")");
        c.expectEnd();
        return new Stmt.CreateIndex(ref, column, ifNotExists);
    }

    // ---------- tables ----------

    static Stmt createTable(TokenCursor c, String defaultNamespace, TableType prefix) {
        boolean ifNotExists = c.acceptWords("IF", "NOT", "EXISTS");
        Stmt.TableRef ref = KalamParser.tableRef(c, defaultNamespace);
        c.expectSymbol("(");
        List<ColumnDef> columns = new ArrayList<>();
        String tablePk = null;
        Set<String> seen = new HashSet<>();
        int nextId = 1;
        do {
            if (c.peekWord("PRIMARY") || c.peekWord("CONSTRAINT")) {
                if (c.acceptWord("CONSTRAINT")) {
                    c.identifier("constraint name");
                }
                c.expectWord("PRIMARY");
                c.expectWord("KEY");
                c.expectSymbol("(");
                String col = c.identifier("column name");
                if (c.acceptSymbol(",")) {
                    throw new KalamException(KalamErrorCode.UNSUPPORTED,
                            "Composite PRIMARY KEYs are not supported yet");
                }
                c.expectSymbol(")");
                if (tablePk != null) {
                    throw new KalamException(KalamErrorCode.INVALID_DEFINITION, "multiple PRIMARY KEY definitions");
                }
                tablePk = col;
                continue;
            }
            ColumnDef col = columnDef(c, nextId++);
            if (!seen.add(col.name().toLowerCase(Locale.ROOT))) {
                throw new KalamException(KalamErrorCode.INVALID_DEFINITION,
                        "duplicate column name [column=" + col.name() + "]");
            }
            columns.add(col);
        } while (c.acceptSymbol(","));
        c.expectSymbol(")");
        if (c.acceptWord("USING")) {
            c.identifier("access method");
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (c.acceptWord("WITH")) {
            c.expectSymbol("(");
            do {
                Token keyToken = c.next();
                String key = keyToken.unquoted().toUpperCase(Locale.ROOT);
                if (!TABLE_OPTIONS.contains(key)) {
                    throw new KalamException(KalamErrorCode.INVALID_OPTION,
                            "Unknown table option '" + keyToken.unquoted() + "'");
                }
                c.expectSymbol("=");
                Token value = c.next();
                options.put(key, value.unquoted());
            } while (c.acceptSymbol(","));
            c.expectSymbol(")");
        }
        c.expectEnd();
        if (columns.isEmpty()) {
            throw new KalamException(KalamErrorCode.INVALID_DEFINITION, "a table needs at least one column");
        }
        columns = applyPrimaryKey(columns, tablePk);
        TableType declared = prefix;
        String typeOption = options.remove("TYPE");
        if (typeOption != null) {
            TableType fromOption;
            try {
                fromOption = TableType.valueOf(typeOption.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new KalamException(KalamErrorCode.INVALID_OPTION,
                        "invalid table TYPE '" + typeOption + "' (USER, SHARED or STREAM)");
            }
            if (declared != null && declared != fromOption) {
                throw new KalamException(KalamErrorCode.INVALID_OPTION, "Conflicting table type definitions");
            }
            declared = fromOption;
        }
        if (declared == TableType.SYSTEM) {
            throw new KalamException(KalamErrorCode.INVALID_OPTION, "cannot create SYSTEM tables");
        }
        AccessLevel access = options.containsKey("ACCESS_LEVEL") ? AccessLevel.parse(options.remove("ACCESS_LEVEL"))
                : null;
        Long ttl = null;
        String ttlText = options.remove("TTL_SECONDS");
        if (ttlText != null) {
            try {
                ttl = Long.parseLong(ttlText.trim());
            } catch (NumberFormatException e) {
                throw new KalamException(KalamErrorCode.INVALID_OPTION,
                        "invalid TTL_SECONDS '" + ttlText + "' (a positive integer)");
            }
            if (ttl <= 0) {
                throw new KalamException(KalamErrorCode.INVALID_OPTION,
                        "invalid TTL_SECONDS '" + ttlText + "' (a positive integer)");
            }
        }
        return new Stmt.CreateTable(ref, ifNotExists, declared, columns, options, access, ttl);
    }

    /** Marks the primary key: the named one, else the first column whose default generates unique ids. */
    private static List<ColumnDef> applyPrimaryKey(List<ColumnDef> columns, String tablePk) {
        long inline = columns.stream().filter(ColumnDef::primaryKey).count();
        if (inline > 1 || (inline == 1 && tablePk != null)) {
            throw new KalamException(KalamErrorCode.INVALID_DEFINITION, "multiple PRIMARY KEY definitions");
        }
        String pk = tablePk;
        if (inline == 0 && pk == null) {
            for (ColumnDef col : columns) {
                if (col.defaultValue() != null && col.defaultValue().isKeyGenerator()) {
                    pk = col.name();
                    break;
                }
            }
        }
        if (inline == 1) {
            return columns;
        }
        if (pk == null) {
            return columns;
        }
        List<ColumnDef> out = new ArrayList<>();
        boolean found = false;
        for (ColumnDef col : columns) {
            if (col.name().equalsIgnoreCase(pk)) {
                out.add(new ColumnDef(col.id(), col.name(), col.type(), false, col.defaultValue(), true,
                        col.comment()));
                found = true;
            } else {
                out.add(col);
            }
        }
        if (!found) {
            throw new KalamException(KalamErrorCode.INVALID_DEFINITION,
                    "PRIMARY KEY names an unknown column [column=" + pk + "]");
        }
        return out;
    }

    static ColumnDef columnDef(TokenCursor c, int id) {
        String name = c.identifier("column name");
        if (TableDef.isSystemColumn(name)) {
            throw new KalamException(KalamErrorCode.RESERVED_NAME,
                    "column name '" + name + "' is reserved for a system column");
        }
        Token typeToken = c.next();
        if (typeToken.kind() != Token.Kind.WORD) {
            throw SqlLexer.error(c.sql(), typeToken.start(), "expected a data type for column " + name);
        }
        String typeName = typeToken.upper();
        DefaultValue def = null;
        if (typeName.equals("DOUBLE") && c.acceptWord("PRECISION")) {
            typeName = "DOUBLE PRECISION";
        } else if (typeName.equals("CHARACTER") && c.acceptWord("VARYING")) {
            typeName = "CHARACTER VARYING";
        } else if (typeName.equals("SERIAL") || typeName.equals("BIGSERIAL") || typeName.equals("SMALLSERIAL")) {
            typeName = "BIGINT";
            def = DefaultValue.function("SNOWFLAKE_ID");
        }
        List<Integer> args = new ArrayList<>();
        if (c.acceptSymbol("(")) {
            do {
                args.add((int) c.number("type argument"));
            } while (c.acceptSymbol(","));
            c.expectSymbol(")");
        }
        KalamType type;
        try {
            type = KalamType.fromSql(typeName, args.stream().mapToInt(Integer::intValue).toArray());
        } catch (KalamException e) {
            throw SqlLexer.error(c.sql(), typeToken.start(), e.getMessage());
        }
        boolean nullable = true;
        boolean pk = false;
        String comment = null;
        while (!c.atEnd() && !c.peek().isSymbol(",") && !c.peek().isSymbol(")")) {
            if (c.acceptWords("NOT", "NULL")) {
                nullable = false;
            } else if (c.acceptWord("NULL")) {
                nullable = true;
            } else if (c.acceptWords("PRIMARY", "KEY")) {
                pk = true;
                nullable = false;
            } else if (c.acceptWord("UNIQUE")) {
                continue;
            } else if (c.acceptWord("AUTO_INCREMENT") || c.acceptWord("AUTOINCREMENT")) {
                def = DefaultValue.function("SNOWFLAKE_ID");
            } else if (c.acceptWord("GENERATED")) {
                if (!c.acceptWord("ALWAYS")) {
                    c.expectWord("BY");
                    c.expectWord("DEFAULT");
                }
                c.expectWord("AS");
                c.expectWord("IDENTITY");
                def = DefaultValue.function("SNOWFLAKE_ID");
            } else if (c.acceptWord("DEFAULT")) {
                def = defaultValue(c);
            } else if (c.acceptWord("COMMENT")) {
                comment = c.stringLiteral("column comment");
            } else {
                throw c.error("unexpected column option for " + name);
            }
        }
        return new ColumnDef(id, name, type, nullable, def, pk, comment);
    }

    static DefaultValue defaultValue(TokenCursor c) {
        Token t = c.next();
        if (t.kind() == Token.Kind.WORD) {
            String w = t.upper();
            if (w.equals("CURRENT_TIMESTAMP")) {
                c.acceptSymbol("(");
                c.acceptSymbol(")");
                return DefaultValue.function("NOW");
            }
            if (w.equals("CURRENT_USER")) {
                if (c.acceptSymbol("(")) {
                    c.expectSymbol(")");
                }
                return DefaultValue.function("CURRENT_USER");
            }
            if (w.equals("TRUE") || w.equals("FALSE") || w.equals("NULL")) {
                return DefaultValue.literal(w);
            }
            if (c.acceptSymbol("(")) {
                c.expectSymbol(")");
                if (!Set.of("SNOWFLAKE_ID", "UUID_V7", "ULID", "NOW", "CURRENT_USER").contains(w)) {
                    throw SqlLexer.error(c.sql(), t.start(), "unknown default function " + t.text()
                            + "() (SNOWFLAKE_ID, UUID_V7, ULID, NOW or CURRENT_USER)");
                }
                return DefaultValue.function(w);
            }
            throw SqlLexer.error(c.sql(), t.start(), "invalid DEFAULT value '" + t.text() + "'");
        }
        if (t.kind() == Token.Kind.STRING || t.kind() == Token.Kind.NUMBER) {
            return DefaultValue.literal(t.text());
        }
        if (t.isSymbol("-")) {
            Token n = c.next();
            if (n.kind() == Token.Kind.NUMBER) {
                return DefaultValue.literal("-" + n.text());
            }
        }
        throw SqlLexer.error(c.sql(), t.start(), "invalid DEFAULT value '" + t.text() + "'");
    }


    static Stmt alterTable(TokenCursor c, String defaultNamespace) {
        c.acceptWord("USER");
        c.acceptWord("SHARED");
        c.acceptWord("STREAM");
        c.expectWord("TABLE");
        Stmt.TableRef ref = KalamParser.tableRef(c, defaultNamespace);
        Stmt.AlterOp op;
        if (c.acceptWord("ADD")) {
            c.acceptWord("COLUMN");
            op = new Stmt.AlterOp.AddColumn(columnDef(c, 0));
        } else if (c.acceptWord("DROP")) {
            c.acceptWord("COLUMN");
            op = new Stmt.AlterOp.DropColumn(c.identifier("column name"));
        } else if (c.acceptWord("MODIFY")) {
            c.acceptWord("COLUMN");
            ColumnDef def = columnDef(c, 0);
            op = new Stmt.AlterOp.ModifyColumn(def.name(), def.type(), def.nullable() ? null : Boolean.FALSE);
        } else if (c.acceptWord("RENAME")) {
            c.acceptWord("COLUMN");
            String from = c.identifier("column name");
            c.expectWord("TO");
            op = new Stmt.AlterOp.RenameColumn(from, c.identifier("column name"));
        } else if (c.acceptWord("ALTER")) {
            c.acceptWord("COLUMN");
            String name = c.identifier("column name");
            if (c.acceptWords("SET", "NOT", "NULL")) {
                op = new Stmt.AlterOp.SetNullable(name, false);
            } else if (c.acceptWords("DROP", "NOT", "NULL")) {
                op = new Stmt.AlterOp.SetNullable(name, true);
            } else if (c.acceptWords("SET", "DEFAULT")) {
                op = new Stmt.AlterOp.SetDefault(name, defaultValue(c));
            } else if (c.acceptWords("DROP", "DEFAULT")) {
                op = new Stmt.AlterOp.SetDefault(name, null);
            } else if (c.acceptWords("SET", "DATA", "TYPE") || c.acceptWord("TYPE")) {
                Token t = c.next();
                op = new Stmt.AlterOp.ModifyColumn(name, KalamType.fromSql(t.text(), new int[0]), null);
            } else {
                throw c.error("expected SET NOT NULL, DROP NOT NULL, SET DEFAULT or DROP DEFAULT");
            }
        } else if (c.acceptWords("SET", "ACCESS", "LEVEL")) {
            op = new Stmt.AlterOp.SetAccessLevel(AccessLevel.parse(c.next().unquoted()));
        } else if (c.acceptWords("SET", "TBLPROPERTIES")) {
            c.expectSymbol("(");
            Token key = c.next();
            if (!key.unquoted().equalsIgnoreCase("ACCESS_LEVEL")) {
                throw SqlLexer.error(c.sql(), key.start(), "only ACCESS_LEVEL can be set");
            }
            c.expectSymbol("=");
            op = new Stmt.AlterOp.SetAccessLevel(AccessLevel.parse(c.next().unquoted()));
            c.expectSymbol(")");
        } else {
            throw c.error("expected ADD, DROP, MODIFY, RENAME, ALTER COLUMN or SET ACCESS LEVEL");
        }
        c.expectEnd();
        return new Stmt.AlterTable(ref, op);
    }

    static Stmt dropTable(TokenCursor c, String defaultNamespace) {
        c.acceptWord("USER");
        c.acceptWord("SHARED");
        c.acceptWord("STREAM");
        c.expectWord("TABLE");
        boolean ifExists = c.acceptWords("IF", "EXISTS");
        Stmt.TableRef ref = KalamParser.tableRef(c, defaultNamespace);
        c.acceptWord("CASCADE");
        c.expectEnd();
        return new Stmt.DropTable(ref, ifExists);
    }
}
