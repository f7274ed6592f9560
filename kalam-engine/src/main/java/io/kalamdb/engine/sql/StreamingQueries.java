package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.Session;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.List;

/**
 * Opens one SELECT as an uncapped {@link QueryStream}: the same parse, table checks, scan scope and plan
 * authorisation as a SELECT of a batch, without the row limits and the byte budget of a response.
 */
public final class StreamingQueries {
    private final Catalog catalog;
    private final QueryRunner queries;

    public StreamingQueries(Catalog catalog, QueryRunner queries) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.queries = requireNonNull(queries, "queries is null");
    }

    /**
     * The rows of {@code sql}, which must be a single query; PERMISSION_DENIED before any row is read when the
     * session may not read a table its plan reads.
     */
    public QueryStream open(Session session, String sql, List<Object> params, String defaultNamespace) {
        requireNonNull(session, "session is null");
        if (sql == null || sql.isBlank()) {
            throw new KalamException(KalamErrorCode.EMPTY_SQL, "No SQL statements found");
        }
        List<Object> values = params == null ? List.of() : params;
        String ns = defaultNamespace == null || defaultNamespace.isBlank() ? "default" : defaultNamespace;
        List<String> texts = SqlLexer.splitStatements(sql);
        if (texts.size() != 1) {
            throw KalamException.invalidInput("a scan runs exactly one SELECT [statements=" + texts.size() + "]");
        }
        if (!(KalamParser.parse(texts.get(0), values, ns) instanceof Stmt.Query query)) {
            throw KalamException.invalidInput("a scan runs a SELECT only");
        }
        for (Stmt.TableRef ref : query.tables()) {
            if (!ref.namespace().equalsIgnoreCase(SystemTables.NAMESPACE)
                    && catalog.table(ref.namespace(), ref.name()) == null) {
                throw KalamException.tableNotFound(ref.qualified());
            }
        }
        return queries.open(query.sql(), query.params(), ns, session,
                new ScanScope(session.userId(), query.mentionsDeleted()));
    }
}
