package io.kalamdb.engine.sql;

import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.catalog.AccessLevel;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.TableType;

import java.util.List;
import java.util.Map;

import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlUpdate;

/** A parsed statement of a batch, before authorisation and execution. */
public sealed interface Stmt {

    /** A table name resolved against the request's default namespace. */
    record TableRef(String namespace, String name) {
        public String qualified() {
            return namespace + "." + name;
        }
    }

    /** SELECT / WITH / VALUES / EXPLAIN, run by Calcite. {@code sql} has {@code ?} placeholders. */
    record Query(String sql, org.apache.calcite.sql.SqlNode node, List<Object> params, List<TableRef> tables,
                 boolean mentionsDeleted, boolean hasLimit, boolean explain) implements Stmt {
    }

    /**
     * INSERT: target columns (null = all, in order), and either VALUES rows (expressions) or a source query.
     */
    record Insert(TableRef table, List<String> columns, List<List<org.apache.calcite.sql.SqlNode>> rows,
                  org.apache.calcite.sql.SqlNode query, List<Object> params) implements Stmt {
    }

    record Update(TableRef table, SqlUpdate node, List<Object> params) implements Stmt {
    }

    record Delete(TableRef table, SqlDelete node, List<Object> params) implements Stmt {
    }

    record CreateNamespace(String name, boolean ifNotExists) implements Stmt {
    }

    record DropNamespace(String name, boolean ifExists) implements Stmt {
    }

    record AlterNamespace(String name, String description) implements Stmt {
    }

    record ShowNamespaces() implements Stmt {
    }

    record UseNamespace(String name) implements Stmt {
    }

    /**
     * CREATE TABLE. {@code declaredType} is null when neither a prefix keyword nor TYPE gave one; the
     * executor then applies the reference's rule (SHARED, or USER in a namespace named after the creator).
     */
    record CreateTable(TableRef table, boolean ifNotExists, TableType declaredType, List<ColumnDef> columns,
                       Map<String, String> options, AccessLevel accessLevel, Long ttlSeconds) implements Stmt {
    }

    record AlterTable(TableRef table, AlterOp op) implements Stmt {
    }

    /** CREATE INDEX: a secondary index on one column, used for equality lookups. */
    record CreateIndex(TableRef table, String column, boolean ifNotExists) implements Stmt {
    }

    record DropTable(TableRef table, boolean ifExists) implements Stmt {
    }

    record ShowTables(String namespace) implements Stmt {
    }

    record DescribeTable(TableRef table) implements Stmt {
    }

    record CreateUser(String userId, String password, String authType, Role role, String email)
            implements Stmt {
    }

    /**
     * ALTER USER: one of a new password, role or email, or a lock change.
     *
     * @param lock TRUE for {@code LOCK} (until {@code UNLOCK}), FALSE for {@code UNLOCK}, null for neither
     */
    record AlterUser(String userId, String password, Role role, String email, Boolean lock) implements Stmt {
    }

    record DropUser(String userId, boolean ifExists) implements Stmt {
    }

    record ExecuteAs(String userId, Stmt inner) implements Stmt {
    }

    /** SUBSCRIBE TO over HTTP: answers where and how to subscribe; the WebSocket opens the subscription. */
    record Subscribe(TableRef table, String selectSql, Map<String, Long> options) implements Stmt {
    }

    record KillLiveQuery(String liveId) implements Stmt {
    }

    /** CREATE TOPIC; retention values null = the defaults (7 days, 1 GiB per partition). */
    record CreateTopic(String topic, int partitions, Long retentionSeconds, Long retentionMaxBytes) implements Stmt {
    }

    record DropTopic(String topic, boolean ifExists) implements Stmt {
    }

    record ClearTopic(String topic) implements Stmt {
    }

    record AddTopicSource(String topic, TableRef table, io.kalamdb.engine.catalog.TopicDef.Op op, String where,
                          io.kalamdb.engine.catalog.TopicDef.PayloadMode payload) implements Stmt {
    }

    record DropTopicSource(String topic, TableRef table, io.kalamdb.engine.catalog.TopicDef.Op op) implements Stmt {
    }

    record Consume(String topic, String group, Integer partition, io.kalamdb.engine.topic.ConsumeRequest.Start start,
                   long startOffset, int limit) implements Stmt {
    }

    record Ack(String topic, String group, int partition, long offset) implements Stmt {
    }

    record Begin() implements Stmt {
    }

    record Commit() implements Stmt {
    }

    record Rollback() implements Stmt {
    }

    /** One ALTER TABLE operation. */
    sealed interface AlterOp {
        record AddColumn(ColumnDef column) implements AlterOp {
        }

        record DropColumn(String name) implements AlterOp {
        }

        record ModifyColumn(String name, io.kalamdb.engine.catalog.KalamType type, Boolean nullable)
                implements AlterOp {
        }

        record SetNullable(String name, boolean nullable) implements AlterOp {
        }

        record SetDefault(String name, io.kalamdb.engine.catalog.DefaultValue value) implements AlterOp {
        }

        record RenameColumn(String from, String to) implements AlterOp {
        }

        record SetAccessLevel(AccessLevel level) implements AlterOp {
        }
    }
}
