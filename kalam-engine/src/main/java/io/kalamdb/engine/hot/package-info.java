/**
 * The hot store: the {@code HotStore} interface, its RocksDB implementation, key and row codecs.
 */
package io.kalamdb.engine.hot;
