package io.kalamdb.engine.sql;

import io.kalamdb.engine.auth.Role;
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

import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlUpdate;

/**
 * Parses one statement. KalamDB's own statements (namespaces, typed CREATE TABLE, users, EXECUTE AS USER,
 * SHOW/DESCRIBE, transactions) are recognised by their leading keywords and parsed here; queries and DML go
 * to Calcite's parser (see docs/adr/0002-sql-front-parser.md).
 */
public final class KalamParser {
    private static final Set<String> TABLE_OPTIONS = Set.of("TYPE", "STORAGE_ID", "USE_USER_STORAGE",
            "FLUSH_POLICY", "DELETED_RETENTION_HOURS", "TTL_SECONDS", "ACCESS_LEVEL");

    private KalamParser() {
    }

    public static Stmt parse(String sql, List<Object> params, String defaultNamespace) {
        TokenCursor c = new TokenCursor(sql);
        if (c.atEnd()) {
            throw new KalamException(KalamErrorCode.EMPTY_SQL, "empty statement");
        }
        Token first = c.peek();
        String word = first.kind() == Token.Kind.WORD ? first.upper() : first.text();
        return switch (word) {
            case "SELECT", "WITH", "VALUES", "TABLE", "(" -> query(sql, params, defaultNamespace, false);
            case "EXPLAIN" -> explain(c, params, defaultNamespace);
            case "INSERT", "UPDATE", "DELETE" -> dml(c, params, defaultNamespace);
            case "CREATE" -> create(c, defaultNamespace);
            case "ALTER" -> alter(c, defaultNamespace);
            case "DROP" -> drop(c, defaultNamespace);
            case "SHOW" -> show(c);
            case "DESCRIBE", "DESC" -> describe(c, defaultNamespace);
            case "USE" -> {
                c.next();
                c.acceptWord("NAMESPACE");
                String ns = c.identifier("namespace name");
                c.expectEnd();
                yield new Stmt.UseNamespace(ns);
            }
            case "SET" -> {
                c.next();
                if (!c.acceptWord("NAMESPACE")) {
                    throw unsupported(first);
                }
                String ns = c.identifier("namespace name");
                c.expectEnd();
                yield new Stmt.UseNamespace(ns);
            }
            case "EXECUTE" -> executeAs(c, params, defaultNamespace);
            case "CLEAR" -> {
                c.next();
                c.expectWord("TOPIC");
                String topic = TopicStatements.topicName(c);
                c.expectEnd();
                yield new Stmt.ClearTopic(topic);
            }
            case "SUBSCRIBE" -> subscribe(c, params, defaultNamespace);
            case "CONSUME" -> TopicStatements.consume(c);
            case "ACK" -> TopicStatements.ack(c);
            case "KILL" -> {
                c.next();
                c.expectWord("LIVE");
                c.expectWord("QUERY");
                String id = c.stringLiteral("live query id");
                c.expectEnd();
                yield new Stmt.KillLiveQuery(id);
            }
            case "BEGIN", "START" -> {
                c.next();
                if (word.equals("START")) {
                    c.expectWord("TRANSACTION");
                } else {
                    c.acceptWord("TRANSACTION");
                    c.acceptWord("WORK");
                }
                c.expectEnd();
                yield new Stmt.Begin();
            }
            case "COMMIT", "END" -> {
                c.next();
                c.acceptWord("TRANSACTION");
                c.acceptWord("WORK");
                c.expectEnd();
                yield new Stmt.Commit();
            }
            case "ROLLBACK", "ABORT" -> {
                c.next();
                c.acceptWord("TRANSACTION");
                c.acceptWord("WORK");
                c.expectEnd();
                yield new Stmt.Rollback();
            }
            default -> throw unsupported(first);
        };
    }

    private static KalamException unsupported(Token first) {
        return new KalamException(KalamErrorCode.INVALID_SQL, "Unsupported statement type: '" + first.text()
                + "' [line=1, column=" + (first.start() + 1) + "]", 1, first.start() + 1, null);
    }

    // ---------- queries and DML (Calcite) ----------

    static Stmt.Query query(String sql, List<Object> params, String defaultNamespace, boolean explain) {
        CalciteSql.Parsed p = CalciteSql.parseCached(sql, params);
        SqlNode node = p.node();
        if (!node.getKind().belongsTo(SqlKind.QUERY)) {
            throw KalamException.invalidSql("expected a query [kind=" + node.getKind() + "]");
        }
        String shapeKey = defaultNamespace + '\u0000' + p.sql();
        QueryShape shape = SHAPES.get(shapeKey);
        if (shape == null) {
            CalciteSql.checkLimits(node);
            List<Stmt.TableRef> refs = new ArrayList<>();
            for (List<String> names : CalciteSql.tableNames(node)) {
                refs.add(tableRef(names, defaultNamespace));
            }
            shape = new QueryShape(List.copyOf(refs), CalciteSql.mentionsDeleted(node), CalciteSql.hasLimit(node));
            if (shapeKey.length() <= MAX_SHAPE_KEY_LENGTH) {
                SHAPES.put(shapeKey, shape);
            }
        }
        List<Stmt.TableRef> tables = shape.tables();
        String text = "EXPLAIN PLAN FOR " + p.sql();
        List<Object> queryParams = p.params();
        if (!explain) {
            // EXPLAIN shows the plan of the text as written; a query runs the plan of its normalised template
            LiteralNormalizer.Normalized n = LiteralNormalizer.normalize(p.sql(), node, p.params());
            text = n.sql();
            queryParams = n.params();
        }
        return new Stmt.Query(text, node, queryParams, tables, shape.mentionsDeleted(), shape.hasLimit(), explain);
    }

    /** What a query text names and asks for, which depends on the text and the namespace only. */
    private record QueryShape(List<Stmt.TableRef> tables, boolean mentionsDeleted, boolean hasLimit) {
    }

    private static final int MAX_SHAPE_KEY_LENGTH = 8 * 1024;
    /** Query shapes by namespace and text: hot texts repeat, and walking their trees costs more than a lookup. */
    private static final java.util.Map<String, QueryShape> SHAPES = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, QueryShape> eldest) {
                    return size() > 2048;
                }
            });

    private static Stmt explain(TokenCursor c, List<Object> params, String defaultNamespace) {
        c.next();
        c.acceptWords("PLAN", "FOR");
        return query(c.rest(), params, defaultNamespace, true);
    }

    private static Stmt dml(TokenCursor c, List<Object> params, String defaultNamespace) {
        String sql = c.sql();
        Stmt.Insert simple = SimpleInsertParser.tryParse(c.tokens(), params, defaultNamespace);
        if (simple != null) {
            return simple;
        }
        CalciteSql.Parsed p = CalciteSql.parseCached(sql, params);
        SqlNode node = p.node();
        return switch (node) {
            case SqlInsert insert -> insert(insert, p.params(), defaultNamespace);
            case SqlUpdate update -> new Stmt.Update(tableRef(CalciteSql.targetTable(update.getTargetTable()),
                    defaultNamespace), update, p.params());
            case SqlDelete delete -> new Stmt.Delete(tableRef(CalciteSql.targetTable(delete.getTargetTable()),
                    defaultNamespace), delete, p.params());
            default -> throw KalamException.invalidSql("unsupported statement [kind=" + node.getKind() + "]");
        };
    }

    private static Stmt.Insert insert(SqlInsert insert, List<Object> params, String defaultNamespace) {
        List<String> columns = null;
        if (insert.getTargetColumnList() != null && !insert.getTargetColumnList().isEmpty()) {
            columns = new ArrayList<>();
            for (SqlNode c : insert.getTargetColumnList()) {
                columns.add(CalciteSql.columnName(c));
            }
        }
        SqlNode source = insert.getSource();
        List<List<SqlNode>> rows = null;
        SqlNode query = null;
        if (source.getKind() == SqlKind.VALUES) {
            rows = new ArrayList<>();
            for (SqlNode row : ((org.apache.calcite.sql.SqlCall) source).getOperandList()) {
                rows.add(((org.apache.calcite.sql.SqlCall) row).getOperandList());
            }
        } else {
            query = source;
        }
        return new Stmt.Insert(tableRef(CalciteSql.targetTable(insert.getTargetTable()), defaultNamespace), columns,
                rows, query, params);
    }

    static Stmt.TableRef tableRef(List<String> names, String defaultNamespace) {
        return switch (names.size()) {
            case 1 -> new Stmt.TableRef(defaultNamespace, names.get(0));
            case 2 -> new Stmt.TableRef(names.get(0), names.get(1));
            default -> throw KalamException.invalidSql("table name must be <namespace>.<table> [name="
                    + String.join(".", names) + "]");
        };
    }

    private static Stmt.TableRef tableRef(TokenCursor c, String defaultNamespace) {
        String first = c.identifier("table name");
        if (c.acceptSymbol(".")) {
            return new Stmt.TableRef(first, c.identifier("table name"));
        }
        return new Stmt.TableRef(defaultNamespace, first);
    }

    // ---------- CREATE ----------

    private static Stmt create(TokenCursor c, String defaultNamespace) {
        c.expectWord("CREATE");
        if (c.acceptWord("TOPIC")) {
            return TopicStatements.createTopic(c);
        }
        if (c.acceptWord("INDEX")) {
            boolean ifNotExists = c.acceptWords("IF", "NOT", "EXISTS");
            if (!c.peekWord("ON")) {
                c.identifier("index name");
            }
            c.expectWord("ON");
            Stmt.TableRef ref = tableRef(c, defaultNamespace);
            c.expectSymbol("(");
            String column = c.identifier("column name");
            if (c.acceptSymbol(",")) {
                throw KalamException.execution("an index covers one column");
            }
            c.expectSymbol(")");
            c.expectEnd();
            return new Stmt.CreateIndex(ref, column, ifNotExists);
        }
        if (c.acceptWord("NAMESPACE") || c.acceptWord("SCHEMA")) {
            boolean ifNotExists = c.acceptWords("IF", "NOT", "EXISTS");
            String name = c.identifier("namespace name");
            c.expectEnd();
            return new Stmt.CreateNamespace(name, ifNotExists);
        }
        TableType prefix = null;
        if (c.peekWord("USER") && c.peek(1) != null && c.peek(1).isWord("TABLE")) {
            c.next();
            prefix = TableType.USER;
        } else if (c.acceptWord("SHARED")) {
            prefix = TableType.SHARED;
        } else if (c.acceptWord("STREAM")) {
            prefix = TableType.STREAM;
        }
        if (c.acceptWord("TABLE")) {
            return createTable(c, defaultNamespace, prefix);
        }
        if (prefix == null && c.acceptWord("USER")) {
            return createUser(c);
        }
        throw c.error("expected NAMESPACE, TABLE or USER after CREATE");
    }

    private static Stmt createTable(TokenCursor c, String defaultNamespace, TableType prefix) {
        boolean ifNotExists = c.acceptWords("IF", "NOT", "EXISTS");
        Stmt.TableRef ref = tableRef(c, defaultNamespace);
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
                    throw KalamException.execution("Composite PRIMARY KEYs are not supported yet");
                }
                c.expectSymbol(")");
                if (tablePk != null) {
                    throw KalamException.execution("multiple PRIMARY KEY definitions");
                }
                tablePk = col;
                continue;
            }
            ColumnDef col = columnDef(c, nextId++);
            if (!seen.add(col.name().toLowerCase(Locale.ROOT))) {
                throw KalamException.execution("duplicate column name [column=" + col.name() + "]");
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
                    throw KalamException.execution("Unknown table option '" + keyToken.unquoted() + "'");
                }
                c.expectSymbol("=");
                Token value = c.next();
                options.put(key, value.unquoted());
            } while (c.acceptSymbol(","));
            c.expectSymbol(")");
        }
        c.expectEnd();
        if (columns.isEmpty()) {
            throw KalamException.execution("a table needs at least one column");
        }
        columns = applyPrimaryKey(columns, tablePk);
        TableType declared = prefix;
        String typeOption = options.remove("TYPE");
        if (typeOption != null) {
            TableType fromOption;
            try {
                fromOption = TableType.valueOf(typeOption.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw KalamException.execution("invalid table TYPE '" + typeOption + "' (USER, SHARED or STREAM)");
            }
            if (declared != null && declared != fromOption) {
                throw KalamException.execution("Conflicting table type definitions");
            }
            declared = fromOption;
        }
        if (declared == TableType.SYSTEM) {
            throw KalamException.execution("cannot create SYSTEM tables");
        }
        AccessLevel access = options.containsKey("ACCESS_LEVEL") ? AccessLevel.parse(options.remove("ACCESS_LEVEL"))
                : null;
        Long ttl = null;
        String ttlText = options.remove("TTL_SECONDS");
        if (ttlText != null) {
            try {
                ttl = Long.parseLong(ttlText.trim());
            } catch (NumberFormatException e) {
                throw KalamException.execution("invalid TTL_SECONDS '" + ttlText + "' (a positive integer)");
            }
            if (ttl <= 0) {
                throw KalamException.execution("invalid TTL_SECONDS '" + ttlText + "' (a positive integer)");
            }
        }
        return new Stmt.CreateTable(ref, ifNotExists, declared, columns, options, access, ttl);
    }

    /** Marks the primary key: the named one, else the first column whose default generates unique ids. */
    private static List<ColumnDef> applyPrimaryKey(List<ColumnDef> columns, String tablePk) {
        long inline = columns.stream().filter(ColumnDef::primaryKey).count();
        if (inline > 1 || (inline == 1 && tablePk != null)) {
            throw KalamException.execution("multiple PRIMARY KEY definitions");
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
            throw KalamException.execution("PRIMARY KEY names an unknown column [column=" + pk + "]");
        }
        return out;
    }

    static ColumnDef columnDef(TokenCursor c, int id) {
        String name = c.identifier("column name");
        if (TableDef.isSystemColumn(name)) {
            throw KalamException.execution("column name '" + name + "' is reserved for a system column");
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

    // ---------- ALTER / DROP ----------

    private static Stmt alter(TokenCursor c, String defaultNamespace) {
        c.expectWord("ALTER");
        if (c.acceptWord("TOPIC")) {
            return TopicStatements.alterTopic(c, defaultNamespace);
        }
        if (c.acceptWord("NAMESPACE")) {
            String name = c.identifier("namespace name");
            c.expectWord("SET");
            c.expectWord("DESCRIPTION");
            String d = c.stringLiteral("description");
            c.expectEnd();
            return new Stmt.AlterNamespace(name, d);
        }
        if (c.acceptWord("USER")) {
            String user = c.userName();
            Boolean lock = c.acceptWord("LOCK") ? Boolean.TRUE : c.acceptWord("UNLOCK") ? Boolean.FALSE : null;
            if (lock != null) {
                c.expectEnd();
                return new Stmt.AlterUser(user, null, null, null, lock);
            }
            c.expectWord("SET");
            String password = null;
            Role role = null;
            String email = null;
            if (c.acceptWord("PASSWORD")) {
                password = c.stringLiteral("password");
            } else if (c.acceptWord("ROLE")) {
                role = Role.parse(c.next().unquoted());
            } else if (c.acceptWord("EMAIL")) {
                email = c.stringLiteral("email");
            } else {
                throw c.error("expected SET PASSWORD, SET ROLE, SET EMAIL, LOCK or UNLOCK");
            }
            c.expectEnd();
            return new Stmt.AlterUser(user, password, role, email, null);
        }
        c.acceptWord("USER");
        c.acceptWord("SHARED");
        c.acceptWord("STREAM");
        c.expectWord("TABLE");
        Stmt.TableRef ref = tableRef(c, defaultNamespace);
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

    private static Stmt drop(TokenCursor c, String defaultNamespace) {
        c.expectWord("DROP");
        if (c.acceptWord("TOPIC")) {
            boolean ifExists = c.acceptWords("IF", "EXISTS");
            String topic = TopicStatements.topicName(c);
            c.expectEnd();
            return new Stmt.DropTopic(topic, ifExists);
        }
        if (c.acceptWord("NAMESPACE") || c.acceptWord("SCHEMA")) {
            boolean ifExists = c.acceptWords("IF", "EXISTS");
            String name = c.identifier("namespace name");
            c.acceptWord("CASCADE");
            c.expectEnd();
            return new Stmt.DropNamespace(name, ifExists);
        }
        if (c.peekWord("USER") && !(c.peek(1) != null && c.peek(1).isWord("TABLE"))) {
            c.next();
            boolean ifExists = c.acceptWords("IF", "EXISTS");
            String user = c.userName();
            c.acceptWord("CASCADE");
            c.expectEnd();
            return new Stmt.DropUser(user, ifExists);
        }
        c.acceptWord("USER");
        c.acceptWord("SHARED");
        c.acceptWord("STREAM");
        c.expectWord("TABLE");
        boolean ifExists = c.acceptWords("IF", "EXISTS");
        Stmt.TableRef ref = tableRef(c, defaultNamespace);
        c.acceptWord("CASCADE");
        c.expectEnd();
        return new Stmt.DropTable(ref, ifExists);
    }

    // ---------- SHOW / DESCRIBE ----------

    private static Stmt show(TokenCursor c) {
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

    private static Stmt describe(TokenCursor c, String defaultNamespace) {
        c.next();
        c.acceptWord("TABLE");
        Stmt.TableRef ref = tableRef(c, defaultNamespace);
        c.acceptWord("HISTORY");
        c.expectEnd();
        return new Stmt.DescribeTable(ref);
    }

    // ---------- users ----------

    private static Stmt createUser(TokenCursor c) {
        String user = c.userName();
        String password = null;
        String authType = null;
        Role role = null;
        String email = null;
        while (!c.atEnd()) {
            if (c.acceptWord("WITH")) {
                if (c.acceptWord("PASSWORD")) {
                    password = c.stringLiteral("password");
                    authType = "password";
                } else if (c.acceptWord("OAUTH")) {
                    if (!c.atEnd() && c.peek().kind() == Token.Kind.STRING) {
                        c.next();
                    }
                    authType = "oauth";
                } else if (c.acceptWord("INTERNAL")) {
                    authType = "internal";
                } else {
                    throw c.error("expected PASSWORD, OAUTH or INTERNAL after WITH");
                }
            } else if (c.acceptWord("ROLE")) {
                role = Role.parse(c.next().unquoted());
            } else if (c.acceptWord("EMAIL")) {
                email = c.stringLiteral("email");
            } else {
                throw c.error("unexpected clause in CREATE USER");
            }
        }
        if (authType == null) {
            throw c.error("CREATE USER needs WITH PASSWORD '<password>', WITH OAUTH or WITH INTERNAL");
        }
        return new Stmt.CreateUser(user, password, authType, role == null ? Role.USER : role, email);
    }

    // ---------- SUBSCRIBE TO ----------

    private static Stmt subscribe(TokenCursor c, List<Object> params, String defaultNamespace) {
        c.expectWord("SUBSCRIBE");
        c.expectWord("TO");
        Map<String, Long> options = new LinkedHashMap<>();
        String select;
        Stmt.TableRef ref;
        if (c.peekWord("SELECT")) {
            String rest = c.rest();
            int optionsAt = indexOfOptions(rest);
            select = optionsAt < 0 ? rest : rest.substring(0, optionsAt).strip();
            Stmt.Query q = query(select, params, defaultNamespace, false);
            if (q.tables().size() != 1) {
                throw KalamException.invalidSql("a subscription reads exactly one table");
            }
            ref = q.tables().get(0);
            if (optionsAt >= 0) {
                parseOptions(new TokenCursor(rest.substring(optionsAt)), options);
            }
        } else {
            ref = tableRef(c, defaultNamespace);
            StringBuilder sql = new StringBuilder("SELECT * FROM " + ref.qualified());
            if (c.acceptWord("WHERE")) {
                int start = c.position();
                while (!c.atEnd() && !c.peekWord("OPTIONS")) {
                    c.next();
                }
                if (c.position() == start) {
                    throw c.error("expected a condition after WHERE");
                }
                sql.append(" WHERE ").append(c.textBetween(start, c.position()));
            }
            if (!c.atEnd()) {
                parseOptions(c, options);
            }
            select = sql.toString();
            query(select, params, defaultNamespace, false);
        }
        return new Stmt.Subscribe(ref, select, options);
    }

    private static int indexOfOptions(String sql) {
        for (Token t : SqlLexer.tokenize(sql)) {
            if (t.isWord("OPTIONS")) {
                return t.start();
            }
        }
        return -1;
    }

    private static void parseOptions(TokenCursor c, Map<String, Long> options) {
        c.expectWord("OPTIONS");
        c.expectSymbol("(");
        do {
            String key = c.identifier("option name").toLowerCase(Locale.ROOT);
            if (key.equals("from_seq_id")) {
                key = "from";
            }
            if (!Set.of("last_rows", "batch_size", "from").contains(key)) {
                throw KalamException.invalidSql("unknown subscription option '" + key
                        + "' (last_rows, batch_size or from)");
            }
            c.expectSymbol("=");
            options.put(key, c.number(key));
        } while (c.acceptSymbol(","));
        c.expectSymbol(")");
        c.expectEnd();
    }

    // ---------- EXECUTE AS USER ----------

    private static Stmt executeAs(TokenCursor c, List<Object> params, String defaultNamespace) {
        c.expectWord("EXECUTE");
        if (!c.acceptWords("AS", "USER")) {
            throw new KalamException(KalamErrorCode.INVALID_INPUT,
                    "invalid EXECUTE AS USER wrapper: expected EXECUTE AS USER '<user>' ( <statement> )");
        }
        String user = c.userName();
        if (!c.acceptSymbol("(")) {
            throw new KalamException(KalamErrorCode.INVALID_INPUT,
                    "invalid EXECUTE AS USER wrapper: expected ( <statement> ) after the user name");
        }
        int start = c.position();
        int depth = 1;
        int end = -1;
        while (!c.atEnd()) {
            Token t = c.next();
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
                if (depth == 0) {
                    end = c.position() - 1;
                    break;
                }
            }
        }
        if (end < 0 || start == end) {
            throw new KalamException(KalamErrorCode.INVALID_INPUT,
                    "invalid EXECUTE AS USER wrapper: the inner statement must be enclosed in parentheses");
        }
        c.expectEnd();
        String inner = c.textBetween(start, end).strip();
        if (inner.endsWith(";")) {
            inner = inner.substring(0, inner.length() - 1);
        }
        if (SqlLexer.splitStatements(inner).size() != 1) {
            throw new KalamException(KalamErrorCode.INVALID_INPUT,
                    "EXECUTE AS USER must wrap a single SQL statement");
        }
        Stmt innerStmt = parse(inner, params, defaultNamespace);
        if (innerStmt instanceof Stmt.ExecuteAs) {
            throw new KalamException(KalamErrorCode.INVALID_INPUT, "EXECUTE AS USER cannot be nested");
        }
        return new Stmt.ExecuteAs(user, innerStmt);
    }
}
