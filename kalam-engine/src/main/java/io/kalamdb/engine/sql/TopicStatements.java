package io.kalamdb.engine.sql;

import io.kalamdb.engine.catalog.TopicDef;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.topic.ConsumeRequest;

import java.util.Locale;

/** Parses the topic statements: CREATE/DROP/CLEAR TOPIC, ALTER TOPIC … ADD/DROP SOURCE, CONSUME and ACK. */
final class TopicStatements {
    private TopicStatements() {
    }

    /** A topic name: must be {@code <namespace>.<topic>}. */
    static String topicName(TokenCursor c) {
        String first = c.identifier("topic name");
        if (!c.acceptSymbol(".")) {
            throw new KalamException(KalamErrorCode.INVALID_OPTION,
                    "Topic name must be namespace-qualified: <namespace>.<topic> [topic="
                    + first + "]");
        }
        return first + "." + c.identifier("topic name");
    }

    static Stmt createTopic(TokenCursor c) {
        String topic = topicName(c);
        int partitions = 1;
        if (c.acceptWord("PARTITIONS")) {
            long n = c.number("partition count");
            if (n < 1 || n > 1024) {
                throw new KalamException(KalamErrorCode.INVALID_OPTION,
                        "PARTITIONS must be between 1 and 1024 [partitions=" + n + "]");
            }
            partitions = (int) n;
        }
        Long retentionSeconds = null;
        Long retentionBytes = null;
        if (c.acceptWord("WITH")) {
            c.expectSymbol("(");
            do {
                String key = c.identifier("topic option").toLowerCase(Locale.ROOT);
                c.expectSymbol("=");
                long v = c.number(key);
                if (v < 1) {
                    throw new KalamException(KalamErrorCode.INVALID_OPTION,
                            key + " must be positive [" + key + "=" + v + "]");
                }
                switch (key) {
                    case "retention_seconds" -> retentionSeconds = v;
                    case "retention_max_bytes" -> retentionBytes = v;
                    default -> throw new KalamException(KalamErrorCode.INVALID_OPTION, "unknown topic option '" + key
                            + "' (retention_seconds or retention_max_bytes)");
                }
            } while (c.acceptSymbol(","));
            c.expectSymbol(")");
        }
        c.expectEnd();
        return new Stmt.CreateTopic(topic, partitions, retentionSeconds, retentionBytes);
    }

    static Stmt alterTopic(TokenCursor c, String defaultNamespace) {
        String topic = topicName(c);
        boolean add;
        if (c.acceptWord("ADD")) {
            add = true;
        } else if (c.acceptWord("DROP") || c.acceptWord("REMOVE")) {
            add = false;
        } else {
            throw c.error("expected ADD SOURCE or DROP SOURCE");
        }
        c.expectWord("SOURCE");
        String first = c.identifier("table name");
        Stmt.TableRef table = c.acceptSymbol(".") ? new Stmt.TableRef(first, c.identifier("table name"))
                : new Stmt.TableRef("default", first);
        c.expectWord("ON");
        Token opToken = c.next();
        TopicDef.Op op;
        try {
            op = TopicDef.Op.valueOf(opToken.upper());
        } catch (IllegalArgumentException e) {
            throw SqlLexer.error(c.sql(), opToken.start(), "expected INSERT, UPDATE or DELETE after ON");
        }
        if (!add) {
            c.expectEnd();
            return new Stmt.DropTopicSource(topic, table, op);
        }
        String where = null;
        if (c.acceptWord("WHERE")) {
            int start = c.position();
            while (!c.atEnd() && !c.peekWord("WITH")) {
                c.next();
            }
            if (c.position() == start) {
                throw c.error("expected a condition after WHERE");
            }
            where = c.textBetween(start, c.position());
            if (CalciteSql.containsSubquery(CalciteSql.parseExpression(CalciteSql.prepare(where,
                    java.util.List.of()).sql()))) {
                throw KalamException.invalidSql("topic route filters cannot contain subqueries: a route tests each "
                        + "changed row of its table and reads nothing else");
            }
        }
        TopicDef.PayloadMode mode = TopicDef.PayloadMode.FULL;
        if (c.acceptWord("WITH")) {
            c.expectSymbol("(");
            String key = c.identifier("option name");
            if (!key.equalsIgnoreCase("payload")) {
                throw new KalamException(KalamErrorCode.INVALID_OPTION,
                        "unknown topic source option '" + key + "' (payload)");
            }
            c.expectSymbol("=");
            String value = c.next().unquoted();
            try {
                mode = TopicDef.PayloadMode.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new KalamException(KalamErrorCode.INVALID_OPTION,
                        "Invalid payload mode '" + value + "' (key, full or diff)");
            }
            c.expectSymbol(")");
        }
        c.expectEnd();
        return new Stmt.AddTopicSource(topic, table, op, where, mode);
    }

    static Stmt consume(TokenCursor c) {
        c.expectWord("CONSUME");
        c.expectWord("FROM");
        String topic = topicName(c);
        String group = null;
        Integer partition = null;
        ConsumeRequest.Start start = ConsumeRequest.Start.LATEST;
        long offset = 0;
        int limit = 100;
        while (!c.atEnd()) {
            if (c.acceptWord("GROUP")) {
                group = c.next().unquoted();
                if (group.isBlank()) {
                    throw new KalamException(KalamErrorCode.INVALID_OPTION, "consumer group name must not be empty");
                }
            } else if (c.acceptWord("PARTITION")) {
                partition = (int) c.number("partition");
            } else if (c.acceptWord("FROM") || c.acceptWord("START")) {
                if (c.acceptWord("EARLIEST")) {
                    start = ConsumeRequest.Start.EARLIEST;
                } else if (c.acceptWord("LATEST")) {
                    start = ConsumeRequest.Start.LATEST;
                } else {
                    start = ConsumeRequest.Start.OFFSET;
                    offset = signedNumber(c, "start offset");
                    if (offset < 0) {
                        throw new KalamException(KalamErrorCode.INVALID_OPTION,
                                "start offset must not be negative [offset=" + offset + "]");
                    }
                }
            } else if (c.acceptWord("LIMIT")) {
                long n = signedNumber(c, "limit");
                if (n < 1 || n > 10_000) {
                    throw new KalamException(KalamErrorCode.INVALID_OPTION,
                            "LIMIT must be between 1 and 10000 [limit=" + n + "]");
                }
                limit = (int) n;
            } else {
                throw c.error("unexpected clause in CONSUME");
            }
        }
        return new Stmt.Consume(topic, group, partition, start, offset, limit);
    }

    static Stmt ack(TokenCursor c) {
        c.expectWord("ACK");
        String topic = topicName(c);
        c.expectWord("GROUP");
        String group = c.next().unquoted();
        int partition = 0;
        if (c.acceptWord("PARTITION")) {
            partition = (int) c.number("partition");
        }
        c.expectWord("UPTO");
        c.expectWord("OFFSET");
        long offset = signedNumber(c, "offset");
        c.expectEnd();
        return new Stmt.Ack(topic, group, partition, offset);
    }

    private static long signedNumber(TokenCursor c, String what) {
        boolean negative = c.acceptSymbol("-");
        long n = c.number(what);
        return negative ? -n : n;
    }
}
