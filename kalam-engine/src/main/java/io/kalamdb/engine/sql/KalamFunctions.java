package io.kalamdb.engine.sql;

import io.kalamdb.engine.util.Ids;

import java.sql.Timestamp;

import org.apache.calcite.linq4j.function.NonDeterministic;

/**
 * KalamDB's built-in SQL functions, callable in SELECT and used as column defaults. Non-deterministic, so
 * Calcite never folds them into a cached plan.
 */
@NonDeterministic
public final class KalamFunctions {
    /** The SQL name {@code CURRENT_USER()} is rewritten to (see {@link CalciteSql#prepare}). */
    public static final String CURRENT_USER_FUNCTION = "KALAM_CURRENT_USER";

    private KalamFunctions() {
    }

    public static Timestamp now() {
        return new Timestamp(Ids.statementMillis());
    }

    public static long snowflakeId() {
        return Ids.current().snowflake();
    }

    public static String uuidV7() {
        return Ids.current().uuidV7();
    }

    public static String ulid() {
        return Ids.current().ulid();
    }

    /** The subject user of the running statement ({@code CURRENT_USER()} in KalamDB SQL). */
    public static String kalamCurrentUser() {
        return ScanScope.current().userId();
    }
}
