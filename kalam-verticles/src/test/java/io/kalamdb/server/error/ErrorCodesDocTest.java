package io.kalamdb.server.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.error.KalamErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The error-code table of {@code docs/protocol.md} lists every {@link KalamErrorCode}, in order, with its number
 * and the HTTP status {@link ErrorMapper} gives it: a new code, or a changed status, fails here until documented.
 */
class ErrorCodesDocTest {
    private static final Path DOC = Path.of("..", "docs", "protocol.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z_]+)` \\| (\\d+) \\| (\\d{3}) \\| [^|]+\\|$");

    @Test
    void theDocumentedTableIsEveryCodeWithItsNumberAndStatus() throws IOException {
        String text = Files.readString(DOC);
        int marker = text.indexOf("<!-- error-codes");
        assertTrue(marker >= 0, "docs/protocol.md has no error-codes table");
        Map<String, String> documented = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : text.substring(marker).lines().skip(1).toList()) {
            if (!line.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            inTable = true;
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                documented.put(row.group(1), row.group(2) + " " + row.group(3));
            } else {
                assertTrue(line.startsWith("| code ") || line.startsWith("|---"), "not a table row: " + line);
            }
        }
        Map<String, String> actual = new LinkedHashMap<>();
        for (KalamErrorCode code : KalamErrorCode.values()) {
            actual.put(code.name(), code.code() + " " + ErrorMapper.httpStatus(code));
        }
        assertEquals(actual, documented);
        assertEquals(String.join(",", actual.keySet()), String.join(",", documented.keySet()), "in code order");
    }
}
