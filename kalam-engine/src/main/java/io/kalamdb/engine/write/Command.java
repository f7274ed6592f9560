package io.kalamdb.engine.write;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.catalog.NamespaceDef;
import io.kalamdb.engine.catalog.TableDef;

import java.util.List;

/**
 * A deterministic, serialisable mutation: what the write log records and the {@link Applier} applies.
 * Every value a replica must agree on (row bytes, defaults, timestamps, ids) is fixed when the command is
 * planned; {@code _seq} values are assigned by the log when it sequences the command. A command that changes
 * something that already exists is an intent with a precondition (an expected schema version, row version or
 * route list, or plain existence), checked by the applier against the state it holds; when it fails the command
 * is rejected with {@code CONFLICT} and nothing of it is applied (ADR 0009).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Command.Rows.class, name = "rows"),
    @JsonSubTypes.Type(value = Command.PutNamespace.class, name = "put_namespace"),
    @JsonSubTypes.Type(value = Command.DropNamespace.class, name = "drop_namespace"),
    @JsonSubTypes.Type(value = Command.PutTable.class, name = "put_table"),
    @JsonSubTypes.Type(value = Command.DropTable.class, name = "drop_table"),
    @JsonSubTypes.Type(value = Command.PutUser.class, name = "put_user"),
    @JsonSubTypes.Type(value = Command.PutTopic.class, name = "put_topic"),
    @JsonSubTypes.Type(value = Command.DropTopic.class, name = "drop_topic"),
    @JsonSubTypes.Type(value = Command.TrimTopic.class, name = "trim_topic"),
    @JsonSubTypes.Type(value = Command.CommitOffset.class, name = "commit_offset"),
    @JsonSubTypes.Type(value = Command.AckOffsets.class, name = "ack_offsets"),
    @JsonSubTypes.Type(value = Command.SetUserPassword.class, name = "set_user_password"),
    @JsonSubTypes.Type(value = Command.SetUserRole.class, name = "set_user_role"),
    @JsonSubTypes.Type(value = Command.SetUserEmail.class, name = "set_user_email"),
    @JsonSubTypes.Type(value = Command.DropUser.class, name = "drop_user"),
    @JsonSubTypes.Type(value = Command.SetUserLock.class, name = "set_user_lock"),
    @JsonSubTypes.Type(value = Command.RecordLoginFailure.class, name = "record_login_failure"),
    @JsonSubTypes.Type(value = Command.RecordLoginSuccess.class, name = "record_login_success"),
    @JsonSubTypes.Type(value = Command.AlterTable.class, name = "alter_table"),
    @JsonSubTypes.Type(value = Command.SetTopicRoutes.class, name = "set_topic_routes"),
    @JsonSubTypes.Type(value = Command.EvictExpired.class, name = "evict_expired")
})
public sealed interface Command {

    /** How many {@code _seq} values the command consumes. */
    default int seqCount() {
        return 0;
    }

    /** Row changes of one statement or one transaction, applied all or nothing. */
    record Rows(List<RowOp> ops) implements Command {
        public Rows {
            ops = List.copyOf(ops);
        }

        @Override
        public int seqCount() {
            return ops.size() * 2;
        }
    }

    /**
     * Removes up to {@code maxRows} rows of a STREAM table whose {@code _seq} is below {@code beforeSeq} (the TTL
     * cut-off the proposer computed from its clock), in key order. Which rows go is decided at apply from the
     * stored versions, so a row written again after the proposer looked is kept.
     */
    record EvictExpired(long tableId, long beforeSeq, int maxRows) implements Command {
        @Override
        public int seqCount() {
            return maxRows;
        }
    }

    /**
     * Creates a namespace ({@code create}: {@code CONFLICT} if the name exists) or updates an existing one
     * ({@code CONFLICT} if it is gone).
     */
    record PutNamespace(NamespaceDef namespace, boolean create) implements Command {
    }

    /** Drops a namespace and every table in it; {@code CONFLICT} if it is gone. */
    record DropNamespace(String name) implements Command {
    }

    /**
     * Creates a table; {@code CONFLICT} if the name exists or the namespace is gone. Only {@code create = true}
     * applies: a change of an existing table is an {@link AlterTable}.
     */
    record PutTable(TableDef table, boolean create) implements Command {
    }

    /**
     * Replaces a table's definition with {@code table} if the stored table still has schema version
     * {@code expectedSchemaVersion} (ALTER TABLE, CREATE INDEX); {@code CONFLICT} if it changed or was dropped,
     * so a definition computed from an older version is never written (no lost column, no resurrection).
     */
    record AlterTable(long tableId, int expectedSchemaVersion, TableDef table) implements Command {
    }

    /** Drops a table with its rows; {@code CONFLICT} if it is gone. */
    record DropTable(long tableId) implements Command {
    }

    /**
     * Creates a topic; {@code CONFLICT} if the name exists or the namespace is gone. Only {@code create = true}
     * applies: route changes are {@link SetTopicRoutes}.
     */
    record PutTopic(io.kalamdb.engine.catalog.TopicDef topic, boolean create) implements Command {
    }

    /**
     * Replaces a topic's routes if they are still {@code expectedRoutes}; {@code CONFLICT} if they changed or
     * the topic is gone.
     */
    record SetTopicRoutes(long topicId, List<io.kalamdb.engine.catalog.TopicDef.Route> expectedRoutes,
                          List<io.kalamdb.engine.catalog.TopicDef.Route> routes, long atMicros) implements Command {
        public SetTopicRoutes {
            expectedRoutes = List.copyOf(expectedRoutes);
            routes = List.copyOf(routes);
        }
    }

    /** Drops a topic with its messages and committed offsets; {@code CONFLICT} if it is gone. */
    record DropTopic(long topicId) implements Command {
    }

    /**
     * Deletes a partition's messages with offsets below {@code beforeOffset} (retention, CLEAR TOPIC with
     * {@code Long.MAX_VALUE}); offsets of later messages never change.
     */
    record TrimTopic(long topicId, int partition, long beforeOffset) implements Command {
    }

    /** Commits a consumer group's offset of one partition; never moves it backwards. */
    record CommitOffset(long topicId, String group, int partition, long offset, long updatedAtMicros)
            implements Command {
    }

    /**
     * Acknowledges exactly {@code offsets} for a consumer group on one partition (what one consumer was given);
     * at apply the group's committed offset advances over the contiguous acknowledged prefix and the others are
     * kept one by one above it (ADR 0012).
     */
    record AckOffsets(long topicId, String group, int partition, java.util.List<Long> offsets, long updatedAtMicros)
            implements Command {
    }

    /**
     * Creates a user ({@code create}: fails if a live user has the id). Over a dropped user of the same id it
     * purges the dropped user's rows and continues its token generation (ADR 0005). Changes of an existing user
     * are the intents below, applied to the stored record at apply time, never a whole record read earlier.
     */
    record PutUser(UserRecord user, boolean create) implements Command {
    }

    /** Sets a user's password hash; clears failures and lock, and ends earlier tokens. */
    record SetUserPassword(String userId, String passwordHash, long atMicros) implements Command {
    }

    /** Sets a user's role; ends earlier tokens. */
    record SetUserRole(String userId, io.kalamdb.engine.auth.Role role, long atMicros) implements Command {
    }

    record SetUserEmail(String userId, String email, long atMicros) implements Command {
    }

    /** Soft-drops a user; ends its tokens. */
    record DropUser(String userId, long atMicros) implements Command {
    }

    /** Admin lock until {@code lockedUntilMicros} (ends tokens), or with null an unlock (clears failures). */
    record SetUserLock(String userId, Long lockedUntilMicros, long atMicros) implements Command {
    }

    /**
     * A wrong password: the failure counter moves on by one, and the account locks for {@code lockMicros} when
     * it reaches {@code maxFailures}. A failure while locked is not counted; the first one after a lock expired
     * starts a new count. Unknown or dropped ids are ignored (login does the same work for them).
     */
    record RecordLoginFailure(String userId, long atMicros, int maxFailures, long lockMicros) implements Command {
    }

    /**
     * A right password: clears failures, sets the last login. Fails with {@code INVALID_CREDENTIALS} when the
     * user's token generation is no longer {@code expectedGeneration} (its credentials changed meanwhile) or it
     * was locked or dropped meanwhile.
     */
    record RecordLoginSuccess(String userId, long atMicros, long expectedGeneration) implements Command {
    }
}
