package io.kalamdb.engine.sql;

import io.kalamdb.engine.util.Ids;

import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.util.Holder;

/**
 * The variables one run of a cached Calcite plan reads: its parameters and the few values Calcite's generated code
 * asks for (the statement time, time zone, locale, user, cancel flag).
 *
 * <p>It stands in for the data context Calcite's JDBC layer builds on every execution, which copies every variable
 * into a fresh immutable map and re-reads the connection's settings to learn the time zone and locale. Here those
 * are fixed (the connections run in UTC with the root locale, {@link CalciteConnections}), and the time is taken
 * once per run, so every CURRENT_TIMESTAMP of one statement agrees.
 */
final class RunContext implements DataContext {
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private final SchemaPlus rootSchema;
    private final JavaTypeFactory typeFactory;
    private final QueryProvider queryProvider;
    private final Object[] parameters;
    private final Map<String, Object> internalParameters;
    private final long time;
    private final AtomicBoolean cancelFlag = new AtomicBoolean();

    RunContext(SchemaPlus rootSchema, JavaTypeFactory typeFactory, QueryProvider queryProvider, Object[] parameters,
               Map<String, Object> internalParameters) {
        this.rootSchema = rootSchema;
        this.typeFactory = typeFactory;
        this.queryProvider = queryProvider;
        this.parameters = parameters;
        this.internalParameters = internalParameters;
        Holder<Long> now = Holder.of(Ids.statementMillis());
        Hook.CURRENT_TIME.run(now);
        this.time = now.get();
    }

    @Override
    public SchemaPlus getRootSchema() {
        return rootSchema;
    }

    @Override
    public JavaTypeFactory getTypeFactory() {
        return typeFactory;
    }

    @Override
    public QueryProvider getQueryProvider() {
        return queryProvider;
    }

    @Override
    public Object get(String name) {
        if (name.length() > 1 && name.charAt(0) == '?') {
            int i = parameterIndex(name);
            if (i >= 0 && i < parameters.length) {
                return parameters[i];
            }
        }
        // The time zone is UTC: current, local and UTC time are the same instant.
        if (Variable.UTC_TIMESTAMP.camelName.equals(name) || Variable.CURRENT_TIMESTAMP.camelName.equals(name)
                || Variable.LOCAL_TIMESTAMP.camelName.equals(name)) {
            return time;
        }
        if (Variable.TIME_ZONE.camelName.equals(name)) {
            return UTC;
        }
        if (Variable.LOCALE.camelName.equals(name)) {
            return Locale.ROOT;
        }
        if (Variable.CANCEL_FLAG.camelName.equals(name)) {
            return cancelFlag;
        }
        if (Variable.USER.camelName.equals(name)) {
            return "sa";
        }
        if (Variable.SYSTEM_USER.camelName.equals(name)) {
            return "kalamdb";
        }
        return internalParameters.get(name);
    }

    private static int parameterIndex(String name) {
        int i = 0;
        for (int k = 1; k < name.length(); k++) {
            char c = name.charAt(k);
            if (c < '0' || c > '9' || i > 100_000) {
                return -1;
            }
            i = i * 10 + (c - '0');
        }
        return i;
    }
}
