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
        Properties info = new NamesCachedProperties();
        // Names in upper case: Calcite looks every name up upper-cased, and an upper-case name is its own result.
        info.setProperty("CASESENSITIVE", "false");
        info.setProperty("QUOTING", "DOUBLE_QUOTE");
        info.setProperty("QUOTEDCASING", "UNCHANGED");
        info.setProperty("UNQUOTEDCASING", "UNCHANGED");
        info.setProperty("CONFORMANCE", "BABEL");
        info.setProperty("PARSERFACTORY", "org.apache.calcite.sql.parser.babel.SqlBabelParserImpl#FACTORY");
        info.setProperty("FUN", "standard,postgresql");
        info.setProperty("TIMEZONE", "UTC");
        return info;
    }

    /**
     * Connection properties that remember their names. Calcite reads its connection settings by re-parsing the
     * whole property set on every access (several times per executed statement: the time zone, the locale, …),
     * and listing the names was the larger part of that cost on the hot query. The list is recomputed after any
     * change; Calcite copies the set with {@code clone()}, which keeps this class.
     */
    private static final class NamesCachedProperties extends Properties {
        private static final long serialVersionUID = 1L;
        private transient volatile java.util.Set<String> names;

        @Override
        public synchronized Object put(Object key, Object value) {
            names = null;
            return super.put(key, value);
        }

        @Override
        public synchronized Object remove(Object key) {
            names = null;
            return super.remove(key);
        }

        @Override
        public synchronized void putAll(java.util.Map<?, ?> values) {
            names = null;
            super.putAll(values);
        }

        @Override
        public synchronized void clear() {
            names = null;
            super.clear();
        }

        @Override
        public java.util.Set<String> stringPropertyNames() {
            java.util.Set<String> known = names;
            if (known == null) {
                known = java.util.Set.copyOf(super.stringPropertyNames());
                names = known;
            }
            return known;
        }
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
