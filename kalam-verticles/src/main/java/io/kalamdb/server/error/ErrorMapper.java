package io.kalamdb.server.error;

import io.kalamdb.engine.error.KalamErrorCode;

/**
 * The one place where a {@link KalamErrorCode} becomes an HTTP status (reference 2.3, 2.4, 2.5). The switches
 * name every code and have no default, so a new code does not compile until it is mapped.
 */
public final class ErrorMapper {

    private ErrorMapper() {
    }

    /** The status of a failure on a protected route ({@code /v1/api/sql}, topics, files). */
    public static int httpStatus(KalamErrorCode code) {
        return switch (code) {
            case INVALID_SQL, SQL_EXECUTION_ERROR, INVALID_INPUT, INVALID_PARAMETER, PARAMS_WITH_BATCH, EMPTY_SQL,
                 BATCH_PARSE_ERROR, TABLE_NOT_FOUND, WEAK_PASSWORD, INVALID_USER, UNSUPPORTED -> 400;
            case MISSING_AUTHORIZATION, INVALID_CREDENTIALS, TOKEN_EXPIRED, ACCOUNT_LOCKED, SETUP_REQUIRED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_CONFIGURED, USER_EXISTS, CONFLICT -> 409;
            case RATE_LIMIT_EXCEEDED, SUBSCRIPTION_LIMIT_EXCEEDED -> 429;
            case INTERNAL_ERROR, AUTHENTICATION_ERROR, STORAGE_CORRUPTION -> 500;
            case SHUTTING_DOWN, STORAGE_UNAVAILABLE, OVERLOADED, STORAGE_FULL -> 503;
            case STATEMENT_TIMEOUT -> 408;
            case STATEMENT_CANCELLED -> 400;
            case METHOD_NOT_ALLOWED -> 405;
        };
    }

    /** The status of a failure on an auth endpoint ({@code /v1/api/auth/*}): as above, but setup → 428. */
    public static int authStatus(KalamErrorCode code) {
        return switch (code) {
            case SETUP_REQUIRED -> 428;
            case INVALID_SQL, SQL_EXECUTION_ERROR, INVALID_INPUT, INVALID_PARAMETER, PARAMS_WITH_BATCH, EMPTY_SQL,
                 BATCH_PARSE_ERROR, TABLE_NOT_FOUND, WEAK_PASSWORD, INVALID_USER, MISSING_AUTHORIZATION,
                 INVALID_CREDENTIALS, TOKEN_EXPIRED, ACCOUNT_LOCKED, PERMISSION_DENIED, NOT_FOUND, ALREADY_CONFIGURED,
                 USER_EXISTS, RATE_LIMIT_EXCEEDED, INTERNAL_ERROR, AUTHENTICATION_ERROR, SHUTTING_DOWN,
                 SUBSCRIPTION_LIMIT_EXCEEDED, UNSUPPORTED, STORAGE_CORRUPTION, STORAGE_UNAVAILABLE,
                 STATEMENT_TIMEOUT, STATEMENT_CANCELLED, CONFLICT, OVERLOADED, STORAGE_FULL,
                 METHOD_NOT_ALLOWED ->
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
            case SHUTTING_DOWN, STORAGE_UNAVAILABLE, OVERLOADED, STORAGE_FULL -> "SERVICE_UNAVAILABLE";
            case RATE_LIMIT_EXCEEDED, SUBSCRIPTION_LIMIT_EXCEEDED -> "RATE_LIMIT_EXCEEDED";
            case MISSING_AUTHORIZATION, INVALID_CREDENTIALS, TOKEN_EXPIRED, ACCOUNT_LOCKED, SETUP_REQUIRED ->
                    code.name();
            case INVALID_SQL, SQL_EXECUTION_ERROR, INVALID_INPUT, INVALID_PARAMETER, PARAMS_WITH_BATCH, EMPTY_SQL,
                 BATCH_PARSE_ERROR, TABLE_NOT_FOUND, WEAK_PASSWORD, INVALID_USER, ALREADY_CONFIGURED, USER_EXISTS,
                 UNSUPPORTED, STATEMENT_CANCELLED, METHOD_NOT_ALLOWED -> "BAD_REQUEST";
            case STATEMENT_TIMEOUT -> "TIMEOUT";
        };
    }

    /**
     * The {@code code} of a WebSocket {@code error} frame (reference 3.4) for a failed subscribe or next_batch:
     * permission failures are {@code UNAUTHORIZED}, a missing table {@code NOT_FOUND}, bad SQL {@code INVALID_SQL};
     * what is not the client's doing is {@code SUBSCRIPTION_FAILED}.
     */
    public static String wsCode(KalamErrorCode code) {
        return switch (code) {
            case INVALID_SQL, SQL_EXECUTION_ERROR, INVALID_INPUT, INVALID_PARAMETER, PARAMS_WITH_BATCH, EMPTY_SQL,
                 BATCH_PARSE_ERROR -> "INVALID_SQL";
            case TABLE_NOT_FOUND, NOT_FOUND -> "NOT_FOUND";
            case PERMISSION_DENIED, MISSING_AUTHORIZATION, INVALID_CREDENTIALS, TOKEN_EXPIRED, ACCOUNT_LOCKED,
                 SETUP_REQUIRED -> "UNAUTHORIZED";
            case UNSUPPORTED -> "UNSUPPORTED";
            case SUBSCRIPTION_LIMIT_EXCEEDED -> "SUBSCRIPTION_LIMIT_EXCEEDED";
            case RATE_LIMIT_EXCEEDED -> "RATE_LIMIT_EXCEEDED";
            case WEAK_PASSWORD, INVALID_USER, ALREADY_CONFIGURED, USER_EXISTS, INTERNAL_ERROR, AUTHENTICATION_ERROR,
                 SHUTTING_DOWN, STORAGE_CORRUPTION, STORAGE_UNAVAILABLE, STATEMENT_TIMEOUT, STATEMENT_CANCELLED,
                 CONFLICT, OVERLOADED, STORAGE_FULL,
                 METHOD_NOT_ALLOWED -> "SUBSCRIPTION_FAILED";
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
                 BATCH_PARSE_ERROR, TABLE_NOT_FOUND, UNSUPPORTED -> "bad_request";
            case NOT_FOUND -> "not_found";
            case CONFLICT -> "conflict";
            case INTERNAL_ERROR, AUTHENTICATION_ERROR, STORAGE_CORRUPTION -> "internal_error";
            case SHUTTING_DOWN, STORAGE_UNAVAILABLE, OVERLOADED, STORAGE_FULL -> "service_unavailable";
            case STATEMENT_TIMEOUT -> "timeout";
            case STATEMENT_CANCELLED, METHOD_NOT_ALLOWED -> "bad_request";
        };
    }
}
