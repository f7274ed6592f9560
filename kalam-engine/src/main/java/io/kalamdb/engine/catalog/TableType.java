package io.kalamdb.engine.catalog;

import java.util.Locale;

/** The kinds of table: per-user, one shared partition, per-user TTL-evicted events, and read-only system views. */
public enum TableType {
    USER, SHARED, STREAM, SYSTEM;

    /** Lowercase name as used on the wire and in system tables. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether rows are partitioned by the subject user. */
    public boolean isPerUser() {
        return this == USER || this == STREAM;
    }
}
