package io.kalamdb.engine.sql;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;

import java.util.Arrays;

/**
 * A quick in-engine timing of the hot queries (not a test: run it by hand with the test classpath): 100k rows in
 * one user partition, 2000 per thread, an index on thread_id; prints the median µs per query of the last 20
 * messages of a thread and of a primary-key point lookup.
 */
public final class HotPathTiming {
    private static final Session U1 = new Session("u1", Role.USER);
    private static final int ROWS = 100_000;
    private static final int PER_THREAD = 2000;

    private HotPathTiming() {
    }

    public static void main(String[] args) {
        try (EngineFixture fx = new EngineFixture(java.util.Map.of("execution.max_sql_length", "10000000"))) {
            fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE chat; CREATE TABLE chat.messages (id BIGINT PRIMARY KEY, "
                    + "thread_id TEXT, body TEXT, amount DECIMAL(12,2)) WITH (TYPE='USER'); "
                    + "CREATE INDEX ON chat.messages (thread_id)");
            for (int from = 0; from < ROWS; from += 1000) {
                StringBuilder sql = new StringBuilder(
                        "INSERT INTO chat.messages (id, thread_id, body, amount) VALUES ");
                for (int i = from; i < from + 1000; i++) {
                    sql.append(i == from ? "" : ", ").append('(').append(i).append(", 't").append(i / PER_THREAD)
                            .append("', 'message body number ").append(i).append("', ").append(i % 1000).append(".25)");
                }
                fx.sql(U1, sql.toString());
            }
            for (int round = 1; round <= 2; round++) {
                long[] last20 = time(fx, 5_000, i -> new Object[] {"SELECT * FROM chat.messages WHERE thread_id = $1 "
                        + "ORDER BY id DESC LIMIT 20", "t" + (i % 50)});
                long[] last20Literal = time(fx, 2_000, i -> new Object[] {"SELECT * FROM chat.messages WHERE "
                        + "thread_id = 't" + (i % 50) + "' ORDER BY id DESC LIMIT 20"});
                long[] point = time(fx, 300, i -> new Object[] {"SELECT * FROM chat.messages WHERE id = $1",
                        (long) (i * 7919 % ROWS)});
                long[] pointLiteral = time(fx, 300, i -> new Object[] {"SELECT * FROM chat.messages WHERE id = "
                        + (i * 7919 % ROWS)});
                System.out.printf("round %d: last20 $1 %.1f µs, last20 literal %.1f µs, point $1 %.1f µs, "
                        + "point literal %.1f µs%n", round, median(last20), median(last20Literal), median(point),
                        median(pointLiteral));
            }
        }
    }

    private static long[] time(EngineFixture fx, int n, java.util.function.IntFunction<Object[]> query) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            Object[] q = query.apply(i);
            long t0 = System.nanoTime();
            int rows = fx.one(U1, (String) q[0], Arrays.copyOfRange(q, 1, q.length)).rowCount() > 0 ? 1 : 0;
            nanos[i] = System.nanoTime() - t0;
            if (rows == 0) {
                throw new AssertionError("no rows: " + q[0]);
            }
        }
        return nanos;
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1000.0;
    }
}
