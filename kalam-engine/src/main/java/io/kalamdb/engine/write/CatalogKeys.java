package io.kalamdb.engine.write;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Keys of catalog records in the META space. */
public final class CatalogKeys {
    public static final String NAMESPACE_PREFIX = "ns/";
    public static final String TABLE_PREFIX = "table/";
    public static final String USER_PREFIX = "user/";
    public static final String TOPIC_PREFIX = "topic/";

    private CatalogKeys() {
    }

    public static byte[] namespace(String name) {
        return (NAMESPACE_PREFIX + name.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] table(long id) {
        return (TABLE_PREFIX + String.format(Locale.ROOT, "%016x", id)).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] topic(long id) {
        return (TOPIC_PREFIX + String.format(Locale.ROOT, "%016x", id)).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] user(String id) {
        return (USER_PREFIX + id).getBytes(StandardCharsets.UTF_8);
    }
}
