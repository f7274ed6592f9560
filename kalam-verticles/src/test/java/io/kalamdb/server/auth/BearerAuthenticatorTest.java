package io.kalamdb.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kalamdb.engine.api.Principal;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.server.Futures;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BearerAuthenticatorTest {
    private static Vertx vertx;
    private static JwtService jwt;
    private static BearerAuthenticator authenticator;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        jwt = new JwtService(vertx, JwtServiceTest.SECRET, 24, Clock.fixed(JwtServiceTest.NOW, ZoneOffset.UTC));
        authenticator = new BearerAuthenticator(jwt);
    }

    @AfterAll
    static void stop() {
        Futures.await(vertx.close());
    }

    @Test
    void accessTokenGivesThePrincipal() {
        TokenPair pair = jwt.issue(JwtServiceTest.user("alice", Role.SERVICE));
        Principal principal = Futures.await(authenticator.authenticate("Bearer " + pair.accessToken()));
        assertEquals(new Principal("alice", Role.SERVICE), principal);
        assertEquals(principal, Futures.await(authenticator.authenticate("bearer  " + pair.accessToken() + " ")));
    }

    @Test
    void failuresOfReference23() {
        assertFailure(null, KalamErrorCode.MISSING_AUTHORIZATION, "Authentication required");
        assertFailure("  ", KalamErrorCode.MISSING_AUTHORIZATION, "Authentication required");
        assertFailure("Basic cm9vdDpwdw==", KalamErrorCode.INVALID_CREDENTIALS, BearerAuthenticator.NOT_BEARER);
        assertFailure("eyJhbGciOiJIUzI1NiJ9.e30.sig", KalamErrorCode.INVALID_CREDENTIALS,
                BearerAuthenticator.NOT_BEARER);
        assertFailure("Bearer", KalamErrorCode.INVALID_CREDENTIALS, BearerAuthenticator.NOT_BEARER);
        assertFailure("Bearer not-a-jwt", KalamErrorCode.INVALID_CREDENTIALS, "Invalid credentials");
        String refresh = jwt.issue(JwtServiceTest.user("alice", Role.USER)).refreshToken();
        assertFailure("Bearer " + refresh, KalamErrorCode.INVALID_CREDENTIALS, "Invalid credentials");
    }

    @Test
    void bearerToken() {
        assertEquals("abc", BearerAuthenticator.bearerToken("Bearer abc"));
        assertNull(BearerAuthenticator.bearerToken("Basic abc"));
        assertNull(BearerAuthenticator.bearerToken("Bearer "));
        assertNull(BearerAuthenticator.bearerToken(null));
    }

    private static void assertFailure(String header, KalamErrorCode code, String message) {
        KalamException error = Futures.failure(authenticator.authenticate(header));
        assertEquals(code, error.code(), String.valueOf(header));
        assertEquals(message, error.getMessage());
    }
}
