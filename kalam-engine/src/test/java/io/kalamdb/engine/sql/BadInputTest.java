package io.kalamdb.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.ErrorText;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Inputs the SQL fuzzer (SqlFuzzIT) found to crash the engine: each is now a user error with a stable code and
 * a message free of Java internals.
 */
class BadInputTest {
    private static final Session U1 = new Session("u1", Role.USER);
    private EngineFixture fx;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE app; CREATE TABLE app.t (id BIGINT PRIMARY KEY, n INT, "
                + "body TEXT) WITH (TYPE='USER')");
        fx.sql(U1, "INSERT INTO app.t (id, n, body) VALUES (1, 1, 'a'), (2, 2, 'b')");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void placeholderNumbersTooLargeForAnInt() {
        rejected(KalamErrorCode.INVALID_PARAMETER, "$99999999999", "SELECT $99999999999");
        rejected(KalamErrorCode.INVALID_PARAMETER, "$99999999999",
                "INSERT INTO app.t (id, n) VALUES ($99999999999, 1)");
        rejected(KalamErrorCode.INVALID_PARAMETER, "numbered from $1", "SELECT $0");
    }

    @Test
    void jdbcStylePlaceholders() {
        rejected(KalamErrorCode.INVALID_SQL, "use $1", "SELECT ?");
        rejected(KalamErrorCode.INVALID_SQL, "use $1", "DELETE FROM app.t WHERE n = ?");
        rejected(KalamErrorCode.INVALID_SQL, "use $1", "BEGIN; DELETE FROM app.t WHERE n = ?; ROLLBACK");
        rejected(KalamErrorCode.INVALID_SQL, "use $1", "UPDATE app.t SET body = ? WHERE id = 1");
    }

    @Test
    void columnListsAndTargetsThatAreNotPlainNames() {
        rejected(KalamErrorCode.INVALID_SQL, "column name", "INSERT INTO app.t (app.n, id) SELECT n, id FROM app.t");
        rejected(KalamErrorCode.INVALID_SQL, "column name", "UPDATE app.t SET t.n = 1 WHERE id = 1");
    }

    @Test
    void anUnknownColumnIsNamedAsSuch() {
        // Calcite's Babel validator calls it a column that "depends on itself"; the client is told what is wrong
        rejected(KalamErrorCode.COLUMN_NOT_FOUND, "column 'nocol' not found in table 'app.t'",
                "SELECT nocol FROM app.t");
        rejected(KalamErrorCode.COLUMN_NOT_FOUND, "column 'nocol' not found in table 'app.t'",
                "SELECT id FROM app.t WHERE nocol = 1");
    }

    @Test
    void limitAndOffsetOutOfRange() {
        rejected(KalamErrorCode.INVALID_OPTION, "LIMIT", "SELECT * FROM app.t ORDER BY id LIMIT 99999999999999999999");
        rejected(KalamErrorCode.INVALID_OPTION, "LIMIT",
                "SELECT * FROM app.t ORDER BY id LIMIT 5 OFFSET 99999999999999999999");
    }

    @Test
    void limitAndOffsetParametersOfEveryKind() {
        for (Object bad : new Object[] {"abc", -1L, new java.math.BigDecimal("99999999999999999999"), 1e300, true}) {
            for (String sql : new String[] {"SELECT * FROM app.t ORDER BY id LIMIT $1",
                "SELECT * FROM app.t LIMIT 1 OFFSET $1", "SELECT n, COUNT(*) FROM app.t GROUP BY n LIMIT $1"}) {
                KalamException e = assertThrows(KalamException.class, () -> fx.sql(U1, sql, bad), sql + " " + bad);
                assertTrue(e.code() != KalamErrorCode.INTERNAL_ERROR, sql + " " + bad + " -> " + e.getMessage());
                assertFalse(ErrorText.looksInternal(e.getMessage()), sql + " " + bad + " -> " + e.getMessage());
            }
        }
    }

    @Test
    void failuresInsideCalcitesGeneratedCodeAndPlanner() {
        rejected(KalamErrorCode.SQL_EXECUTION_ERROR, "arithmetic", "SELECT n FROM app.t WHERE n > 1 / 0");
        rejected(KalamErrorCode.INVALID_SQL, "not supported",
                "SELECT * FROM app.t WHERE EXISTS EXISTS (SELECT 1 FROM app.t)");
        rejected(KalamErrorCode.INVALID_SQL, "nested", "SELECT " + "(".repeat(20_000) + "1" + ")".repeat(20_000));
    }

    @Test
    void parametersOfTheWrongType() {
        KalamException e = assertThrows(KalamException.class,
                () -> fx.sql(U1, "SELECT id FROM app.t WHERE n + $1 > 0", "abc"));
        assertFalse(ErrorText.looksInternal(e.getMessage()), e.getMessage());
        assertTrue(e.code() == KalamErrorCode.SQL_EXECUTION_ERROR || e.code() == KalamErrorCode.INVALID_PARAMETER,
                e.code() + ": " + e.getMessage());
    }

    private void rejected(KalamErrorCode code, String fragment, String sql) {
        KalamException e = assertThrows(KalamException.class, () -> fx.sql(U1, sql), sql);
        assertEquals(code, e.code(), sql + " -> " + e.getMessage());
        assertTrue(e.getMessage().contains(fragment), sql + " -> " + e.getMessage());
        assertFalse(ErrorText.looksInternal(e.getMessage()), sql + " -> " + e.getMessage());
    }
}
