package io.kalamdb.engine.hot;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * A read-only look at an existing hot store before it is opened for writing. RocksDB opened read-only writes,
 * renames and deletes nothing, whereas a writable open that succeeds on a damaged directory deletes the table
 * files its (damaged) MANIFEST does not name. So the probe is where a damaged directory is refused: when RocksDB
 * cannot read it, or when it recovers to a sequence number below the one recorded at the last clean shutdown
 * (entries were lost: a truncated MANIFEST or a lost write-ahead log file).
 */
final class ExistingStoreProbe {

    private ExistingStoreProbe() {
    }

    /**
     * Checks the store under {@code rocksDir}; returns normally when it may be opened for writing.
     *
     * @param cleanCloseSequence the sequence number at the last clean shutdown, or -1 if unknown
     * @param marker the data directory's marker file, which recorded it
     * @throws KalamException naming the path and RocksDB's status when it may not
     */
    static void check(Path rocksDir, long cleanCloseSequence, Path marker) {
        List<ColumnFamilyDescriptor> families = new ArrayList<>();
        RocksLog rocksLog = new RocksLog();
        try (Options listOptions = new Options().setLogger(rocksLog);
             ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
             DBOptions options = new DBOptions().setParanoidChecks(true)
                     .setWalRecoveryMode(RocksHotStore.WAL_RECOVERY).setLogger(rocksLog)) {
            for (byte[] name : RocksDB.listColumnFamilies(listOptions, rocksDir.toString())) {
                families.add(new ColumnFamilyDescriptor(name, cfOptions));
            }
            if (families.isEmpty()) {
                // nothing readable (no CURRENT, say): the open below then fails with RocksDB's own status
                families.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            long sequence;
            try (RocksDB db = RocksDB.openReadOnly(options, rocksDir.toString(), families, handles)) {
                sequence = db.getLatestSequenceNumber();
                handles.forEach(ColumnFamilyHandle::close);
            }
            if (sequence < cleanCloseSequence) {
                throw new KalamException(KalamErrorCode.STORAGE_CORRUPTION, "refusing to open the existing "
                        + "database: it recovers to less than it held at its last clean shutdown [path=" + rocksDir
                        + ", sequence=" + sequence + ", sequence_at_last_clean_shutdown=" + cleanCloseSequence
                        + "]; its MANIFEST or a write-ahead log file lost entries (if an older backup was restored on "
                        + "purpose, delete the marker " + marker + "). " + RocksHotStore.LEFT_UNTOUCHED);
            }
        } catch (RocksDBException e) {
            throw RocksHotStore.refusal(rocksDir, e);
        } finally {
            rocksLog.failed();
            rocksLog.close();
        }
    }
}
