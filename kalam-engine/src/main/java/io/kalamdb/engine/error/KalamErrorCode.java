package io.kalamdb.engine.error;

/**
 * Stable error codes of the engine and the wire. Append only: never renumber; the wire name is the enum name.
 * The edge ({@code ErrorMapper} in the server) is the one place where a code becomes an HTTP status.
 */
public enum KalamErrorCode {
    INVALID_SQL(1, Category.USER_ERROR),
    SQL_EXECUTION_ERROR(2, Category.USER_ERROR),
    PERMISSION_DENIED(3, Category.USER_ERROR),
    INVALID_INPUT(4, Category.USER_ERROR),
    INVALID_PARAMETER(5, Category.USER_ERROR),
    PARAMS_WITH_BATCH(6, Category.USER_ERROR),
    EMPTY_SQL(7, Category.USER_ERROR),
    BATCH_PARSE_ERROR(8, Category.USER_ERROR),
    TABLE_NOT_FOUND(9, Category.USER_ERROR),
    INTERNAL_ERROR(10, Category.INTERNAL_ERROR),
    RATE_LIMIT_EXCEEDED(11, Category.INSUFFICIENT_RESOURCES),
    MISSING_AUTHORIZATION(20, Category.USER_ERROR),
    INVALID_CREDENTIALS(21, Category.USER_ERROR),
    TOKEN_EXPIRED(22, Category.USER_ERROR),
    ACCOUNT_LOCKED(23, Category.USER_ERROR),
    SETUP_REQUIRED(24, Category.USER_ERROR),
    AUTHENTICATION_ERROR(25, Category.INTERNAL_ERROR),
    ALREADY_CONFIGURED(26, Category.USER_ERROR),
    WEAK_PASSWORD(27, Category.USER_ERROR),
    INVALID_USER(28, Category.USER_ERROR),
    USER_EXISTS(29, Category.USER_ERROR),
    NOT_FOUND(30, Category.USER_ERROR),
    SHUTTING_DOWN(31, Category.INSUFFICIENT_RESOURCES),
    SUBSCRIPTION_LIMIT_EXCEEDED(32, Category.INSUFFICIENT_RESOURCES),
    UNSUPPORTED(33, Category.USER_ERROR),
    /** Stored data failed a checksum or could not be read consistently: the read stops rather than answer short. */
    STORAGE_CORRUPTION(34, Category.INTERNAL_ERROR),
    /** The write log could not make writes durable and stopped (fail-stop): nothing more is served until restart. */
    STORAGE_UNAVAILABLE(35, Category.INTERNAL_ERROR),
    /** A statement ran past its time limit ({@code execution.statement_timeout_ms}). */
    STATEMENT_TIMEOUT(36, Category.INSUFFICIENT_RESOURCES),
    /** A statement was stopped before it finished (its client went away). */
    STATEMENT_CANCELLED(37, Category.USER_ERROR),
    /**
     * A command's precondition failed when it applied (the table, row or record it was planned against changed
     * meanwhile); nothing of it was applied. The engine re-plans and retries where that is safe.
     */
    CONFLICT(38, Category.USER_ERROR),
    /** Too many writes are waiting for the write log (a bounded queue is full); retry shortly. */
    OVERLOADED(39, Category.INSUFFICIENT_RESOURCES),
    /** An HTTP path that exists was called with a method it does not serve (e.g. {@code GET /v1/api/sql}). */
    METHOD_NOT_ALLOWED(40, Category.USER_ERROR),
    /**
     * The disk of the data directory is (nearly) full: writes are refused, reads go on, and writes resume by
     * themselves once space is freed (retry later). Unlike {@link #STORAGE_UNAVAILABLE}, no restart is needed.
     */
    STORAGE_FULL(41, Category.INSUFFICIENT_RESOURCES);

    /** Broad class of a failure (as Trino's error types). */
    public enum Category { USER_ERROR, INTERNAL_ERROR, INSUFFICIENT_RESOURCES, EXTERNAL }

    private final int code;
    private final Category category;

    KalamErrorCode(int code, Category category) {
        this.code = code;
        this.category = category;
    }

    public int code() {
        return code;
    }

    public Category category() {
        return category;
    }

    /** Whether the same request may succeed when retried unchanged. */
    public boolean isRetriable() {
        return category == Category.INSUFFICIENT_RESOURCES || this == CONFLICT;
    }
}
