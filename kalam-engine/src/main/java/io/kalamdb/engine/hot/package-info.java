/**
 * The hot store: the {@code HotStore} interface, its RocksDB implementation, key and row codecs, the read layer
 * ({@code PartitionReader}) and the primary-key space ({@code PkIndex}).
 */
package io.kalamdb.engine.hot;
