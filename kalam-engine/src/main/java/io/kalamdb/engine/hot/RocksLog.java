package io.kalamdb.engine.hot;

import org.rocksdb.InfoLogLevel;
import org.rocksdb.Logger;
import org.slf4j.LoggerFactory;

/**
 * RocksDB's info log sent to slf4j (logger {@code org.rocksdb}) instead of a {@code LOG} file in the database
 * directory. RocksDB opens its file log before it reads anything, renaming the previous {@code LOG} on the way,
 * so with a file log even a refused open would change the directory; with this one, a damaged directory that
 * start-up refuses is left exactly as it was found.
 *
 * <p>Warnings and errors are logged as such; informational lines (flushes, compactions, the options header) go
 * at debug level, and RocksDB only emits them when that level is enabled. Until {@link #opened(boolean)}, warnings are
 * held back: if the open fails, its one error message says it all (start-up prints one line), and the held lines
 * go to the debug level only.
 */
final class RocksLog extends Logger {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("org.rocksdb");

    private final java.util.List<String> heldBack = new java.util.ArrayList<>();
    private boolean isOpen;

    RocksLog() {
        super(LOG.isDebugEnabled() ? InfoLogLevel.INFO_LEVEL : InfoLogLevel.WARN_LEVEL);
    }

    /**
     * The database opened: the warnings held back during the open are logged now, later ones at once. When the
     * open created a new database they go to the debug level: they are RocksDB looking for the files of a database
     * that did not exist yet ("Error when reading … dir NotFound"), which told a new user of nothing wrong.
     */
    synchronized void opened(boolean created) {
        isOpen = true;
        for (String message : heldBack) {
            if (created) {
                LOG.debug("{}", message);
            } else {
                LOG.warn("{}", message);
            }
        }
        heldBack.clear();
    }

    /** The open failed: the held-back lines go to the debug level. */
    synchronized void failed() {
        for (String message : heldBack) {
            LOG.debug("{}", message);
        }
        heldBack.clear();
    }

    @Override
    protected void log(InfoLogLevel level, String message) {
        if (level != InfoLogLevel.DEBUG_LEVEL && level != InfoLogLevel.INFO_LEVEL && level != InfoLogLevel.HEADER_LEVEL
                && holdBack(message)) {
            return;
        }
        switch (level) {
            case WARN_LEVEL -> LOG.warn("{}", message);
            case ERROR_LEVEL, FATAL_LEVEL -> LOG.error("{}", message);
            case DEBUG_LEVEL, INFO_LEVEL, HEADER_LEVEL, NUM_INFO_LOG_LEVELS -> LOG.debug("{}", message);
        }
    }

    private synchronized boolean holdBack(String message) {
        if (isOpen) {
            return false;
        }
        heldBack.add(message);
        return true;
    }
}
