/**
 * Explicit transactions: the row changes a {@code BEGIN … COMMIT} block stages, the read layer that shows them to
 * the block's own statements over a snapshot of the store, and the one command its COMMIT submits.
 */
package io.kalamdb.engine.tx;
