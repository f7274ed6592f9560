package io.kalamdb.engine.sql;

import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.List;

/**
 * Parses one statement: the entry point that reads a statement's leading keywords and hands it to its family
 * ({@link QueryStatements} for queries, DML and SUBSCRIBE through Calcite's parser, {@link SchemaStatements} for
 * namespaces, tables and indexes, {@link UserStatements}, {@link TopicStatements}, {@link ShowStatements}); the
 * one-line statements (USE, transactions, KILL, CLEAR TOPIC) and the EXECUTE AS USER wrapper are parsed here
 * (see docs/adr/0002-sql-front-parser.md).
 */
public final class KalamParser {

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
            case "SELECT", "WITH", "VALUES", "TABLE", "(" ->
                    QueryStatements.query(sql, params, defaultNamespace, false);
            case "EXPLAIN" -> QueryStatements.explain(c, params, defaultNamespace);
            case "INSERT", "UPDATE", "DELETE" -> QueryStatements.dml(c, params, defaultNamespace);
            case "CREATE" -> create(c, defaultNamespace);
            case "ALTER" -> alter(c, defaultNamespace);
            case "DROP" -> drop(c, defaultNamespace);
            case "SHOW" -> ShowStatements.show(c);
            case "DESCRIBE", "DESC" -> ShowStatements.describe(c, defaultNamespace);
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
            case "SUBSCRIBE" -> QueryStatements.subscribe(c, params, defaultNamespace);
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

    static Stmt.TableRef tableRef(List<String> names, String defaultNamespace) {
        return switch (names.size()) {
            case 1 -> new Stmt.TableRef(defaultNamespace, names.get(0));
            case 2 -> new Stmt.TableRef(names.get(0), names.get(1));
            default -> throw KalamException.invalidSql("table name must be <namespace>.<table> [name="
                    + String.join(".", names) + "]");
        };
    }

    static Stmt.TableRef tableRef(TokenCursor c, String defaultNamespace) {
        String first = c.identifier("table name");
        if (c.acceptSymbol(".")) {
            return new Stmt.TableRef(first, c.identifier("table name"));
        }
        return new Stmt.TableRef(defaultNamespace, first);
    }


    // ---------- CREATE / ALTER / DROP: by the object they name ----------

    private static Stmt create(TokenCursor c, String defaultNamespace) {
        c.expectWord("CREATE");
        if (c.acceptWord("TOPIC")) {
            return TopicStatements.createTopic(c);
        }
        if (c.acceptWord("INDEX")) {
            return SchemaStatements.createIndex(c, defaultNamespace);
        }
        if (c.acceptWord("NAMESPACE") || c.acceptWord("SCHEMA")) {
            return SchemaStatements.createNamespace(c);
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
            return SchemaStatements.createTable(c, defaultNamespace, prefix);
        }
        if (prefix == null && c.acceptWord("USER")) {
            return UserStatements.createUser(c);
        }
        throw c.error("expected NAMESPACE, TABLE or USER after CREATE");
    }

    private static Stmt alter(TokenCursor c, String defaultNamespace) {
        c.expectWord("ALTER");
        if (c.acceptWord("TOPIC")) {
            return TopicStatements.alterTopic(c, defaultNamespace);
        }
        if (c.acceptWord("NAMESPACE")) {
            return SchemaStatements.alterNamespace(c);
        }
        if (c.acceptWord("USER")) {
            return UserStatements.alterUser(c);
        }
        return SchemaStatements.alterTable(c, defaultNamespace);
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
            return SchemaStatements.dropNamespace(c);
        }
        if (c.peekWord("USER") && !(c.peek(1) != null && c.peek(1).isWord("TABLE"))) {
            c.next();
            return UserStatements.dropUser(c);
        }
        return SchemaStatements.dropTable(c, defaultNamespace);
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
