package io.kalamdb.bench;

import java.util.List;

/** The statements and the message texts the runs send. */
final class Messages {

    static final String INSERT_ONE =
            "INSERT INTO chat.messages (thread_id, role, content, created_at) VALUES ($1, 'user', $2, NOW())";
    static final String LAST_20 =
            "SELECT * FROM chat.messages WHERE thread_id = $1 ORDER BY id DESC LIMIT 20";
    static final String COUNT = "SELECT COUNT(*) FROM chat.messages";

    private static final String FILLER = "The quick brown fox jumps over the lazy dog; the load generator keeps "
            + "talking so that every message has a realistic size. ";

    private final int contentBytes;
    private final String filler;

    Messages(int contentBytes) {
        this.contentBytes = contentBytes;
        this.filler = FILLER.repeat(contentBytes / FILLER.length() + 2);
    }

    /** A content of exactly contentBytes ASCII characters that starts with a unique tag. */
    String content(String tag) {
        String text = tag + " " + filler;
        return text.substring(0, Math.max(tag.length(), contentBytes));
    }

    /** The request body of one single-row INSERT with its two parameters. */
    String insertOneBody(String threadId, String content) {
        return Json.sqlBody(INSERT_ONE, List.of(threadId, content));
    }

    /** One multi-row INSERT with literal values (too many rows for the parameter limit). */
    static String insertMany(int rows, java.util.function.IntFunction<String> threadOf,
                             java.util.function.IntFunction<String> contentOf) {
        StringBuilder sql = new StringBuilder(rows * 160)
                .append("INSERT INTO chat.messages (thread_id, role, content, created_at) VALUES ");
        for (int r = 0; r < rows; r++) {
            if (r > 0) {
                sql.append(", ");
            }
            sql.append("('").append(threadOf.apply(r).replace("'", "''")).append("', '")
                    .append(r % 2 == 0 ? "user" : "assistant").append("', '")
                    .append(contentOf.apply(r).replace("'", "''")).append("', NOW())");
        }
        return sql.toString();
    }

    static String lastTwentyBody(String threadId) {
        return Json.sqlBody(LAST_20, List.of(threadId));
    }
}
