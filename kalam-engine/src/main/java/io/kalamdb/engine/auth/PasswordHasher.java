package io.kalamdb.engine.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * bcrypt hashing and the password policy of reference 6.4 (length 8..72 bytes, no common passwords). Not final so
 * that tests can count or interleave verifications.
 */
public class PasswordHasher {
    private static final Set<String> COMMON = Set.of("password", "password1", "password123", "12345678",
            "123456789", "1234567890", "qwerty", "qwerty123", "qwertyuiop", "admin", "admin123", "letmein",
            "welcome", "iloveyou", "abc12345", "11111111", "00000000", "passw0rd", "changeme", "football",
            "baseball", "monkey123", "dragon", "sunshine", "princess");

    private final int cost;
    private final int minLength;

    public PasswordHasher(int cost, int minLength) {
        this.cost = cost;
        this.minLength = minLength;
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public boolean verify(String password, String hash) {
        if (hash == null || hash.isEmpty() || password == null) {
            return false;
        }
        return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /** Throws WEAK_PASSWORD (with {@code who} as the message prefix) when the password breaks the policy. */
    public void checkPolicy(String password, String who) {
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        String problem = null;
        if (password.length() < minLength) {
            problem = "password must be at least " + minLength + " characters";
        } else if (bytes > 72) {
            problem = "password must be at most 72 bytes";
        } else if (COMMON.contains(password.toLowerCase(Locale.ROOT))) {
            problem = "password is too common";
        }
        if (problem != null) {
            throw new KalamException(KalamErrorCode.WEAK_PASSWORD, who + problem);
        }
    }
}
