/**
 * The load generator of {@code make bench}: a wire client of a running KalamDB server (JDK only) that measures
 * write throughput, history reads, topics (produce, group drain, insert → consumed) and live queries over
 * WebSocket (notification latency, fan-out, idle connections), with their peers (a Redis Streams drain, a trivial
 * WebSocket broadcast), and prints them against the anchors of BENCHMARKS.md.
 */
package io.kalamdb.bench;
