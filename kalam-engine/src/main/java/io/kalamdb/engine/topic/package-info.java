/**
 * Topics: change data capture into partitioned logs, consumer groups, claims and offsets.
 */
package io.kalamdb.engine.topic;
