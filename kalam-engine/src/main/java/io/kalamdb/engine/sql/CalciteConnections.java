package io.kalamdb.engine.sql;

import java.util.Properties;

import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;

/**
 * The settings every Calcite connection of the engine shares: the connection properties (parser, conformance,
 * case rules, function libraries, time zone) and KalamDB's built-in functions. Queries and compiled row filters
 * both start here, so a subscription's WHERE means exactly what the same SELECT means.
 */
public final class CalciteConnections {
    private CalciteConnections() {
    }

    /**
     * A fresh copy of the connection properties. The PostgreSQL function library is on (for {@code ILIKE} and
     * the other PostgreSQL spellings), next to the standard operators.
     */
    public static Properties properties() {
        Properties info = new Properties();
        info.setProperty("caseSensitive", "false");
        info.setProperty("quoting", "DOUBLE_QUOTE");
        info.setProperty("quotedCasing", "UNCHANGED");
        info.setProperty("unquotedCasing", "UNCHANGED");
        info.setProperty("conformance", "BABEL");
        info.setProperty("parserFactory", "org.apache.calcite.sql.parser.babel.SqlBabelParserImpl#FACTORY");
        info.setProperty("fun", "standard,postgresql");
        info.setProperty("timeZone", "UTC");
        return info;
    }

    /** Registers KalamDB's built-in functions ({@link KalamFunctions}) in a connection's root schema. */
    public static void addFunctions(SchemaPlus root) {
        root.add("NOW", ScalarFunctionImpl.create(KalamFunctions.class, "now"));
        root.add("SNOWFLAKE_ID", ScalarFunctionImpl.create(KalamFunctions.class, "snowflakeId"));
        root.add("UUID_V7", ScalarFunctionImpl.create(KalamFunctions.class, "uuidV7"));
        root.add("ULID", ScalarFunctionImpl.create(KalamFunctions.class, "ulid"));
        root.add(KalamFunctions.CURRENT_USER_FUNCTION, ScalarFunctionImpl.create(KalamFunctions.class,
                "kalamCurrentUser"));
    }
}
