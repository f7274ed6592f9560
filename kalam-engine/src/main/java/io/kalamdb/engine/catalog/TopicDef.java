package io.kalamdb.engine.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A topic: a durable partitioned log fed by routes from tables. Retention removes messages older than
 * {@code retentionSeconds} or beyond {@code retentionMaxBytes} per partition.
 */
public record TopicDef(long id, String namespace, String name, int partitions, long retentionSeconds,
                       long retentionMaxBytes, List<Route> routes, long createdAtMicros, long updatedAtMicros) {

    public static final long DEFAULT_RETENTION_SECONDS = 7L * 24 * 3600;
    public static final long DEFAULT_RETENTION_BYTES = 1L << 30;

    public TopicDef {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(name, "name is null");
        routes = List.copyOf(routes);
    }

    public String qualifiedName() {
        return namespace + "." + name;
    }

    /** A copy with the id and created/updated time the applier assigned when the topic was created. */
    public TopicDef withIdentity(long newId, long createdMicros) {
        return new TopicDef(newId, namespace, name, partitions, retentionSeconds, retentionMaxBytes, routes,
                createdMicros, createdMicros);
    }

    public TopicDef withRoutes(List<Route> newRoutes, long now) {
        return new TopicDef(id, namespace, name, partitions, retentionSeconds, retentionMaxBytes, newRoutes,
                createdAtMicros, now);
    }

    /** A table-to-topic route: changes of one kind ({@code op}) that match {@code where} become messages. */
    public record Route(long tableId, String table, Op op, String where, PayloadMode payload) {
    }

    /**
     * The change kind a route listens to; also the {@code op} of a message. The byte code is what a stored topic
     * message writes (ADR 0006): frozen, independent of declaration order.
     */
    public enum Op {
        INSERT("Insert", 0), UPDATE("Update", 1), DELETE("Delete", 2);

        private final String wireName;
        private final int code;

        Op(String wireName, int code) {
            this.wireName = wireName;
            this.code = code;
        }

        public String wireName() {
            return wireName;
        }

        /** The frozen byte that stands for this op in stored topic messages. */
        public byte code() {
            return (byte) code;
        }

        /** The op a stored byte stands for; an unknown byte means damaged or foreign data and is refused. */
        public static Op fromCode(byte code) {
            for (Op op : values()) {
                if (op.code == code) {
                    return op;
                }
            }
            throw io.kalamdb.engine.error.KalamException.internal("unknown topic message op code in stored data "
                    + "[code=" + (code & 0xff) + "]", null);
        }
    }

    /** What a message payload carries (PROTOCOL deviation 4). */
    public enum PayloadMode { KEY, FULL, DIFF }
}
