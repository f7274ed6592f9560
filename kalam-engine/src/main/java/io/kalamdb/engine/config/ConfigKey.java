package io.kalamdb.engine.config;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One configuration setting: its dotted key, its default and its documentation side by side, with a typed
 * parser that names the key and the expected form when a value is bad.
 *
 * @param <T> the value type
 */
public final class ConfigKey<T> {
    private final String key;
    private final T defaultValue;
    private final String doc;
    private final String expected;
    private final Function<String, T> parser;

    private ConfigKey(String key, T defaultValue, String doc, String expected, Function<String, T> parser) {
        this.key = requireNonNull(key, "key is null");
        this.defaultValue = defaultValue;
        this.doc = requireNonNull(doc, "doc is null");
        this.expected = requireNonNull(expected, "expected is null");
        this.parser = requireNonNull(parser, "parser is null");
    }

    public static ConfigKey<String> string(String key, String defaultValue, String doc) {
        return new ConfigKey<>(key, defaultValue, doc, "a string", s -> s);
    }

    public static ConfigKey<Integer> integer(String key, int defaultValue, int min, int max, String doc) {
        return new ConfigKey<>(key, defaultValue, doc, "an integer in [" + min + ", " + max + "]", s -> {
            int v = Integer.parseInt(s.trim());
            if (v < min || v > max) {
                throw new IllegalArgumentException("out of range");
            }
            return v;
        });
    }

    public static ConfigKey<Boolean> bool(String key, boolean defaultValue, String doc) {
        return new ConfigKey<>(key, defaultValue, doc, "true or false", s -> {
            String v = s.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("not a boolean");
            }
            return Boolean.parseBoolean(v);
        });
    }

    public String key() {
        return key;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** The value of this key in {@code values}, or its default; a bad value fails with a message naming the key. */
    public T read(Map<String, String> values) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            return parser.apply(raw);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid configuration value [key=" + key + ", value=" + raw
                    + "]: expected " + expected);
        }
    }
}
