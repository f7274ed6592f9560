package io.kalamdb.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.runtime.Hook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Literals of WHERE comparisons and LIMIT/OFFSET become typed parameters: texts that differ only in those values
 * share one plan, the template keeps each literal's own type (no rounding to the column), parameters of the
 * original text keep their places, and the answers are those of the text as written.
 */
class LiteralNormalizerTest {
    private static final Session U1 = new Session("u1", Role.USER);
    private static EngineFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new EngineFixture();
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE nz; CREATE TABLE nz.m (id BIGINT PRIMARY KEY, thread TEXT, "
                + "d DECIMAL(10,2), n INT) WITH (TYPE='USER'); CREATE INDEX ON nz.m (thread)");
        fx.sql(U1, "INSERT INTO nz.m (id, thread, d, n) VALUES (1, 't1', 1.23, 1), (2, 't1', 2.50, 2), "
                + "(3, 't2', 1.23, 3), (4, 't1', 9.99, 4), (5, 't3', 0.01, 5)");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    private static LiteralNormalizer.Normalized normalize(String sql, Object... params) {
        CalciteSql.Parsed p = CalciteSql.parseCached(sql, Arrays.asList(params));
        return LiteralNormalizer.normalize(p.sql(), p.node(), p.params());
    }

    @Test
    void literalsBecomeParametersOfTheirOwnType() {
        LiteralNormalizer.Normalized a = normalize("SELECT * FROM nz.m WHERE thread = 't1' ORDER BY id DESC LIMIT 20");
        LiteralNormalizer.Normalized b = normalize(
                "SELECT * FROM nz.m WHERE thread = 'other' ORDER BY id DESC LIMIT 5");
        assertEquals(a.sql(), b.sql());
        assertTrue(a.sql().contains("\"thread\" = CAST(? AS VARCHAR)") && a.sql().contains("FETCH NEXT ? ROWS ONLY"),
                a.sql());
        assertEquals(List.of("t1", 20), a.params());
        assertEquals(List.of("other", 5), b.params());
        LiteralNormalizer.Normalized d = normalize("SELECT id FROM nz.m WHERE d = 1.234 AND n < 2.5 AND id = 3");
        assertTrue(d.sql().contains("CAST(? AS DECIMAL(4, 3))") && d.sql().contains("CAST(? AS DECIMAL(2, 1))")
                && d.sql().contains("CAST(? AS INTEGER)"), d.sql());
        assertEquals(List.of(new BigDecimal("1.234"), new BigDecimal("2.5"), 3), d.params());
    }

    @Test
    void parametersOfTheTextKeepTheirPlacesAmongTheLiterals() {
        LiteralNormalizer.Normalized n = normalize("SELECT id FROM nz.m WHERE n > $2 AND thread = 't1' AND id < $1 "
                + "ORDER BY id LIMIT $3 OFFSET 1", 4L, 0, 2);
        assertEquals(List.of(0, "t1", 4L, 1, 2), n.params(), "OFFSET is unparsed before FETCH: " + n.sql());
        assertEquals(List.of(List.of(2L)), rows("SELECT id FROM nz.m WHERE n > $2 AND thread = 't1' AND id < $1 "
                + "ORDER BY id LIMIT $3 OFFSET 1", 4L, 0, 1));
    }

    @Test
    void answersAreThoseOfTheTextAsWritten() {
        assertEquals(List.of(), rows("SELECT id FROM nz.m WHERE d = 1.234"), "not rounded to the column's scale");
        assertEquals(List.of(List.of(1L), List.of(3L)), rows("SELECT id FROM nz.m WHERE d = 1.230 ORDER BY id"));
        assertEquals(List.of(), rows("SELECT id FROM nz.m WHERE n = 2.5"));
        assertEquals(List.of(List.of(1L), List.of(2L)), rows("SELECT id FROM nz.m WHERE n < 2.5 ORDER BY id"));
        assertEquals(List.of(List.of(4L), List.of(2L)),
                rows("SELECT id FROM nz.m WHERE thread = 't1' ORDER BY id DESC LIMIT 2"));
        assertEquals(List.of(List.of(2L), List.of(1L)),
                rows("SELECT id FROM nz.m WHERE thread = 't1' ORDER BY id DESC LIMIT 2 OFFSET 1"));
        assertEquals(List.of(List.of(1L), List.of(3L)), rows("SELECT id FROM nz.m WHERE id IN (1, 3, 99) ORDER BY id"));
        assertEquals(List.of(List.of(2L), List.of(3L)),
                rows("SELECT id FROM nz.m WHERE id BETWEEN 2 AND 3 ORDER BY id"));
        assertEquals(List.of(List.of("t1")), rows("SELECT thread FROM nz.m WHERE thread LIKE 't_' AND id = 1"));
    }

    @Test
    void textsThatDifferOnlyInLiteralsShareOnePlanThatStillUsesTheIndex() {
        fx.one(U1, "SELECT * FROM nz.m WHERE thread = 'warm' ORDER BY id DESC LIMIT 20");
        AtomicInteger plans = new AtomicInteger();
        try (Hook.Closeable ignored = Hook.CONVERTED.addThread((RelNode rel) -> plans.incrementAndGet())) {
            for (int i = 0; i < 30; i++) {
                fx.one(U1, "SELECT * FROM nz.m WHERE thread = 't" + i + "' ORDER BY id DESC LIMIT " + (i + 1));
                fx.one(U1, "SELECT * FROM nz.m WHERE id = " + i);
            }
        }
        assertEquals(1, plans.get(), "one plan for the point lookup; the thread query was planned before");
        String template = normalize("SELECT * FROM nz.m WHERE thread = 't1' ORDER BY id DESC LIMIT 20").sql();
        String plan = explainTemplate(template.replaceFirst("\\?", "\\$1").replaceFirst("\\?", "\\$2"), "t1", 20);
        assertTrue(plan.contains("access=[INDEX_EQ], key=[thread], lo=[[?0], order=[PK DESC]")
                && plan.contains("KLimit(fetch=[?1])"), plan);
        String point = normalize("SELECT * FROM nz.m WHERE id = 3").sql().replaceFirst("\\?", "\\$1");
        assertTrue(explainTemplate(point, 3).contains("access=[PK_EQ]"), explainTemplate(point, 3));
    }

    private static String explainTemplate(String sql, Object... params) {
        StringBuilder plan = new StringBuilder();
        for (Object[] row : fx.one(EngineFixture.ROOT, "EXPLAIN " + sql, params).rows()) {
            plan.append(row[0]).append('\n');
        }
        return plan.toString();
    }

    private static List<List<Object>> rows(String sql, Object... params) {
        return fx.one(U1, sql, params).rows().stream().map(r -> Arrays.asList(r)).toList();
    }
}
