/**
 * The catalog: namespaces, tables, columns, types and access levels, held in memory and persisted through the write log.
 */
package io.kalamdb.engine.catalog;
