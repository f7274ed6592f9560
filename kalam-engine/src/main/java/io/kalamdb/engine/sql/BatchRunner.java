package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.PartitionReader;
import io.kalamdb.engine.tx.Transaction;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the statements of one parsed and authorised batch in order: opens, commits and rolls back explicit
 * transactions ({@code BEGIN … COMMIT}, each a {@link Transaction} whose statements read their own writes),
 * re-runs a transaction or a single write that met {@code CONFLICT}, and assembles the results (in a batch of
 * several statements the INSERT/UPDATE/DELETE counts are summed into up to three results at the end, as the
 * reference does). Each statement itself goes to the {@link StatementDispatcher}.
 */
final class BatchRunner {
    private final StatementDispatcher statements;
    private final Catalog catalog;
    private final PartitionReader reader;

    BatchRunner(StatementDispatcher statements, Catalog catalog, PartitionReader reader) {
        this.statements = requireNonNull(statements, "statements is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.reader = requireNonNull(reader, "reader is null");
    }

    List<StatementResult> run(List<Stmt> stmts, Session session, String ns, boolean batch) {
        List<StatementResult> results = new ArrayList<>();
        long[] counts = new long[3];
        Transaction tx = null;
        int txStart = -1;
        int txResults = 0;
        long[] txCounts = null;
        int txAttempts = 0;
        try {
            for (int i = 0; i < stmts.size(); i++) {
                Stmt stmt = stmts.get(i);
                try {
                    switch (stmt) {
                        case Stmt.Begin ignored -> {
                            if (tx != null) {
                                throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED,
                                        "a transaction is already open");
                            }
                            tx = Transaction.begin(catalog, reader);
                            if (txStart != i) {
                                txStart = i;
                                txAttempts = 0;
                            }
                            txResults = results.size();
                            txCounts = counts.clone();
                            results.add(StatementResult.message("Transaction started", 0, session.userId()));
                        }
                        case Stmt.Commit ignored -> {
                            if (tx == null) {
                                throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED,
                                        "no transaction is open");
                            }
                            try {
                                statements.commit(tx);
                            } finally {
                                tx.close();
                            }
                            tx = null;
                            txStart = -1;
                            results.add(StatementResult.message("Transaction committed", 0, session.userId()));
                        }
                        case Stmt.Rollback ignored -> {
                            if (tx == null) {
                                throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED,
                                        "no transaction is open");
                            }
                            tx.close();
                            tx = null;
                            results.add(StatementResult.message("Transaction rolled back", 0, session.userId()));
                        }
                        default -> {
                            Transaction open = tx;
                            StatementResult r = open == null && isDml(stmt)
                                    ? ConflictRetry.run(() -> statements.run(stmt, session, ns, null))
                                    : statements.run(stmt, session, ns, tx);
                            if (batch && r.hasRows() == false && isDml(stmt)) {
                                addCount(counts, stmt, r.rowCount());
                            } else {
                                results.add(r);
                            }
                        }
                    }
                } catch (KalamException e) {
                    if (tx != null && e.code() == KalamErrorCode.CONFLICT && ++txAttempts < ConflictRetry.MAX_ATTEMPTS
                            && isRerunnable(stmts, txStart)) {
                        // a row the transaction read changed: nothing of it was applied, so run it again from BEGIN
                        results.subList(txResults, results.size()).clear();
                        System.arraycopy(txCounts, 0, counts, 0, counts.length);
                        tx.close();
                        tx = null;
                        ConflictRetry.pause(txAttempts);
                        i = txStart - 1;
                        continue;
                    }
                    if (tx != null && e.code() == KalamErrorCode.CONFLICT) {
                        throw prefixed(new KalamException(KalamErrorCode.CONFLICT, "the transaction was not applied "
                                + "(rows it read kept changing, or it cannot be re-run); retry it [attempts="
                                + txAttempts + "]: " + e.getMessage(), e), i, batch);
                    }
                    throw prefixed(e, i, batch);
                } catch (RuntimeException e) {
                    // not the client's doing: the edge logs the cause and tells the client only a reference
                    throw prefixed(KalamException.internal("statement failed", e), i, batch);
                }
            }
            if (tx != null) {
                throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED,
                        "Request completed with an open explicit transaction; rolled back automatically "
                                + "[begin=statement "
                                + (txStart + 1) + "]");
            }
        } finally {
            if (tx != null) {
                // a failed statement or an open transaction at the end: nothing of it is applied
                tx.close();
            }
        }
        String who = session.userId();
        if (counts[0] > 0 || hasKind(stmts, 0)) {
            results.add(StatementResult.message("Inserted " + counts[0] + " row(s)", counts[0], who));
        }
        if (counts[1] > 0 || hasKind(stmts, 1)) {
            results.add(StatementResult.message("Updated " + counts[1] + " row(s)", counts[1], who));
        }
        if (counts[2] > 0 || hasKind(stmts, 2)) {
            results.add(StatementResult.message("Deleted " + counts[2] + " row(s)", counts[2], who));
        }
        return results;
    }

    /**
     * Whether the transaction opened at {@code begin} may run again after a {@code CONFLICT}: up to its COMMIT
     * it holds only reads and row changes, whose one effect is the command its COMMIT submits.
     */
    private static boolean isRerunnable(List<Stmt> stmts, int begin) {
        for (int j = begin + 1; j < stmts.size(); j++) {
            Stmt st = stmts.get(j);
            if (st instanceof Stmt.Commit) {
                return true;
            }
            if (!isDml(st) && !(st instanceof Stmt.Query)) {
                return false;
            }
        }
        return false;
    }

    private static boolean hasKind(List<Stmt> stmts, int kind) {
        if (stmts.size() < 2) {
            return false;
        }
        for (Stmt s : stmts) {
            if (dmlKind(s) == kind) {
                return true;
            }
        }
        return false;
    }

    static boolean isDml(Stmt s) {
        return dmlKind(s) >= 0;
    }

    static int dmlKind(Stmt s) {
        Stmt inner = s instanceof Stmt.ExecuteAs ea ? ea.inner() : s;
        return switch (inner) {
            case Stmt.Insert ignored -> 0;
            case Stmt.Update ignored -> 1;
            case Stmt.Delete ignored -> 2;
            default -> -1;
        };
    }

    private static void addCount(long[] counts, Stmt s, long n) {
        counts[dmlKind(s)] += n;
    }

    static KalamException prefixed(KalamException e, int index, boolean batch) {
        return batch ? e.withPrefix("Statement " + (index + 1) + " failed: ") : e;
    }
}
