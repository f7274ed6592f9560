package io.kalamdb.server.bus;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.api.ScanCursor;

/**
 * The reply to a scan request: the open cursor, by reference (a codec is found by the concrete class of a body,
 * and the cursor's class is the engine's own).
 */
public record ScanOpened(ScanCursor cursor) {

    public ScanOpened {
        requireNonNull(cursor, "cursor is null");
    }
}
