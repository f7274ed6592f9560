package io.kalamdb.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.StoredRow;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Filters compiled by Calcite: dynamic values, refusals, run-time failures, schema changes and the cache. */
class FilterCompilerTest {
    private EngineFixture fx;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE app; CREATE TABLE app.t (id BIGINT PRIMARY KEY, owner TEXT, "
                + "d DECIMAL(10,2), s TEXT) WITH (TYPE='SHARED')");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private TableDef table() {
        return fx.engine().catalog().table("app", "t");
    }

    private static StoredRow row(long id, String owner, String d, String s) {
        return new StoredRow(100 + id, false, new Object[] {id, owner, d == null ? null : new BigDecimal(d), s});
    }

    private RowPredicate where(String condition, String user) {
        return FilterCompiler.compile(table(), CalciteSql.prepare("SELECT * FROM app.t WHERE " + condition,
                List.of()).sql(), user);
    }

    @Test
    void currentUserIsTheSubscriberAndEachSubscriberGetsItsOwnPredicate() {
        RowPredicate alice = where("owner = CURRENT_USER()", "alice");
        RowPredicate bob = where("owner = CURRENT_USER", "bob");
        assertTrue(alice.test(row(1, "alice", "1", "x")));
        assertFalse(alice.test(row(2, "bob", "1", "x")));
        assertTrue(bob.test(row(2, "bob", "1", "x")));
        assertFalse(bob.test(row(1, "alice", "1", "x")));
        assertTrue(alice.sharesCodeWith(where("owner = CURRENT_USER()", "carol")), "compiled once for everyone");
        assertFalse(where("owner = CURRENT_USER()", null).test(row(1, "alice", "1", "x")), "no user: NULL");
    }

    @Test
    void aFilterIsCompiledOncePerTableVersionAndText() {
        assertTrue(where("d > 1", "alice").sharesCodeWith(where("d > 1", "bob")));
        assertFalse(where("d > 1", "alice").sharesCodeWith(where("d > 2", "alice")));
    }

    @Test
    void onlyTrueMatchesAndNullIsNoMatch() {
        RowPredicate p = where("d BETWEEN 1 AND 2 AND s ILIKE 'A%'", "u");
        assertTrue(p.test(row(1, "u", "1.50", "abc")));
        assertFalse(p.test(row(2, "u", "2.01", "abc")));
        assertFalse(p.test(row(3, "u", null, "abc")));
        assertFalse(p.test(row(4, "u", "1.50", null)));
        assertTrue(where("d IS NULL", "u").test(row(5, "u", null, null)));
    }

    @Test
    void systemColumnsAreInTheRowLayout() {
        RowPredicate p = where("_seq > 101 AND _deleted = FALSE", "u");
        assertFalse(p.test(row(1, "u", "1", "x")));
        assertTrue(p.test(row(2, "u", "1", "x")));
        assertFalse(p.test(new StoredRow(500, true, new Object[] {3L, "u", null, null})));
    }

    @Test
    void aRowWhoseEvaluationFailsIsNoMatchAndLaterRowsStillMatch() {
        RowPredicate p = where("CAST(s AS INTEGER) > 5", "u");
        assertFalse(p.test(row(1, "u", "1", "not a number")));
        assertTrue(p.test(row(2, "u", "1", "7")));
        assertFalse(p.test(row(3, "u", "1", "3")));
    }

    @Test
    void unstableFunctionsAndParametersAreRefused() {
        for (String bad : List.of("d > 0 AND NOW() IS NOT NULL", "id < SNOWFLAKE_ID()", "s = UUID_V7()",
                "RAND() < 0.5", "CURRENT_TIMESTAMP > TIMESTAMP '2020-01-01 00:00:00'", "id = ?")) {
            KalamException e = assertThrows(KalamException.class, () -> where(bad, "u"), bad);
            assertEquals(KalamErrorCode.INVALID_SQL, e.code(), bad + ": " + e.getMessage());
        }
    }

    @Test
    void unknownColumnsKeepCalcitesError() {
        KalamException e = assertThrows(KalamException.class, () -> where("ghost = 1", "u"));
        assertTrue(e.getMessage().contains("ghost"), e.getMessage());
    }

    @Test
    void constantConditionsNeedNoGeneratedCode() {
        assertTrue(where("1 = 1", "u").test(row(1, "u", null, null)));
        assertFalse(where("1 = 0", "u").test(row(1, "u", null, null)));
        assertTrue(RowPredicate.all(table()).test(row(1, "u", null, null)));
    }

    @Test
    void aSchemaChangeRecompilesForTheNewColumnsOrMatchesNothingWhenTheColumnIsGone() {
        RowPredicate p = where("s = 'x'", "u");
        fx.sql(EngineFixture.ROOT, "ALTER TABLE app.t ADD COLUMN extra INT");
        TableDef widened = table();
        RowPredicate again = p.forTable(widened);
        assertNotSame(p, again);
        assertSame(widened, again.table());
        assertTrue(p.test(widened, new StoredRow(1, false, new Object[] {1L, "u", null, "x", 5})));
        fx.sql(EngineFixture.ROOT, "ALTER TABLE app.t DROP COLUMN s");
        TableDef narrowed = table();
        assertFalse(p.test(narrowed, new StoredRow(1, false, new Object[] {1L, "u", null, 5})));
    }
}
