package io.kalamdb.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.vertx.core.buffer.Buffer;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class SqlRequestParserTest {

    @Test
    void sqlWithDefaults() {
        SqlRequestParser.ParsedSql parsed = parse("{\"sql\":\"SELECT 1\"}");
        assertEquals("SELECT 1", parsed.sql());
        assertEquals(List.of(), parsed.params());
        assertEquals("default", parsed.namespace());
    }

    @Test
    void paramsBecomeJavaValues() {
        SqlRequestParser.ParsedSql parsed = parse("{\"sql\":\"x\",\"namespace_id\":\"app\",\"params\":"
                + "[1, 99999999999999999999, 1.5, \"s\", true, null, [1,2], {\"a\":\"b\"}],\"extra\":1}");
        assertEquals("app", parsed.namespace());
        assertEquals(Arrays.asList(1L, new BigDecimal("99999999999999999999"), 1.5, "s", true, null, "[1,2]",
                "{\"a\":\"b\"}"), parsed.params());
    }

    @Test
    void badPayloadsAreInvalidInput() {
        assertInvalid("", "Invalid JSON payload: empty body");
        assertInvalid("{bad", "Invalid JSON payload: ");
        assertInvalid("[1]", "Invalid JSON payload: expected a JSON object");
        assertInvalid("{}", "Invalid JSON payload: missing field `sql`");
        assertInvalid("{\"sql\":1}", "Invalid JSON payload: invalid type for field `sql`");
        assertInvalid("{\"sql\":\"x\",\"params\":1}", "Invalid JSON payload: invalid type for field `params`");
    }

    private static void assertInvalid(String body, String messageStart) {
        KalamException e = assertThrows(KalamException.class, () -> parse(body));
        assertEquals(KalamErrorCode.INVALID_INPUT, e.code());
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    }

    private static SqlRequestParser.ParsedSql parse(String body) {
        return SqlRequestParser.parse(Buffer.buffer(body));
    }
}
