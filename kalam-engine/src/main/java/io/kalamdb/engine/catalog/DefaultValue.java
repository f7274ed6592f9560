package io.kalamdb.engine.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Locale;

/**
 * A column default: either a built-in function ({@code SNOWFLAKE_ID()}, {@code UUID_V7()}, {@code ULID()},
 * {@code NOW()}, {@code CURRENT_USER()}) or a literal kept as its SQL text.
 */
public record DefaultValue(String function, String literal) {

    public static DefaultValue function(String name) {
        return new DefaultValue(name.toUpperCase(Locale.ROOT), null);
    }

    public static DefaultValue literal(String sqlText) {
        return new DefaultValue(null, sqlText);
    }

    @JsonIgnore
    public boolean isFunction() {
        return function != null;
    }

    /** Whether the function produces a unique key value for each row. */
    @JsonIgnore
    public boolean isKeyGenerator() {
        return "SNOWFLAKE_ID".equals(function) || "UUID_V7".equals(function) || "ULID".equals(function);
    }

    /** The default as SQL text, for DESCRIBE TABLE. */
    @JsonIgnore
    public String sqlText() {
        return isFunction() ? function + "()" : literal;
    }
}
