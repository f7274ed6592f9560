package io.kalamdb.engine.hot;

import io.kalamdb.engine.error.KalamException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The data directory's own record of whether it holds a database, and of what it held at its last clean shutdown.
 * "Is there a database here?" is decided before RocksDB is asked to open anything, so that an existing database
 * is never opened with create-if-missing (which would put a fresh, empty database over one whose {@code CURRENT}
 * file was lost, and then delete the old files as obsolete).
 *
 * <p>A hot store directory holding any file RocksDB writes for a database ({@code CURRENT}, {@code IDENTITY},
 * {@code MANIFEST-*}, {@code OPTIONS-*}, {@code *.sst}, {@code *.log}, {@code *.blob}) is an existing database.
 * So is a data directory carrying our marker file {@value #MARKER}, written once a hot store was created there:
 * if its hot store directory is then empty or gone, the database's files were lost and start-up must stop.
 * Only a data directory with neither is new.
 */
final class DataDirectory {
    /** Written in the data directory after its hot store opened once; never removed by the server. */
    static final String MARKER = "KALAMDB";
    private static final String MARKER_TEXT = "This directory holds a KalamDB database; its hot store is rocksdb/.\n";
    private static final String SEQUENCE_KEY = "clean_close_sequence=";

    private DataDirectory() {
    }

    /** Whether the hot store directory holds files of a RocksDB database (complete or not). */
    static boolean holdsDatabaseFiles(Path rocksDir) {
        if (!Files.isDirectory(rocksDir)) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(rocksDir)) {
            for (Path entry : entries) {
                if (isDatabaseFile(entry.getFileName().toString())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw KalamException.internal("cannot list the hot store directory [path=" + rocksDir + "]: "
                    + e.getMessage(), e);
        }
    }

    static boolean isDatabaseFile(String name) {
        return name.equals("CURRENT") || name.equals("IDENTITY") || name.startsWith("MANIFEST-")
                || name.startsWith("OPTIONS-") || name.endsWith(".sst") || name.endsWith(".log")
                || name.endsWith(".blob");
    }

    static boolean hasMarker(Path dataDir) {
        return Files.exists(dataDir.resolve(MARKER));
    }

    /** Writes the marker unless it is there already. */
    static void writeMarker(Path dataDir) {
        if (!hasMarker(dataDir)) {
            writeMarker(dataDir, -1);
        }
    }

    /**
     * The RocksDB sequence number recorded at the last clean shutdown, or -1 if none was. RocksDB's sequence only
     * grows, so a database that recovers to a smaller one has lost entries (a truncated MANIFEST makes RocksDB
     * recover an older version and delete the newer table files as obsolete, without an error).
     */
    static long cleanCloseSequence(Path dataDir) {
        Path marker = dataDir.resolve(MARKER);
        if (!Files.exists(marker)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(marker, StandardCharsets.UTF_8)) {
                if (line.startsWith(SEQUENCE_KEY)) {
                    return Long.parseLong(line.substring(SEQUENCE_KEY.length()).trim());
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            throw KalamException.internal("cannot read the data directory marker [path=" + marker + "]: "
                    + e.getMessage(), e);
        }
    }

    /** Records the sequence number of a clean shutdown (after the memtables were flushed and the WAL synced). */
    static void recordCleanClose(Path dataDir, long sequence) {
        writeMarker(dataDir, sequence);
    }

    /** Replaces the marker atomically: a temp file, fsync, rename, fsync of the directory. */
    private static void writeMarker(Path dataDir, long sequence) {
        Path marker = dataDir.resolve(MARKER);
        Path temp = dataDir.resolve(MARKER + ".tmp");
        String text = MARKER_TEXT + (sequence >= 0 ? SEQUENCE_KEY + sequence + "\n" : "");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.move(temp, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(dataDir, StandardOpenOption.READ)) {
                directory.force(true);
            } catch (IOException ignored) {
                // not every file system lets a directory be opened for sync; the rename is still atomic
            }
        } catch (IOException e) {
            throw KalamException.internal("cannot write the data directory marker [path=" + marker + "]: "
                    + e.getMessage(), e);
        }
    }
}
