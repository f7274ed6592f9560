/**
 * Live queries: subscriptions indexed by table and partition, snapshot boundaries, change matching.
 */
package io.kalamdb.engine.live;
