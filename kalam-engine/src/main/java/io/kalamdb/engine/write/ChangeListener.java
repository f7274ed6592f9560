package io.kalamdb.engine.write;

import java.util.List;

/** Receives committed changes in commit order, on the writer thread: implementations must not block. */
@FunctionalInterface
public interface ChangeListener {
    void onCommitted(List<ChangeEvent> events);
}
