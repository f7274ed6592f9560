package io.kalamdb.engine.write;

import static java.util.Objects.requireNonNull;

/**
 * One entry of the write log: a command with the values its one sequencer fixed before it was applied — its
 * position ({@code index}), the first {@code _seq} of the block it consumes and the sequencer's clock
 * ({@code leaderTimeMicros}). The applier derives everything order-dependent from the entry and the state it
 * holds, never from a local clock or counter, so every replica that applies the same entries reaches the same
 * state (ADR 0009).
 */
public record LogEntry(long index, long firstSeq, long leaderTimeMicros, Command command) {

    public LogEntry {
        requireNonNull(command, "command is null");
        if (index <= 0) {
            throw new IllegalArgumentException("log index must be positive: " + index);
        }
    }
}
