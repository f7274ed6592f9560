package io.kalamdb.engine.error;

/**
 * Stable error codes of the engine and the wire. Append only: never renumber; the wire name is the enum name.
 *
 * <p>Each code has a {@link Kind} (what sort of failure it is) and codes added since the first 41 take their
 * number from their kind's range: 1xxx invalid input, 2xxx not found, 3xxx already exists, 4xxx constraint
 * violated, 5xxx conflict or failed precondition, 6xxx authentication and permission, 7xxx resource limits, 8xxx
 * unavailable, 9xxx internal (see docs/adr/0019-error-codes.md). The first 41 codes keep the numbers clients
 * already know. Each transport maps a code once ({@code ErrorMapper} in the server: HTTP status, WebSocket error
 * code, gRPC status). {@link #SQL_EXECUTION_ERROR} is only what is left: a runtime failure of a Calcite-evaluated
 * query (division by zero, a failed cast) that no more specific code describes.
 */
public enum KalamErrorCode {
    INVALID_SQL(1, Kind.INVALID, Category.USER_ERROR),
    SQL_EXECUTION_ERROR(2, Kind.INVALID, Category.USER_ERROR),
    PERMISSION_DENIED(3, Kind.AUTH, Category.USER_ERROR),
    INVALID_INPUT(4, Kind.INVALID, Category.USER_ERROR),
    INVALID_PARAMETER(5, Kind.INVALID, Category.USER_ERROR),
    PARAMS_WITH_BATCH(6, Kind.INVALID, Category.USER_ERROR),
    EMPTY_SQL(7, Kind.INVALID, Category.USER_ERROR),
    BATCH_PARSE_ERROR(8, Kind.INVALID, Category.USER_ERROR),
    TABLE_NOT_FOUND(9, Kind.NOT_FOUND, Category.USER_ERROR),
    INTERNAL_ERROR(10, Kind.INTERNAL, Category.INTERNAL_ERROR),
    RATE_LIMIT_EXCEEDED(11, Kind.RESOURCE, Category.INSUFFICIENT_RESOURCES),
    MISSING_AUTHORIZATION(20, Kind.AUTH, Category.USER_ERROR),
    INVALID_CREDENTIALS(21, Kind.AUTH, Category.USER_ERROR),
    TOKEN_EXPIRED(22, Kind.AUTH, Category.USER_ERROR),
    ACCOUNT_LOCKED(23, Kind.AUTH, Category.USER_ERROR),
    SETUP_REQUIRED(24, Kind.AUTH, Category.USER_ERROR),
    AUTHENTICATION_ERROR(25, Kind.INTERNAL, Category.INTERNAL_ERROR),
    ALREADY_CONFIGURED(26, Kind.ALREADY_EXISTS, Category.USER_ERROR),
    WEAK_PASSWORD(27, Kind.INVALID, Category.USER_ERROR),
    INVALID_USER(28, Kind.INVALID, Category.USER_ERROR),
    USER_EXISTS(29, Kind.ALREADY_EXISTS, Category.USER_ERROR),
    NOT_FOUND(30, Kind.NOT_FOUND, Category.USER_ERROR),
    SHUTTING_DOWN(31, Kind.UNAVAILABLE, Category.INSUFFICIENT_RESOURCES),
    SUBSCRIPTION_LIMIT_EXCEEDED(32, Kind.RESOURCE, Category.INSUFFICIENT_RESOURCES),
    UNSUPPORTED(33, Kind.INVALID, Category.USER_ERROR),
    /** Stored data failed a checksum or could not be read consistently: the read stops rather than answer short. */
    STORAGE_CORRUPTION(34, Kind.INTERNAL, Category.INTERNAL_ERROR),
    /** The write log could not make writes durable and stopped (fail-stop): nothing more is served until restart. */
    STORAGE_UNAVAILABLE(35, Kind.UNAVAILABLE, Category.INTERNAL_ERROR),
    /** A statement ran past its time limit ({@code execution.statement_timeout_ms}). */
    STATEMENT_TIMEOUT(36, Kind.RESOURCE, Category.INSUFFICIENT_RESOURCES),
    /** A statement was stopped before it finished (its client went away). */
    STATEMENT_CANCELLED(37, Kind.RESOURCE, Category.USER_ERROR),
    /**
     * A command's precondition failed when it applied (the table, row or record it was planned against changed
     * meanwhile); nothing of it was applied. The engine re-plans and retries where that is safe.
     */
    CONFLICT(38, Kind.CONFLICT, Category.USER_ERROR),
    /** Too many writes are waiting for the write log (a bounded queue is full); retry shortly. */
    OVERLOADED(39, Kind.UNAVAILABLE, Category.INSUFFICIENT_RESOURCES),
    /** An HTTP path that exists was called with a method it does not serve (e.g. {@code GET /v1/api/sql}). */
    METHOD_NOT_ALLOWED(40, Kind.INVALID, Category.USER_ERROR),
    /**
     * The disk of the data directory is (nearly) full: writes are refused, reads go on, and writes resume by
     * themselves once space is freed (retry later). Unlike {@link #STORAGE_UNAVAILABLE}, no restart is needed.
     */
    STORAGE_FULL(41, Kind.UNAVAILABLE, Category.INSUFFICIENT_RESOURCES),

    // ---------- 1xxx: invalid input ----------
    /** A value cannot be stored in, or compared with, a column of its type (e.g. text into an INT column). */
    TYPE_MISMATCH(1001, Kind.INVALID),
    /** A clause or option has a bad value or is unknown (table or topic options, TTL, LIMIT, offsets, partitions). */
    INVALID_OPTION(1002, Kind.INVALID),
    /** A table definition is malformed: duplicate or reserved column names, several primary keys, no column. */
    INVALID_DEFINITION(1003, Kind.INVALID),
    /** A name is reserved for the system (a namespace such as {@code system}, a column such as {@code _seq}). */
    RESERVED_NAME(1004, Kind.INVALID),

    // ---------- 2xxx: not found ----------
    NAMESPACE_NOT_FOUND(2001, Kind.NOT_FOUND),
    COLUMN_NOT_FOUND(2002, Kind.NOT_FOUND),
    TOPIC_NOT_FOUND(2003, Kind.NOT_FOUND),
    USER_NOT_FOUND(2004, Kind.NOT_FOUND),
    /** A live query, a topic source or another named object that is not a namespace, table, column, topic or user. */
    OBJECT_NOT_FOUND(2005, Kind.NOT_FOUND),

    // ---------- 3xxx: already exists ----------
    NAMESPACE_EXISTS(3001, Kind.ALREADY_EXISTS),
    TABLE_EXISTS(3002, Kind.ALREADY_EXISTS),
    COLUMN_EXISTS(3003, Kind.ALREADY_EXISTS),
    TOPIC_EXISTS(3004, Kind.ALREADY_EXISTS),
    /** An index on the column, or the same topic source, exists already. */
    OBJECT_EXISTS(3005, Kind.ALREADY_EXISTS),

    // ---------- 4xxx: constraint violated ----------
    /** A row's primary key is already taken (in the table or earlier in the same statement). */
    PRIMARY_KEY_VIOLATION(4001, Kind.CONSTRAINT),
    /** A NOT NULL column would hold NULL. */
    NOT_NULL_VIOLATION(4002, Kind.CONSTRAINT),
    /** A value is of the column's type but outside what the column holds (too long, too large, bad text). */
    VALUE_OUT_OF_RANGE(4003, Kind.CONSTRAINT),

    // ---------- 5xxx: conflict, failed precondition ----------
    /**
     * The statement is well formed but not allowed on its object in the state it is in (drop the default namespace
     * or root, add a NOT NULL column without DEFAULT to a table with rows, EXECUTE AS USER on a SHARED table, a
     * catalog statement inside a transaction, COMMIT with no transaction open).
     */
    OPERATION_NOT_ALLOWED(5001, Kind.CONFLICT),

    // ---------- 8xxx: unavailable ----------
    /** This node does not lead the shard the request needs (clustered deployments; message names the leader). */
    NOT_LEADER(8001, Kind.UNAVAILABLE, Category.INSUFFICIENT_RESOURCES);

    /**
     * What sort of failure a code is, with the number range of the codes added in that sort. Codes numbered below
     * 1000 predate the ranges and keep their numbers.
     */
    public enum Kind {
        INVALID(1000, Category.USER_ERROR),
        NOT_FOUND(2000, Category.USER_ERROR),
        ALREADY_EXISTS(3000, Category.USER_ERROR),
        CONSTRAINT(4000, Category.USER_ERROR),
        CONFLICT(5000, Category.USER_ERROR),
        AUTH(6000, Category.USER_ERROR),
        RESOURCE(7000, Category.INSUFFICIENT_RESOURCES),
        UNAVAILABLE(8000, Category.INSUFFICIENT_RESOURCES),
        INTERNAL(9000, Category.INTERNAL_ERROR);

        private final int base;
        private final Category category;

        Kind(int base, Category category) {
            this.base = base;
            this.category = category;
        }

        /** The first number of this kind's range; the range is {@code base .. base + 999}. */
        public int base() {
            return base;
        }

        /** Whether {@code number} lies in this kind's range. */
        public boolean inRange(int number) {
            return number >= base && number < base + 1000;
        }
    }

    /** Broad class of a failure (as Trino's error types). */
    public enum Category { USER_ERROR, INTERNAL_ERROR, INSUFFICIENT_RESOURCES, EXTERNAL }

    private final int code;
    private final Kind kind;
    private final Category category;

    KalamErrorCode(int code, Kind kind) {
        this(code, kind, kind.category);
    }

    KalamErrorCode(int code, Kind kind, Category category) {
        this.code = code;
        this.kind = kind;
        this.category = category;
    }

    public int code() {
        return code;
    }

    public Category category() {
        return category;
    }

    /** What sort of failure this is (not found, already exists, …): what the transports map by. */
    public Kind kind() {
        return kind;
    }

    /** Whether the same request may succeed when retried unchanged. */
    public boolean isRetriable() {
        return category == Category.INSUFFICIENT_RESOURCES || this == CONFLICT;
    }
}
