package io.kalamdb.server.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.error.KalamErrorCode;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Pins the HTTP status, WebSocket code and gRPC status of every error code: changing one is a contract change. */
class ErrorMapperTest {

    private static final Map<KalamErrorCode, Integer> HTTP = new EnumMap<>(Map.ofEntries(
            Map.entry(KalamErrorCode.INVALID_SQL, 400),
            Map.entry(KalamErrorCode.SQL_EXECUTION_ERROR, 400),
            Map.entry(KalamErrorCode.PERMISSION_DENIED, 403),
            Map.entry(KalamErrorCode.INVALID_INPUT, 400),
            Map.entry(KalamErrorCode.INVALID_PARAMETER, 400),
            Map.entry(KalamErrorCode.PARAMS_WITH_BATCH, 400),
            Map.entry(KalamErrorCode.EMPTY_SQL, 400),
            Map.entry(KalamErrorCode.BATCH_PARSE_ERROR, 400),
            Map.entry(KalamErrorCode.TABLE_NOT_FOUND, 400),
            Map.entry(KalamErrorCode.INTERNAL_ERROR, 500),
            Map.entry(KalamErrorCode.RATE_LIMIT_EXCEEDED, 429),
            Map.entry(KalamErrorCode.MISSING_AUTHORIZATION, 401),
            Map.entry(KalamErrorCode.INVALID_CREDENTIALS, 401),
            Map.entry(KalamErrorCode.TOKEN_EXPIRED, 401),
            Map.entry(KalamErrorCode.ACCOUNT_LOCKED, 401),
            Map.entry(KalamErrorCode.SETUP_REQUIRED, 401),
            Map.entry(KalamErrorCode.AUTHENTICATION_ERROR, 500),
            Map.entry(KalamErrorCode.ALREADY_CONFIGURED, 409),
            Map.entry(KalamErrorCode.WEAK_PASSWORD, 400),
            Map.entry(KalamErrorCode.INVALID_USER, 400),
            Map.entry(KalamErrorCode.USER_EXISTS, 400),
            Map.entry(KalamErrorCode.NOT_FOUND, 404),
            Map.entry(KalamErrorCode.SHUTTING_DOWN, 503),
            Map.entry(KalamErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, 429),
            Map.entry(KalamErrorCode.UNSUPPORTED, 400),
            Map.entry(KalamErrorCode.STORAGE_CORRUPTION, 500),
            Map.entry(KalamErrorCode.STORAGE_UNAVAILABLE, 503),
            Map.entry(KalamErrorCode.STATEMENT_TIMEOUT, 408),
            Map.entry(KalamErrorCode.STATEMENT_CANCELLED, 400),
            Map.entry(KalamErrorCode.CONFLICT, 409),
            Map.entry(KalamErrorCode.OVERLOADED, 503),
            Map.entry(KalamErrorCode.STORAGE_FULL, 503),
            Map.entry(KalamErrorCode.METHOD_NOT_ALLOWED, 405),
            // a statement failure is 400 as in the reference, whatever its fine-grained code (ADR 0019)
            Map.entry(KalamErrorCode.TYPE_MISMATCH, 400),
            Map.entry(KalamErrorCode.INVALID_OPTION, 400),
            Map.entry(KalamErrorCode.INVALID_DEFINITION, 400),
            Map.entry(KalamErrorCode.RESERVED_NAME, 400),
            Map.entry(KalamErrorCode.NAMESPACE_NOT_FOUND, 400),
            Map.entry(KalamErrorCode.COLUMN_NOT_FOUND, 400),
            Map.entry(KalamErrorCode.TOPIC_NOT_FOUND, 400),
            Map.entry(KalamErrorCode.USER_NOT_FOUND, 400),
            Map.entry(KalamErrorCode.OBJECT_NOT_FOUND, 400),
            Map.entry(KalamErrorCode.NAMESPACE_EXISTS, 400),
            Map.entry(KalamErrorCode.TABLE_EXISTS, 400),
            Map.entry(KalamErrorCode.COLUMN_EXISTS, 400),
            Map.entry(KalamErrorCode.TOPIC_EXISTS, 400),
            Map.entry(KalamErrorCode.OBJECT_EXISTS, 400),
            Map.entry(KalamErrorCode.PRIMARY_KEY_VIOLATION, 400),
            Map.entry(KalamErrorCode.NOT_NULL_VIOLATION, 400),
            Map.entry(KalamErrorCode.VALUE_OUT_OF_RANGE, 400),
            Map.entry(KalamErrorCode.OPERATION_NOT_ALLOWED, 400),
            Map.entry(KalamErrorCode.NOT_LEADER, 503)));

    private static final Map<KalamErrorCode, String> AUTH_KINDS = new EnumMap<>(Map.ofEntries(
            Map.entry(KalamErrorCode.INVALID_CREDENTIALS, "unauthorized"),
            Map.entry(KalamErrorCode.MISSING_AUTHORIZATION, "unauthorized"),
            Map.entry(KalamErrorCode.TOKEN_EXPIRED, "unauthorized"),
            Map.entry(KalamErrorCode.SETUP_REQUIRED, "setup_required"),
            Map.entry(KalamErrorCode.ACCOUNT_LOCKED, "account_locked"),
            Map.entry(KalamErrorCode.PERMISSION_DENIED, "forbidden"),
            Map.entry(KalamErrorCode.RATE_LIMIT_EXCEEDED, "rate_limited"),
            Map.entry(KalamErrorCode.ALREADY_CONFIGURED, "already_configured"),
            Map.entry(KalamErrorCode.WEAK_PASSWORD, "weak_password"),
            Map.entry(KalamErrorCode.INVALID_USER, "invalid_user"),
            Map.entry(KalamErrorCode.USER_EXISTS, "user_exists"),
            Map.entry(KalamErrorCode.INTERNAL_ERROR, "internal_error"),
            Map.entry(KalamErrorCode.AUTHENTICATION_ERROR, "internal_error"),
            Map.entry(KalamErrorCode.STORAGE_CORRUPTION, "internal_error"),
            Map.entry(KalamErrorCode.STORAGE_UNAVAILABLE, "service_unavailable"),
            Map.entry(KalamErrorCode.CONFLICT, "conflict"),
            Map.entry(KalamErrorCode.OVERLOADED, "service_unavailable"),

            Map.entry(KalamErrorCode.STORAGE_FULL, "service_unavailable")));

    @Test
    void everyCodeHasItsHttpStatus() {
        assertEquals(EnumSet.allOf(KalamErrorCode.class), HTTP.keySet(), "a new code needs its status pinned here");
        HTTP.forEach((code, status) -> assertEquals(status, ErrorMapper.httpStatus(code), code.name()));
    }

    @Test
    void authEndpointsAnswerSetupRequiredWith428AndOtherwiseTheSame() {
        for (KalamErrorCode code : KalamErrorCode.values()) {
            int expected = code == KalamErrorCode.SETUP_REQUIRED ? 428
                    : code == KalamErrorCode.USER_EXISTS ? 409 : HTTP.get(code);
            assertEquals(expected, ErrorMapper.authStatus(code), code.name());
        }
    }

    @Test
    void webSocketErrorCodesOfReference34() {
        Map<KalamErrorCode, String> ws = new EnumMap<>(KalamErrorCode.class);
        for (KalamErrorCode code : KalamErrorCode.values()) {
            ws.put(code, "SUBSCRIPTION_FAILED");
        }
        for (KalamErrorCode code : EnumSet.of(KalamErrorCode.INVALID_SQL, KalamErrorCode.SQL_EXECUTION_ERROR,
                KalamErrorCode.INVALID_INPUT, KalamErrorCode.INVALID_PARAMETER, KalamErrorCode.PARAMS_WITH_BATCH,
                KalamErrorCode.EMPTY_SQL, KalamErrorCode.BATCH_PARSE_ERROR, KalamErrorCode.COLUMN_NOT_FOUND,
                KalamErrorCode.TYPE_MISMATCH, KalamErrorCode.INVALID_OPTION)) {
            ws.put(code, "INVALID_SQL");
        }
        for (KalamErrorCode code : EnumSet.of(KalamErrorCode.PERMISSION_DENIED, KalamErrorCode.MISSING_AUTHORIZATION,
                KalamErrorCode.INVALID_CREDENTIALS, KalamErrorCode.TOKEN_EXPIRED, KalamErrorCode.ACCOUNT_LOCKED,
                KalamErrorCode.SETUP_REQUIRED)) {
            ws.put(code, "UNAUTHORIZED");
        }
        ws.put(KalamErrorCode.TABLE_NOT_FOUND, "NOT_FOUND");
        ws.put(KalamErrorCode.NOT_FOUND, "NOT_FOUND");
        ws.put(KalamErrorCode.NAMESPACE_NOT_FOUND, "NOT_FOUND");
        ws.put(KalamErrorCode.UNSUPPORTED, "UNSUPPORTED");
        ws.put(KalamErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, "SUBSCRIPTION_LIMIT_EXCEEDED");
        ws.put(KalamErrorCode.RATE_LIMIT_EXCEEDED, "RATE_LIMIT_EXCEEDED");
        ws.forEach((code, wsCode) -> assertEquals(wsCode, ErrorMapper.wsCode(code), code.name()));
    }

    /** The gRPC status of every code, pinned: a client's retry and error handling depend on it. */
    private static final Map<KalamErrorCode, ErrorMapper.GrpcStatus> GRPC = new EnumMap<>(Map.ofEntries(
            Map.entry(KalamErrorCode.INVALID_SQL, ErrorMapper.GrpcStatus.INVALID_ARGUMENT),
            Map.entry(KalamErrorCode.SQL_EXECUTION_ERROR, ErrorMapper.GrpcStatus.INVALID_ARGUMENT),
            Map.entry(KalamErrorCode.PERMISSION_DENIED, ErrorMapper.GrpcStatus.PERMISSION_DENIED),
            Map.entry(KalamErrorCode.INVALID_INPUT, ErrorMapper.GrpcStatus.INVALID_ARGUMENT),
            Map.entry(KalamErrorCode.INVALID_PARAMETER, ErrorMapper.GrpcStatus.INVALID_ARGUMENT),
            Map.entry(KalamErrorCode.PARAMS_WITH_BATCH, ErrorMapper.GrpcStatus.INVALID_ARGUMENT),
            Map.entry(KalamErrorCode.EMPTY_SQL, ErrorMapper.GrpcStatus.INVALID_ARGUMENT),
            Map.entry(KalamErrorCode.BATCH_PARSE_ERROR, ErrorMapper.GrpcStatus.INVALID_ARGUMENT),
            Map.entry(KalamErrorCode.TABLE_NOT_FOUND, ErrorMapper.GrpcStatus.NOT_FOUND),
            Map.entry(KalamErrorCode.INTERNAL_ERROR, ErrorMapper.GrpcStatus.INTERNAL),
            Map.entry(KalamErrorCode.RATE_LIMIT_EXCEEDED, ErrorMapper.GrpcStatus.RESOURCE_EXHAUSTED),
            Map.entry(KalamErrorCode.MISSING_AUTHORIZATION, ErrorMapper.GrpcStatus.UNAUTHENTICATED),
            Map.entry(KalamErrorCode.INVALID_CREDENTIALS, ErrorMapper.GrpcStatus.UNAUTHENTICATED),
            Map.entry(KalamErrorCode.TOKEN_EXPIRED, ErrorMapper.GrpcStatus.UNAUTHENTICATED),
            Map.entry(KalamErrorCode.ACCOUNT_LOCKED, ErrorMapper.GrpcStatus.PERMISSION_DENIED),
            Map.entry(KalamErrorCode.SETUP_REQUIRED, ErrorMapper.GrpcStatus.FAILED_PRECONDITION),
            Map.entry(KalamErrorCode.AUTHENTICATION_ERROR, ErrorMapper.GrpcStatus.INTERNAL),
            Map.entry(KalamErrorCode.ALREADY_CONFIGURED, ErrorMapper.GrpcStatus.ALREADY_EXISTS),
            Map.entry(KalamErrorCode.WEAK_PASSWORD, ErrorMapper.GrpcStatus.INVALID_ARGUMENT),
            Map.entry(KalamErrorCode.INVALID_USER, ErrorMapper.GrpcStatus.INVALID_ARGUMENT),
            Map.entry(KalamErrorCode.USER_EXISTS, ErrorMapper.GrpcStatus.ALREADY_EXISTS),
            Map.entry(KalamErrorCode.NOT_FOUND, ErrorMapper.GrpcStatus.NOT_FOUND),
            Map.entry(KalamErrorCode.SHUTTING_DOWN, ErrorMapper.GrpcStatus.UNAVAILABLE),
            Map.entry(KalamErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, ErrorMapper.GrpcStatus.RESOURCE_EXHAUSTED),
            Map.entry(KalamErrorCode.UNSUPPORTED, ErrorMapper.GrpcStatus.UNIMPLEMENTED),
            Map.entry(KalamErrorCode.STORAGE_CORRUPTION, ErrorMapper.GrpcStatus.DATA_LOSS),
            Map.entry(KalamErrorCode.STORAGE_UNAVAILABLE, ErrorMapper.GrpcStatus.UNAVAILABLE),
            Map.entry(KalamErrorCode.STATEMENT_TIMEOUT, ErrorMapper.GrpcStatus.DEADLINE_EXCEEDED),
            Map.entry(KalamErrorCode.STATEMENT_CANCELLED, ErrorMapper.GrpcStatus.CANCELLED),
            Map.entry(KalamErrorCode.CONFLICT, ErrorMapper.GrpcStatus.ABORTED),
            Map.entry(KalamErrorCode.OVERLOADED, ErrorMapper.GrpcStatus.UNAVAILABLE),
            Map.entry(KalamErrorCode.METHOD_NOT_ALLOWED, ErrorMapper.GrpcStatus.UNIMPLEMENTED),
            Map.entry(KalamErrorCode.STORAGE_FULL, ErrorMapper.GrpcStatus.UNAVAILABLE),
            Map.entry(KalamErrorCode.TYPE_MISMATCH, ErrorMapper.GrpcStatus.INVALID_ARGUMENT),
            Map.entry(KalamErrorCode.INVALID_OPTION, ErrorMapper.GrpcStatus.INVALID_ARGUMENT),
            Map.entry(KalamErrorCode.INVALID_DEFINITION, ErrorMapper.GrpcStatus.INVALID_ARGUMENT),
            Map.entry(KalamErrorCode.RESERVED_NAME, ErrorMapper.GrpcStatus.INVALID_ARGUMENT),
            Map.entry(KalamErrorCode.NAMESPACE_NOT_FOUND, ErrorMapper.GrpcStatus.NOT_FOUND),
            Map.entry(KalamErrorCode.COLUMN_NOT_FOUND, ErrorMapper.GrpcStatus.NOT_FOUND),
            Map.entry(KalamErrorCode.TOPIC_NOT_FOUND, ErrorMapper.GrpcStatus.NOT_FOUND),
            Map.entry(KalamErrorCode.USER_NOT_FOUND, ErrorMapper.GrpcStatus.NOT_FOUND),
            Map.entry(KalamErrorCode.OBJECT_NOT_FOUND, ErrorMapper.GrpcStatus.NOT_FOUND),
            Map.entry(KalamErrorCode.NAMESPACE_EXISTS, ErrorMapper.GrpcStatus.ALREADY_EXISTS),
            Map.entry(KalamErrorCode.TABLE_EXISTS, ErrorMapper.GrpcStatus.ALREADY_EXISTS),
            Map.entry(KalamErrorCode.COLUMN_EXISTS, ErrorMapper.GrpcStatus.ALREADY_EXISTS),
            Map.entry(KalamErrorCode.TOPIC_EXISTS, ErrorMapper.GrpcStatus.ALREADY_EXISTS),
            Map.entry(KalamErrorCode.OBJECT_EXISTS, ErrorMapper.GrpcStatus.ALREADY_EXISTS),
            Map.entry(KalamErrorCode.PRIMARY_KEY_VIOLATION, ErrorMapper.GrpcStatus.ALREADY_EXISTS),
            Map.entry(KalamErrorCode.NOT_NULL_VIOLATION, ErrorMapper.GrpcStatus.FAILED_PRECONDITION),
            Map.entry(KalamErrorCode.VALUE_OUT_OF_RANGE, ErrorMapper.GrpcStatus.OUT_OF_RANGE),
            Map.entry(KalamErrorCode.OPERATION_NOT_ALLOWED, ErrorMapper.GrpcStatus.FAILED_PRECONDITION),
            Map.entry(KalamErrorCode.NOT_LEADER, ErrorMapper.GrpcStatus.UNAVAILABLE)));

    @Test
    void everyCodeHasItsGrpcStatus() {
        assertEquals(EnumSet.allOf(KalamErrorCode.class), GRPC.keySet(), "a new code needs its gRPC status here");
        GRPC.forEach((code, status) -> assertEquals(status, ErrorMapper.grpcStatus(code), code.name()));
    }

    @Test
    void eachKindOfFailureHasTheGrpcStatusThatSaysSo() {
        // whatever the individual code, a kind never maps to a status that contradicts it
        for (KalamErrorCode code : KalamErrorCode.values()) {
            ErrorMapper.GrpcStatus status = ErrorMapper.grpcStatus(code);
            switch (code.kind()) {
                case NOT_FOUND -> assertEquals(ErrorMapper.GrpcStatus.NOT_FOUND, status, code.name());
                case UNAVAILABLE -> assertEquals(ErrorMapper.GrpcStatus.UNAVAILABLE, status, code.name());
                case INTERNAL -> assertTrue(status == ErrorMapper.GrpcStatus.INTERNAL
                        || status == ErrorMapper.GrpcStatus.DATA_LOSS, code.name());
                case INVALID, ALREADY_EXISTS, CONSTRAINT, CONFLICT, AUTH, RESOURCE ->
                        assertNotEquals(ErrorMapper.GrpcStatus.OK, status, code.name());
            }
        }
    }

    @Test
    void everyCodeHasAWebSocketAndATopicCode() {
        for (KalamErrorCode code : KalamErrorCode.values()) {
            assertTrue(ErrorMapper.wsCode(code).matches("[A-Z_]+"), code.name());
            assertTrue(ErrorMapper.topicErrorCode(code).matches("[A-Z_]+"), code.name());
            assertTrue(ErrorMapper.authErrorKind(code).matches("[a-z_]+"), code.name());
        }
    }

    @Test
    void authEndpointErrorKindsOfReference25() {
        AUTH_KINDS.forEach((code, kind) -> assertEquals(kind, ErrorMapper.authErrorKind(code), code.name()));
        assertEquals("bad_request", ErrorMapper.authErrorKind(KalamErrorCode.INVALID_INPUT));
    }
}
