package io.kalamdb.server.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kalamdb.engine.error.KalamErrorCode;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Pins the HTTP status of every error code: changing one is a contract change. */
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
            Map.entry(KalamErrorCode.USER_EXISTS, 409),
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
            Map.entry(KalamErrorCode.METHOD_NOT_ALLOWED, 405)));

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
            int expected = code == KalamErrorCode.SETUP_REQUIRED ? 428 : HTTP.get(code);
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
                KalamErrorCode.EMPTY_SQL, KalamErrorCode.BATCH_PARSE_ERROR)) {
            ws.put(code, "INVALID_SQL");
        }
        for (KalamErrorCode code : EnumSet.of(KalamErrorCode.PERMISSION_DENIED, KalamErrorCode.MISSING_AUTHORIZATION,
                KalamErrorCode.INVALID_CREDENTIALS, KalamErrorCode.TOKEN_EXPIRED, KalamErrorCode.ACCOUNT_LOCKED,
                KalamErrorCode.SETUP_REQUIRED)) {
            ws.put(code, "UNAUTHORIZED");
        }
        ws.put(KalamErrorCode.TABLE_NOT_FOUND, "NOT_FOUND");
        ws.put(KalamErrorCode.NOT_FOUND, "NOT_FOUND");
        ws.put(KalamErrorCode.UNSUPPORTED, "UNSUPPORTED");
        ws.put(KalamErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, "SUBSCRIPTION_LIMIT_EXCEEDED");
        ws.put(KalamErrorCode.RATE_LIMIT_EXCEEDED, "RATE_LIMIT_EXCEEDED");
        ws.forEach((code, wsCode) -> assertEquals(wsCode, ErrorMapper.wsCode(code), code.name()));
    }

    @Test
    void authEndpointErrorKindsOfReference25() {
        AUTH_KINDS.forEach((code, kind) -> assertEquals(kind, ErrorMapper.authErrorKind(code), code.name()));
        assertEquals("bad_request", ErrorMapper.authErrorKind(KalamErrorCode.INVALID_INPUT));
    }
}
