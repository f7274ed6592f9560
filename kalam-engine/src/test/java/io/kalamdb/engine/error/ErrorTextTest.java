package io.kalamdb.engine.error;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which messages would show a client the server's insides. */
class ErrorTextTest {

    @Test
    void javaInternalsAreRecognised() {
        for (String message : new String[] {
            "class java.lang.String cannot be cast to class java.lang.Number",
            "java.lang.NullPointerException",
            "org.apache.calcite.runtime.CalciteException: boom",
            "ClassCastException", "For input string: x (NumberFormatException)",
            "\tat io.kalamdb.engine.sql.QueryRunner.run(QueryRunner.java:81)",
            "Index 3 out of bounds (IndexOutOfBoundsException)", null, "", "  "}) {
            assertTrue(ErrorText.looksInternal(message), String.valueOf(message));
        }
    }

    @Test
    void ordinaryErrorMessagesPass() {
        for (String message : new String[] {
            "table does not exist [table=chat.messages]",
            "From line 1, column 8 to line 1, column 10: Column 'nope' not found in any table",
            "Encountered \"FROM\" at line 1, column 8.",
            "Parameter $3 invalid: only 2 parameter(s) were supplied",
            "statement timed out [timeoutMs=30000]"}) {
            assertFalse(ErrorText.looksInternal(message), message);
        }
    }
}
