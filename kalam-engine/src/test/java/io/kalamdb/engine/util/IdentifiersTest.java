package io.kalamdb.engine.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.List;

import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void ordinaryNamesPass() {
        for (String ok : List.of("alice", "service_bot", "e2e", "a.b@example.com", "Zoë", "user 1", "名前",
                "emoji\uD83D\uDE00", "x".repeat(Identifiers.MAX_LENGTH))) {
            assertNull(Identifiers.problem(ok), ok);
            assertEquals(ok, Identifiers.checkUserId(ok));
        }
    }

    @Test
    void controlCharactersAndKeyBreakersAreRefusedWithTheNameEscaped() {
        for (String bad : List.of("a\u0000b", "\u0000", "tab\there", "new\nline", "del\u007f", "c1\u0085",
                "ls\u2028", "a/b", "a\\b", ".", "..", " lead", "trail ", "lone\uD800", "\uDC00x", "",
                "x".repeat(Identifiers.MAX_LENGTH + 1))) {
            KalamException e = assertThrows(KalamException.class, () -> Identifiers.checkUserId(bad), bad);
            assertEquals(KalamErrorCode.INVALID_INPUT, e.code());
            assertTrue(e.getMessage().startsWith("invalid user name '"), e.getMessage());
            for (char c : e.getMessage().toCharArray()) {
                assertTrue(!Character.isISOControl(c) && !Character.isSurrogate(c),
                        "the message carries no raw control character: " + e.getMessage());
            }
        }
        KalamException nul = assertThrows(KalamException.class, () -> Identifiers.checkUserId("a\u0000b"));
        assertEquals("invalid user name 'a\\u0000b': control characters are not allowed (found U+0000 at 1)",
                nul.getMessage());
    }

    @Test
    void theWhatNamesTheIdentifier() {
        KalamException e = assertThrows(KalamException.class,
                () -> Identifiers.check("consumer group name", "g\u0001"));
        assertEquals("invalid consumer group name 'g\\u0001': control characters are not allowed (found U+0001 at 1)",
                e.getMessage());
    }
}
