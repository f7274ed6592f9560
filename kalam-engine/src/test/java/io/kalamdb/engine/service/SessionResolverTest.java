package io.kalamdb.engine.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kalamdb.engine.Session;
import io.kalamdb.engine.api.Principal;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import org.junit.jupiter.api.Test;

class SessionResolverTest {
    private static final long NOW = 2_000_000_000_000_000L;

    private final FakeUserService users = new FakeUserService().add("alice", "pw", Role.USER).add("ops", "pw",
            Role.DBA);
    private final SessionResolver resolver = new SessionResolver(users, () -> NOW);

    @Test
    void sessionUsesTheStoredRole() {
        assertEquals(new Session("alice", Role.USER), resolver.session(new Principal("alice", Role.USER)));
        assertEquals(new Session("ops", Role.DBA), resolver.session(new Principal("ops", null)));
    }

    @Test
    void unknownDroppedOrMismatchedUsersAreInvalidCredentials() {
        UserRecord alice = users.find("alice").orElseThrow();
        users.put(alice.withRole(Role.USER, NOW).deleted(NOW).withLogin(0, null, null));
        users.add("bob", "pw", Role.USER);

        assertPublic(new Principal("nobody", Role.USER));
        assertPublic(new Principal("alice", Role.USER));
        assertPublic(new Principal("bob", Role.SYSTEM));

        assertEquals("User no longer valid",
                assertThrows(KalamException.class, () -> resolver.verify(new Principal("alice", null)))
                        .getMessage());
        assertEquals("Token role does not match user role",
                assertThrows(KalamException.class, () -> resolver.verify(new Principal("bob", Role.DBA)))
                        .getMessage());
    }

    @Test
    void lockedAccountIsRefusedUntilTheLockExpires() {
        UserRecord ops = users.find("ops").orElseThrow();
        users.put(ops.withLogin(5, NOW + 1, null));
        KalamException locked = assertThrows(KalamException.class,
                () -> resolver.session(new Principal("ops", Role.DBA)));
        assertEquals(KalamErrorCode.ACCOUNT_LOCKED, locked.code());
        assertEquals("Account locked", locked.getMessage());

        users.put(ops.withLogin(5, NOW - 1, null));
        assertEquals(Role.DBA, resolver.session(new Principal("ops", Role.DBA)).role());
    }

    @Test
    void onlyATokenOfTheCurrentGenerationIsAccepted() {
        UserRecord alice = users.find("alice").orElseThrow();
        users.put(alice.withPasswordHash("new-hash", NOW));
        assertPublic(new Principal("alice", Role.USER, 0));
        assertPublic(new Principal("alice", Role.USER, 2));
        assertEquals("Token revoked: the user's credentials changed",
                assertThrows(KalamException.class, () -> resolver.verify(new Principal("alice", Role.USER, 0)))
                        .getMessage());
        assertEquals(new Session("alice", Role.USER), resolver.session(new Principal("alice", Role.USER, 1)));
    }

    private void assertPublic(Principal principal) {
        KalamException e = assertThrows(KalamException.class, () -> resolver.session(principal));
        assertEquals(KalamErrorCode.INVALID_CREDENTIALS, e.code());
        assertEquals("Invalid credentials", e.getMessage());
    }
}
