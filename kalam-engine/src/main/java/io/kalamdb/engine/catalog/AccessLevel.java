package io.kalamdb.engine.catalog;

import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamException;

import java.util.Locale;

/** Who may read and write a SHARED table (reference section 6.2). */
public enum AccessLevel {
    PUBLIC, PRIVATE, RESTRICTED, DBA;

    public static AccessLevel parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw KalamException.invalidSql("invalid ACCESS_LEVEL [value=" + text
                    + "] (expected PUBLIC, PRIVATE, RESTRICTED or DBA)");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean canRead(Role role) {
        return switch (this) {
            case PUBLIC -> true;
            case PRIVATE, RESTRICTED -> role != Role.USER;
            case DBA -> role.isAdmin();
        };
    }

    public boolean canWrite(Role role) {
        return switch (this) {
            case PUBLIC, PRIVATE, RESTRICTED -> role != Role.USER;
            case DBA -> role.isAdmin();
        };
    }
}
