/**
 * SQL: KalamDB's own statement parser, Calcite glue (tables, queries), DML planning, authorisation and execution.
 */
package io.kalamdb.engine.sql;
