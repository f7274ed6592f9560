package io.kalamdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.live.InitialBatch;
import io.kalamdb.engine.live.LiveChange;
import io.kalamdb.engine.live.LiveSink;
import io.kalamdb.engine.live.SubscribeOptions;
import io.kalamdb.engine.live.Subscription;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the golden SQL files {@code src/test/resources/sql/*.sql} against a fresh engine per file and compares each
 * statement's output with the expectation written under it.
 *
 * <p>File format: a statement is one or more lines, the last ending in {@code ;}. The lines after it that start
 * with {@code > } are its expectation: {@code > ok} (it succeeds; output not compared), {@code > error: text}
 * (it fails with a message containing text), or one {@code > v1 | v2 | ...} line per result row, in order
 * ({@code > (no rows)} for none; NULL for null, decimals as written with their scale). A {@code -- live} line
 * before a SELECT also subscribes to it: the subscription's initial rows must be the same rows (in any order);
 * a {@code -- live refuses: text} line instead requires the subscription to fail with a message containing text.
 * Other {@code --} lines are comments; each case carries the issue it pins, as {@code -- issue N}.
 */
class GoldenSqlTest {
    private static final Session ROOT = EngineFixture.ROOT;

    @TestFactory
    Stream<DynamicTest> goldenFiles() throws IOException, URISyntaxException {
        Path dir = Path.of(GoldenSqlTest.class.getResource("/sql").toURI());
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no golden files in " + dir);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(f)));
    }

    /** One statement of a file, with its expectation and where it starts. */
    private record Case(int line, String sql, boolean live, String liveError, List<String> expected) {
    }

    private static void run(Path file) throws IOException {
        List<Case> cases = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        assertFalse(cases.isEmpty(), file + " has no statements");
        try (EngineFixture fx = new EngineFixture(Map.of(EngineConfig.DEFAULT_QUERY_LIMIT.key(), "1000"))) {
            for (Case c : cases) {
                String where = file.getFileName() + ":" + c.line() + " " + c.sql();
                assertFalse(c.expected().isEmpty(), where + ": no expectation");
                String first = c.expected().get(0);
                List<String> actual;
                try {
                    actual = render(fx.one(ROOT, c.sql()));
                } catch (KalamException e) {
                    if (first.startsWith("error:")) {
                        String text = first.substring("error:".length()).trim();
                        assertTrue(e.getMessage().contains(text), where + ": error [" + e.getMessage()
                                + "] does not contain [" + text + "]");
                        continue;
                    }
                    throw new AssertionError(where + ": failed: " + e.getMessage(), e);
                }
                if (first.startsWith("error:")) {
                    fail(where + ": expected an error but got " + actual);
                }
                if (!first.equals("ok")) {
                    List<String> expected = first.equals("(no rows)") ? List.of() : c.expected();
                    assertEquals(expected, actual, where);
                }
                if (c.liveError() != null) {
                    try {
                        liveRows(fx, c.sql(), 0);
                        fail(where + ": the subscription was accepted");
                    } catch (KalamException e) {
                        assertTrue(e.getMessage().contains(c.liveError()), where + ": error [" + e.getMessage()
                                + "] does not contain [" + c.liveError() + "]");
                    }
                }
                if (c.live()) {
                    List<String> live = liveRows(fx, c.sql(), actual.isEmpty() ? 0
                            : actual.get(0).split(" \\| ", -1).length);
                    assertEquals(actual.stream().sorted().toList(), live.stream().sorted().toList(),
                            where + ": subscription rows differ from the SELECT");
                }
            }
        }
    }

    private static List<Case> parse(List<String> lines) {
        List<Case> cases = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        int start = 0;
        boolean live = false;
        String liveError = null;
        Case open = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith(">")) {
                if (open == null) {
                    throw new IllegalStateException("line " + (i + 1) + ": expectation without a statement");
                }
                open.expected().add(line.substring(1).strip());
                continue;
            }
            open = null;
            if (line.equals("-- live")) {
                live = true;
                continue;
            }
            if (line.startsWith("-- live refuses:")) {
                liveError = line.substring("-- live refuses:".length()).strip();
                continue;
            }
            if (line.isEmpty() || line.startsWith("--")) {
                continue;
            }
            if (sql.isEmpty()) {
                start = i + 1;
            }
            sql.append(sql.isEmpty() ? "" : "\n").append(line);
            if (line.endsWith(";")) {
                open = new Case(start, sql.substring(0, sql.length() - 1), live, liveError, new ArrayList<>());
                cases.add(open);
                sql.setLength(0);
                live = false;
                liveError = null;
            }
        }
        if (!sql.isEmpty()) {
            throw new IllegalStateException("unterminated statement: " + sql);
        }
        return cases;
    }

    private static List<String> render(StatementResult r) {
        List<String> out = new ArrayList<>();
        if (r.rows() == null) {
            return out;
        }
        for (Object[] row : r.rows()) {
            List<String> cells = new ArrayList<>();
            for (Object v : row) {
                cells.add(cell(v));
            }
            out.add(String.join(" | ", cells));
        }
        return out;
    }

    private static String cell(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return v.toString();
    }

    /** The initial rows of a subscription to {@code sql}, each cut to the first {@code width} columns. */
    private static List<String> liveRows(EngineFixture fx, String sql, int width) {
        List<InitialBatch> batches = new ArrayList<>();
        LiveSink sink = new LiveSink() {
            @Override
            public void initial(Subscription subscription, InitialBatch batch) {
                batches.add(batch);
            }

            @Override
            public void change(Subscription subscription, LiveChange change) {
            }
        };
        Subscription sub = fx.engine().live().subscribe(ROOT, "golden", "g", sql, SubscribeOptions.defaults(), sink);
        fx.engine().live().unsubscribe(sub);
        List<String> out = new ArrayList<>();
        for (InitialBatch b : batches) {
            for (Map<String, Object> row : b.rows()) {
                List<String> cells = new ArrayList<>();
                for (Object v : row.values()) {
                    if (cells.size() < width) {
                        cells.add(cell(v));
                    }
                }
                out.add(String.join(" | ", cells));
            }
        }
        return out;
    }
}
