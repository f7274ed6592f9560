package io.kalamdb.engine.auth;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.Locale;

/** The roles of reference section 6.1, lowest to highest. Admin means {@code dba} or {@code system}. */
public enum Role {
    USER, SERVICE, DBA, SYSTEM;

    /** Parses a role word of CREATE/ALTER USER, including the reference's aliases. */
    public static Role parse(String word) {
        String w = word.trim().toLowerCase(Locale.ROOT);
        return switch (w) {
            case "user", "viewer", "readonly" -> USER;
            case "service", "developer", "analyst" -> SERVICE;
            case "dba", "admin" -> DBA;
            case "system" -> SYSTEM;
            default -> throw new KalamException(KalamErrorCode.INVALID_OPTION, "Invalid role '" + word + "'");
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isAdmin() {
        return this == DBA || this == SYSTEM;
    }

    /** EXECUTE AS USER matrix (reference 1.12): which target roles this actor role may impersonate. */
    public boolean mayImpersonate(Role target) {
        return switch (this) {
            case SYSTEM -> true;
            case DBA -> target != SYSTEM;
            case SERVICE -> target == SERVICE || target == USER;
            case USER -> false;
        };
    }
}
