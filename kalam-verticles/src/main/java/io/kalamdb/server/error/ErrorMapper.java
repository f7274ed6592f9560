package io.kalamdb.server.error;

import io.kalamdb.engine.error.KalamErrorCode;

/**
 * The one place where a {@link KalamErrorCode} becomes what a transport speaks: an HTTP status (reference 2.3,
 * 2.4, 2.5), a topic endpoint's or WebSocket frame's code (2.6, 3.4), or a gRPC status. The switches name every
 * code and have no default, so a new code does not compile until each transport maps it (docs/adr/0019).
 */
public final class ErrorMapper {

    /** The gRPC status codes (the names of {@code io.grpc.Status.Code}), so no gRPC dependency is needed here. */
    public enum GrpcStatus {
        OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED,
        RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE,
        DATA_LOSS, UNAUTHENTICATED
    }

    private ErrorMapper() {
    }

    /**
     * The status of a failure on a protected route ({@code /v1/api/sql}, topics, files). A statement that fails
     * for what it names or holds (not found, already exists, constraint, not allowed) is 400 whatever its code,
     * as the reference answers every statement failure; the fine-grained codes tell the cases apart.
     */
    public static int httpStatus(KalamErrorCode code) {
        return switch (code) {
            case INVALID_SQL, SQL_EXECUTION_ERROR, INVALID_INPUT, INVALID_PARAMETER, PARAMS_WITH_BATCH, EMPTY_SQL,
                 BATCH_PARSE_ERROR, TABLE_NOT_FOUND, WEAK_PASSWORD, INVALID_USER, UNSUPPORTED, USER_EXISTS -> 400;
            case TYPE_MISMATCH, INVALID_OPTION, INVALID_DEFINITION, RESERVED_NAME -> 400;
            case NAMESPACE_NOT_FOUND, COLUMN_NOT_FOUND, TOPIC_NOT_FOUND, USER_NOT_FOUND, OBJECT_NOT_FOUND -> 400;
            case NAMESPACE_EXISTS, TABLE_EXISTS, COLUMN_EXISTS, TOPIC_EXISTS, OBJECT_EXISTS -> 400;
            case PRIMARY_KEY_VIOLATION, NOT_NULL_VIOLATION, VALUE_OUT_OF_RANGE, OPERATION_NOT_ALLOWED -> 400;
            case MISSING_AUTHORIZATION, INVALID_CREDENTIALS, TOKEN_EXPIRED, ACCOUNT_LOCKED, SETUP_REQUIRED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_CONFIGURED, CONFLICT -> 409;
            case RATE_LIMIT_EXCEEDED, SUBSCRIPTION_LIMIT_EXCEEDED -> 429;
            case INTERNAL_ERROR, AUTHENTICATION_ERROR, STORAGE_CORRUPTION -> 500;
            case SHUTTING_DOWN, STORAGE_UNAVAILABLE, OVERLOADED, STORAGE_FULL, NOT_LEADER -> 503;
            case STATEMENT_TIMEOUT -> 408;
            case STATEMENT_CANCELLED -> 400;
            case METHOD_NOT_ALLOWED -> 405;
        };
    }

    /**
     * The status of a failure on an auth endpoint ({@code /v1/api/auth/*}): as above, but setup → 428 and a
     * setup naming an existing user → 409 (reference 2.5).
     */
    public static int authStatus(KalamErrorCode code) {
        return switch (code) {
            case SETUP_REQUIRED -> 428;
            case USER_EXISTS -> 409;
            case INVALID_SQL, SQL_EXECUTION_ERROR, INVALID_INPUT, INVALID_PARAMETER, PARAMS_WITH_BATCH, EMPTY_SQL,
                 BATCH_PARSE_ERROR, TABLE_NOT_FOUND, WEAK_PASSWORD, INVALID_USER, MISSING_AUTHORIZATION,
                 INVALID_CREDENTIALS, TOKEN_EXPIRED, ACCOUNT_LOCKED, PERMISSION_DENIED, NOT_FOUND, ALREADY_CONFIGURED,
                 RATE_LIMIT_EXCEEDED, INTERNAL_ERROR, AUTHENTICATION_ERROR, SHUTTING_DOWN,
                 SUBSCRIPTION_LIMIT_EXCEEDED, UNSUPPORTED, STORAGE_CORRUPTION, STORAGE_UNAVAILABLE,
                 STATEMENT_TIMEOUT, STATEMENT_CANCELLED, CONFLICT, OVERLOADED, STORAGE_FULL,
                 METHOD_NOT_ALLOWED, TYPE_MISMATCH, INVALID_OPTION, INVALID_DEFINITION, RESERVED_NAME,
                 NAMESPACE_NOT_FOUND, COLUMN_NOT_FOUND, TOPIC_NOT_FOUND, USER_NOT_FOUND, OBJECT_NOT_FOUND,
                 NAMESPACE_EXISTS, TABLE_EXISTS, COLUMN_EXISTS, TOPIC_EXISTS, OBJECT_EXISTS, PRIMARY_KEY_VIOLATION,
                 NOT_NULL_VIOLATION, VALUE_OUT_OF_RANGE, OPERATION_NOT_ALLOWED, NOT_LEADER ->
                    httpStatus(code);
        };
    }

    /** The {@code code} of a topic endpoint's error body {@code {"error":message,"code":…}} (reference 2.6). */
    public static String topicErrorCode(KalamErrorCode code) {
        return switch (code) {
            case PERMISSION_DENIED -> "FORBIDDEN";
            case NOT_FOUND -> "NOT_FOUND";
            case CONFLICT -> "CONFLICT";
            case INTERNAL_ERROR, AUTHENTICATION_ERROR, STORAGE_CORRUPTION -> "INTERNAL_ERROR";
            case SHUTTING_DOWN, STORAGE_UNAVAILABLE, OVERLOADED, STORAGE_FULL, NOT_LEADER -> "SERVICE_UNAVAILABLE";
            case RATE_LIMIT_EXCEEDED, SUBSCRIPTION_LIMIT_EXCEEDED -> "RATE_LIMIT_EXCEEDED";
            case MISSING_AUTHORIZATION, INVALID_CREDENTIALS, TOKEN_EXPIRED, ACCOUNT_LOCKED, SETUP_REQUIRED ->
                    code.name();
            case INVALID_SQL, SQL_EXECUTION_ERROR, INVALID_INPUT, INVALID_PARAMETER, PARAMS_WITH_BATCH, EMPTY_SQL,
                 BATCH_PARSE_ERROR, TABLE_NOT_FOUND, WEAK_PASSWORD, INVALID_USER, ALREADY_CONFIGURED, USER_EXISTS,
                 UNSUPPORTED, STATEMENT_CANCELLED, METHOD_NOT_ALLOWED, TYPE_MISMATCH, INVALID_OPTION,
                 INVALID_DEFINITION, RESERVED_NAME, NAMESPACE_NOT_FOUND, COLUMN_NOT_FOUND, TOPIC_NOT_FOUND,
                 USER_NOT_FOUND, OBJECT_NOT_FOUND, NAMESPACE_EXISTS, TABLE_EXISTS, COLUMN_EXISTS, TOPIC_EXISTS,
                 OBJECT_EXISTS, PRIMARY_KEY_VIOLATION, NOT_NULL_VIOLATION, VALUE_OUT_OF_RANGE,
                 OPERATION_NOT_ALLOWED -> "BAD_REQUEST";
            case STATEMENT_TIMEOUT -> "TIMEOUT";
        };
    }

    /**
     * The {@code code} of a WebSocket {@code error} frame (reference 3.4) for a failed subscribe or next_batch:
     * permission failures are {@code UNAUTHORIZED}, a missing table {@code NOT_FOUND}, bad SQL (an unknown column
     * included) {@code INVALID_SQL}; what is not the client's doing is {@code SUBSCRIPTION_FAILED}.
     */
    public static String wsCode(KalamErrorCode code) {
        return switch (code) {
            case INVALID_SQL, SQL_EXECUTION_ERROR, INVALID_INPUT, INVALID_PARAMETER, PARAMS_WITH_BATCH, EMPTY_SQL,
                 BATCH_PARSE_ERROR, COLUMN_NOT_FOUND, TYPE_MISMATCH, INVALID_OPTION -> "INVALID_SQL";
            case TABLE_NOT_FOUND, NOT_FOUND, NAMESPACE_NOT_FOUND -> "NOT_FOUND";
            case PERMISSION_DENIED, MISSING_AUTHORIZATION, INVALID_CREDENTIALS, TOKEN_EXPIRED, ACCOUNT_LOCKED,
                 SETUP_REQUIRED -> "UNAUTHORIZED";
            case UNSUPPORTED -> "UNSUPPORTED";
            case SUBSCRIPTION_LIMIT_EXCEEDED -> "SUBSCRIPTION_LIMIT_EXCEEDED";
            case RATE_LIMIT_EXCEEDED -> "RATE_LIMIT_EXCEEDED";
            case WEAK_PASSWORD, INVALID_USER, ALREADY_CONFIGURED, USER_EXISTS, INTERNAL_ERROR, AUTHENTICATION_ERROR,
                 SHUTTING_DOWN, STORAGE_CORRUPTION, STORAGE_UNAVAILABLE, STATEMENT_TIMEOUT, STATEMENT_CANCELLED,
                 CONFLICT, OVERLOADED, STORAGE_FULL, METHOD_NOT_ALLOWED, INVALID_DEFINITION, RESERVED_NAME,
                 TOPIC_NOT_FOUND, USER_NOT_FOUND, OBJECT_NOT_FOUND, NAMESPACE_EXISTS, TABLE_EXISTS, COLUMN_EXISTS,
                 TOPIC_EXISTS, OBJECT_EXISTS, PRIMARY_KEY_VIOLATION, NOT_NULL_VIOLATION, VALUE_OUT_OF_RANGE,
                 OPERATION_NOT_ALLOWED, NOT_LEADER -> "SUBSCRIPTION_FAILED";
        };
    }

    /** The {@code error} kind of an auth endpoint's body {@code {"error":kind,"message":…}} (reference 2.5). */
    public static String authErrorKind(KalamErrorCode code) {
        return switch (code) {
            case MISSING_AUTHORIZATION, INVALID_CREDENTIALS, TOKEN_EXPIRED -> "unauthorized";
            case SETUP_REQUIRED -> "setup_required";
            case ACCOUNT_LOCKED -> "account_locked";
            case PERMISSION_DENIED -> "forbidden";
            case RATE_LIMIT_EXCEEDED, SUBSCRIPTION_LIMIT_EXCEEDED -> "rate_limited";
            case ALREADY_CONFIGURED -> "already_configured";
            case WEAK_PASSWORD -> "weak_password";
            case INVALID_USER -> "invalid_user";
            case USER_EXISTS -> "user_exists";
            case INVALID_INPUT, INVALID_PARAMETER, INVALID_SQL, SQL_EXECUTION_ERROR, PARAMS_WITH_BATCH, EMPTY_SQL,
                 BATCH_PARSE_ERROR, TABLE_NOT_FOUND, UNSUPPORTED, TYPE_MISMATCH, INVALID_OPTION, INVALID_DEFINITION,
                 RESERVED_NAME, NAMESPACE_NOT_FOUND, COLUMN_NOT_FOUND, TOPIC_NOT_FOUND, USER_NOT_FOUND,
                 OBJECT_NOT_FOUND, NAMESPACE_EXISTS, TABLE_EXISTS, COLUMN_EXISTS, TOPIC_EXISTS, OBJECT_EXISTS,
                 PRIMARY_KEY_VIOLATION, NOT_NULL_VIOLATION, VALUE_OUT_OF_RANGE, OPERATION_NOT_ALLOWED ->
                    "bad_request";
            case NOT_FOUND -> "not_found";
            case CONFLICT -> "conflict";
            case INTERNAL_ERROR, AUTHENTICATION_ERROR, STORAGE_CORRUPTION -> "internal_error";
            case SHUTTING_DOWN, STORAGE_UNAVAILABLE, OVERLOADED, STORAGE_FULL, NOT_LEADER -> "service_unavailable";
            case STATEMENT_TIMEOUT -> "timeout";
            case STATEMENT_CANCELLED, METHOD_NOT_ALLOWED -> "bad_request";
        };
    }

    /**
     * The gRPC status of a failure (PROTOCOL.md: the KalamDB code goes in the trailer {@code kalamdb-error-code}).
     * Unlike HTTP, which keeps the reference's statuses, gRPC has no reference to follow and says what happened:
     * NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION and so on.
     */
    public static GrpcStatus grpcStatus(KalamErrorCode code) {
        return switch (code) {
            case INVALID_SQL, SQL_EXECUTION_ERROR, INVALID_INPUT, INVALID_PARAMETER, PARAMS_WITH_BATCH, EMPTY_SQL,
                 BATCH_PARSE_ERROR, WEAK_PASSWORD, INVALID_USER, TYPE_MISMATCH, INVALID_OPTION, INVALID_DEFINITION,
                 RESERVED_NAME -> GrpcStatus.INVALID_ARGUMENT;
            case TABLE_NOT_FOUND, NOT_FOUND, NAMESPACE_NOT_FOUND, COLUMN_NOT_FOUND, TOPIC_NOT_FOUND, USER_NOT_FOUND,
                 OBJECT_NOT_FOUND -> GrpcStatus.NOT_FOUND;
            case USER_EXISTS, ALREADY_CONFIGURED, NAMESPACE_EXISTS, TABLE_EXISTS, COLUMN_EXISTS, TOPIC_EXISTS,
                 OBJECT_EXISTS, PRIMARY_KEY_VIOLATION -> GrpcStatus.ALREADY_EXISTS;
            case NOT_NULL_VIOLATION, OPERATION_NOT_ALLOWED, SETUP_REQUIRED -> GrpcStatus.FAILED_PRECONDITION;
            case VALUE_OUT_OF_RANGE -> GrpcStatus.OUT_OF_RANGE;
            case CONFLICT -> GrpcStatus.ABORTED;
            case MISSING_AUTHORIZATION, INVALID_CREDENTIALS, TOKEN_EXPIRED -> GrpcStatus.UNAUTHENTICATED;
            case PERMISSION_DENIED, ACCOUNT_LOCKED -> GrpcStatus.PERMISSION_DENIED;
            case RATE_LIMIT_EXCEEDED, SUBSCRIPTION_LIMIT_EXCEEDED -> GrpcStatus.RESOURCE_EXHAUSTED;
            case STATEMENT_TIMEOUT -> GrpcStatus.DEADLINE_EXCEEDED;
            case STATEMENT_CANCELLED -> GrpcStatus.CANCELLED;
            case UNSUPPORTED, METHOD_NOT_ALLOWED -> GrpcStatus.UNIMPLEMENTED;
            case SHUTTING_DOWN, STORAGE_UNAVAILABLE, OVERLOADED, STORAGE_FULL, NOT_LEADER -> GrpcStatus.UNAVAILABLE;
            case STORAGE_CORRUPTION -> GrpcStatus.DATA_LOSS;
            case INTERNAL_ERROR, AUTHENTICATION_ERROR -> GrpcStatus.INTERNAL;
        };
    }
}
