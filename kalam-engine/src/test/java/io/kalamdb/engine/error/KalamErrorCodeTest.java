package io.kalamdb.engine.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Every error code's number and name are pinned in {@code golden/error-codes.txt}: clients and the wire depend on
 * them, so renumbering, renaming, removing or adding a code without its golden line fails here. Codes added since
 * the ranges (ADR 0019) are numbered in their kind's range.
 */
class KalamErrorCodeTest {

    @Test
    void everyCodeHasItsPinnedNumberAndName() throws IOException {
        Map<Integer, String> pinned = pinned();
        List<String> problems = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (KalamErrorCode c : KalamErrorCode.values()) {
            if (!seen.add(c.code())) {
                problems.add("number " + c.code() + " is used twice");
            }
            String name = pinned.get(c.code());
            if (name == null) {
                problems.add("not pinned (append '" + c.code() + " " + c.name() + "' to golden/error-codes.txt)");
            } else if (!name.equals(c.name())) {
                problems.add("number " + c.code() + " was " + name + ", now " + c.name());
            }
        }
        for (Map.Entry<Integer, String> e : pinned.entrySet()) {
            if (!seen.contains(e.getKey())) {
                problems.add(e.getKey() + " " + e.getValue() + " is gone or renumbered");
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
        assertEquals(pinned.size(), KalamErrorCode.values().length);
    }

    /** The codes numbered before the ranges existed (ADR 0019): they keep their numbers, below 1000. */
    private static final Set<KalamErrorCode> LEGACY = Set.of(KalamErrorCode.INVALID_SQL,
            KalamErrorCode.SQL_EXECUTION_ERROR, KalamErrorCode.PERMISSION_DENIED, KalamErrorCode.INVALID_INPUT,
            KalamErrorCode.INVALID_PARAMETER, KalamErrorCode.PARAMS_WITH_BATCH, KalamErrorCode.EMPTY_SQL,
            KalamErrorCode.BATCH_PARSE_ERROR, KalamErrorCode.TABLE_NOT_FOUND, KalamErrorCode.INTERNAL_ERROR,
            KalamErrorCode.RATE_LIMIT_EXCEEDED, KalamErrorCode.MISSING_AUTHORIZATION,
            KalamErrorCode.INVALID_CREDENTIALS, KalamErrorCode.TOKEN_EXPIRED, KalamErrorCode.ACCOUNT_LOCKED,
            KalamErrorCode.SETUP_REQUIRED, KalamErrorCode.AUTHENTICATION_ERROR, KalamErrorCode.ALREADY_CONFIGURED,
            KalamErrorCode.WEAK_PASSWORD, KalamErrorCode.INVALID_USER, KalamErrorCode.USER_EXISTS,
            KalamErrorCode.NOT_FOUND, KalamErrorCode.SHUTTING_DOWN, KalamErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED,
            KalamErrorCode.UNSUPPORTED, KalamErrorCode.STORAGE_CORRUPTION, KalamErrorCode.STORAGE_UNAVAILABLE,
            KalamErrorCode.STATEMENT_TIMEOUT, KalamErrorCode.STATEMENT_CANCELLED, KalamErrorCode.CONFLICT,
            KalamErrorCode.OVERLOADED, KalamErrorCode.METHOD_NOT_ALLOWED, KalamErrorCode.STORAGE_FULL);

    @Test
    void everyNewCodeLiesInItsKindsRangeAndOnlyTheLegacyCodesLieBelow1000() {
        List<String> problems = new ArrayList<>();
        for (KalamErrorCode c : KalamErrorCode.values()) {
            if (LEGACY.contains(c)) {
                if (c.code() >= 1000) {
                    problems.add(c + " is listed as legacy but numbered " + c.code());
                }
            } else if (!c.kind().inRange(c.code())) {
                problems.add(c + " (" + c.code() + ") is outside " + c.kind() + "'s range " + c.kind().base() + ".."
                        + (c.kind().base() + 999));
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
        Set<Integer> bases = new HashSet<>();
        for (KalamErrorCode.Kind k : KalamErrorCode.Kind.values()) {
            assertTrue(k.base() % 1000 == 0 && k.base() >= 1000 && bases.add(k.base()), k + " base " + k.base());
        }
    }

    @Test
    void theKindDecidesTheCategoryOfEveryNewCode() {
        for (KalamErrorCode c : KalamErrorCode.values()) {
            if (LEGACY.contains(c)) {
                continue;
            }
            KalamErrorCode.Category expected = switch (c.kind()) {
                case INVALID, NOT_FOUND, ALREADY_EXISTS, CONSTRAINT, CONFLICT, AUTH ->
                        KalamErrorCode.Category.USER_ERROR;
                case RESOURCE, UNAVAILABLE -> KalamErrorCode.Category.INSUFFICIENT_RESOURCES;
                case INTERNAL -> KalamErrorCode.Category.INTERNAL_ERROR;
            };
            assertEquals(expected, c.category(), c.name());
        }
        assertEquals(KalamErrorCode.Kind.NOT_FOUND, KalamErrorCode.TABLE_NOT_FOUND.kind());
        assertEquals(KalamErrorCode.Kind.ALREADY_EXISTS, KalamErrorCode.USER_EXISTS.kind());
        assertFalse(KalamErrorCode.TABLE_EXISTS.isRetriable());
        assertTrue(KalamErrorCode.NOT_LEADER.isRetriable(), "a client retries NOT_LEADER against the leader");
    }

    private static Map<Integer, String> pinned() throws IOException {
        try (InputStream in = KalamErrorCodeTest.class.getResourceAsStream("/golden/error-codes.txt")) {
            assertNotNull(in, "golden/error-codes.txt");
            Map<Integer, String> codes = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] parts = line.trim().split(" ");
                    if (codes.put(Integer.parseInt(parts[0]), parts[1]) != null) {
                        fail("golden/error-codes.txt pins " + parts[0] + " twice");
                    }
                }
            }
            return codes;
        }
    }
}
