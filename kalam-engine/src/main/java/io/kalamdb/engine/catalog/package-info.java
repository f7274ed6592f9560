/**
 * The catalog: namespaces, tables, topics, columns, types (and value coercion to them) and access levels, held in
 * memory and persisted through the write log.
 */
package io.kalamdb.engine.catalog;
