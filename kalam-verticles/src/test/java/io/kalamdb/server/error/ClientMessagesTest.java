package io.kalamdb.server.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import org.junit.jupiter.api.Test;

/** What a client is told of a failure: its own message, or only a reference when it is internal. */
class ClientMessagesTest {

    @Test
    void userErrorsKeepTheirMessage() {
        KalamException e = KalamException.tableNotFound("chat.nope");
        assertEquals("table 'chat.nope' not found", ClientMessages.of(e));
    }

    @Test
    void internalErrorsAnswerWithAReferenceOnly() {
        KalamException e = KalamException.internal("statement failed: java.lang.IllegalStateException: x",
                new IllegalStateException("x"));
        String message = ClientMessages.of(e);
        assertTrue(message.matches("internal error \\[ref=[0-9a-f]+]"), message);
        assertFalse(ClientMessages.of(e).equals(message), "each failure gets a reference of its own");
    }

    @Test
    void aUserErrorWhoseMessageShowsJavaInternalsIsReplacedToo() {
        KalamException e = new KalamException(KalamErrorCode.SQL_EXECUTION_ERROR,
                "class java.lang.String cannot be cast to class java.lang.Number");
        String message = ClientMessages.of(e);
        assertTrue(message.matches("the request failed \\[ref=[0-9a-f]+]"), message);
    }

    @Test
    void onlyTheServersOwnFailuresAreReplaced() {
        // not found, already exists, constraint and other statement failures are the caller's own business:
        // their messages name the caller's objects and stay; faults of the server never show their text
        java.util.Set<KalamErrorCode> replaced = java.util.EnumSet.of(KalamErrorCode.INTERNAL_ERROR,
                KalamErrorCode.AUTHENTICATION_ERROR, KalamErrorCode.STORAGE_CORRUPTION,
                KalamErrorCode.STORAGE_UNAVAILABLE);
        String message = "column 'x' not found in table 'chat.messages'";
        for (KalamErrorCode code : KalamErrorCode.values()) {
            String shown = ClientMessages.of(new KalamException(code, message));
            if (replaced.contains(code)) {
                assertTrue(shown.matches("internal error \\[ref=[0-9a-f]+]"), code + ": " + shown);
            } else {
                assertEquals(message, shown, code.name());
            }
        }
    }
}
