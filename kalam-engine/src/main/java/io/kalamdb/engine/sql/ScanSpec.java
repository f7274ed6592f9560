package io.kalamdb.engine.sql;

import java.util.Objects;

/**
 * What one {@link KScan} asks storage for: an access path (the whole partition, one primary key, a primary-key
 * range, or one value of a secondary index) and an order (none, or primary key ascending or descending). Everything
 * else the statement says is evaluated by Calcite above the scan.
 *
 * @param access the access path
 * @param column the key column (table column index) of PK_EQ, PK_RANGE and INDEX_EQ, else -1
 * @param lo the lower bound (the value of PK_EQ and INDEX_EQ), or null
 * @param hi the upper bound (the value of PK_EQ), or null
 * @param order the order rows come in
 */
public record ScanSpec(Access access, int column, Bound lo, Bound hi, Order order) {

    /** How the scan reaches its rows. */
    public enum Access {
        FULL, PK_EQ, PK_RANGE, INDEX_EQ
    }

    /** The order of the rows a scan returns. */
    public enum Order {
        NONE, PK_ASC, PK_DESC
    }

    /**
     * A bound: a constant in Calcite's internal representation, or the dynamic parameter {@code ?index}.
     *
     * @param value the constant (null when a parameter)
     * @param parameter the parameter index, or -1 for a constant
     * @param inclusive whether the bound value itself is in the range
     */
    public record Bound(Object value, int parameter, boolean inclusive) {
        /** The value at run time: the constant, or the parameter's value from the execution context. */
        Object resolve(org.apache.calcite.DataContext root) {
            return parameter < 0 ? value : root.get("?" + parameter);
        }

        @Override
        public String toString() {
            return parameter < 0 ? String.valueOf(value) : "?" + parameter;
        }
    }

    /** The whole partition, unordered. */
    public static ScanSpec full() {
        return new ScanSpec(Access.FULL, -1, null, null, Order.NONE);
    }

    public ScanSpec withOrder(Order newOrder) {
        return new ScanSpec(access, column, lo, hi, Objects.requireNonNull(newOrder, "newOrder is null"));
    }
}
