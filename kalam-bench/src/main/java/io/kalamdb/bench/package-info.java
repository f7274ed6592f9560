/**
 * The load generator of {@code make bench}: a wire client of a running KalamDB server (JDK only) that measures
 * write throughput, history reads and their latencies, and prints them against the anchors of BENCHMARKS.md.
 */
package io.kalamdb.bench;
