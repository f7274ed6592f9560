/**
 * Background upkeep: STREAM TTL eviction and topic retention.
 */
package io.kalamdb.engine.jobs;
