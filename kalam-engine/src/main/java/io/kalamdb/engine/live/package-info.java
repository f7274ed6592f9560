/**
 * Live queries: subscriptions planned from SQL, indexed by table and partition, their initial data read from a
 * snapshot taken atomically with its boundary, and committed changes matched and delivered in commit order.
 */
package io.kalamdb.engine.live;
