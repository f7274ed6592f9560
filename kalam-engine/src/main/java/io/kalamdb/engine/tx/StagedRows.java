package io.kalamdb.engine.tx;

import io.kalamdb.engine.catalog.TableDef;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The row versions a transaction has staged, by partition and primary key (in key order, as the store orders them),
 * with the table of each partition so that staged rows can be decoded.
 */
final class StagedRows {
    private final Map<Partition, Entry> partitions = new HashMap<>();

    private record Entry(TableDef table, NavigableMap<byte[], byte[]> rows) {
    }

    /** A partition prefix with value equality. */
    private record Partition(byte[] prefix) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Partition p && Arrays.equals(prefix, p.prefix);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(prefix);
        }
    }

    void put(TableDef table, byte[] partition, byte[] pk, byte[] row) {
        partitions.computeIfAbsent(new Partition(partition),
                p -> new Entry(table, new TreeMap<>(Arrays::compareUnsigned))).rows().put(pk, row);
    }

    /** The staged version of the row, or null when the transaction has not touched it. */
    byte[] get(byte[] partition, byte[] pk) {
        Entry e = partitions.get(new Partition(partition));
        return e == null ? null : e.rows().get(pk);
    }

    /** The partition's staged rows by primary key (empty when none). */
    NavigableMap<byte[], byte[]> rows(byte[] partition) {
        Entry e = partitions.get(new Partition(partition));
        return e == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(e.rows());
    }

    /** The table of a partition that has staged rows. */
    TableDef table(byte[] partition) {
        return partitions.get(new Partition(partition)).table();
    }

    boolean isEmpty() {
        return partitions.isEmpty();
    }
}
