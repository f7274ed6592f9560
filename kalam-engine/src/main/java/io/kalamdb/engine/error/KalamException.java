package io.kalamdb.engine.error;

import static java.util.Objects.requireNonNull;

/**
 * The one unchecked exception of KalamDB: a stable {@link KalamErrorCode} plus a message shaped
 * {@code what happened [key=value, ...]}. SQL errors keep the 1-based line and column they point at.
 */
public final class KalamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final KalamErrorCode code;
    private final int line;
    private final int column;

    public KalamException(KalamErrorCode code, String message) {
        this(code, message, 0, 0, null);
    }

    public KalamException(KalamErrorCode code, String message, Throwable cause) {
        this(code, message, 0, 0, cause);
    }

    public KalamException(KalamErrorCode code, String message, int line, int column, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
        this.line = line;
        this.column = column;
    }

    public KalamErrorCode code() {
        return code;
    }

    /** 1-based line of the offending SQL character, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column of the offending SQL character, or 0 when unknown. */
    public int column() {
        return column;
    }

    /** The same error with its message prefixed (for example {@code Statement 2 failed: }). */
    public KalamException withPrefix(String prefix) {
        KalamException e = new KalamException(code, prefix + getMessage(), line, column, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    public static KalamException invalidSql(String message) {
        return new KalamException(KalamErrorCode.INVALID_SQL, message);
    }

    public static KalamException permissionDenied(String message) {
        return new KalamException(KalamErrorCode.PERMISSION_DENIED, message);
    }

    /** {@code table 'ns.t' not found} (reference wording). */
    public static KalamException tableNotFound(String qualifiedName) {
        return new KalamException(KalamErrorCode.TABLE_NOT_FOUND, "table '" + qualifiedName + "' not found");
    }

    /** A namespace a statement needs is missing, with the hint the reference gives for CREATE TABLE. */
    public static KalamException namespaceNotFound(String namespace) {
        return new KalamException(KalamErrorCode.NAMESPACE_NOT_FOUND,
                "Namespace '" + namespace + "' does not exist. Create it first with CREATE NAMESPACE " + namespace);
    }

    /** {@code column 'x' not found in table 'ns.t'}, or without the table when it is not known. */
    public static KalamException columnNotFound(String column, String qualifiedTable) {
        return new KalamException(KalamErrorCode.COLUMN_NOT_FOUND, "column '" + column + "' not found"
                + (qualifiedTable == null ? "" : " in table '" + qualifiedTable + "'"));
    }

    public static KalamException invalidInput(String message) {
        return new KalamException(KalamErrorCode.INVALID_INPUT, message);
    }

    /** A command's precondition failed at apply: what it was planned against changed meanwhile. */
    public static KalamException conflict(String message) {
        return new KalamException(KalamErrorCode.CONFLICT, message);
    }

    public static KalamException internal(String message, Throwable cause) {
        return new KalamException(KalamErrorCode.INTERNAL_ERROR, message, cause);
    }
}
