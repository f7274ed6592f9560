package io.kalamdb.engine.hot;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.nio.ByteBuffer;

/**
 * What the primary-key space ({@link Space#PK_INDEX}) knows of one key: the {@code _seq} of its latest version and
 * whether that version is a soft delete (which frees the key for a new INSERT).
 *
 * <p>The value is frozen (ADR 0018): 8 bytes of {@code _seq}, big-endian, then one state byte, {@code 0x00} for a
 * live row and {@code 0x01} for a soft-deleted one. A hard delete removes the entry.
 */
public record PkEntry(long seq, boolean deleted) {
    private static final byte LIVE = 0x00;
    private static final byte SOFT_DELETED = 0x01;

    /** The entry describing a stored row ({@link RowCodec} encoding). */
    public static PkEntry ofRow(byte[] storedRow) {
        return new PkEntry(RowCodec.seqOf(storedRow), RowCodec.isDeleted(storedRow));
    }

    /** Whether a live row holds the key, so that an INSERT of it must fail. */
    public boolean isTaken() {
        return !deleted;
    }

    public byte[] encode() {
        return ByteBuffer.allocate(9).putLong(seq).put(deleted ? SOFT_DELETED : LIVE).array();
    }

    /** The entry stored as {@code value}, or null for null (no entry). */
    public static PkEntry decode(byte[] value) {
        if (value == null) {
            return null;
        }
        if (value.length != 9 || (value[8] != LIVE && value[8] != SOFT_DELETED)) {
            throw new KalamException(KalamErrorCode.STORAGE_CORRUPTION, "malformed primary-key entry [length="
                    + value.length + "]");
        }
        return new PkEntry(ByteBuffer.wrap(value).getLong(), value[8] == SOFT_DELETED);
    }
}
