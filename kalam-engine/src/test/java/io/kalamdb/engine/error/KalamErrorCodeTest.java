package io.kalamdb.engine.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * them, so renumbering, renaming, removing or adding a code without its golden line fails here.
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
