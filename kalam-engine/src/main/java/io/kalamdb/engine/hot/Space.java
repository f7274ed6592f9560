package io.kalamdb.engine.hot;

/** The key spaces of the hot store (one RocksDB column family each). */
public enum Space {
    /** Catalog, users and engine state. */
    META("meta"),
    /** Latest version of each row, keyed table | partition | primary key. */
    ROWS("rows"),
    /** Row keys by {@code _seq}, keyed table | partition | seq: ordered history for last_rows and resume. */
    SEQ_INDEX("seq_index"),
    /** Secondary indexes of live rows, keyed table | partition | column | value | primary key. */
    INDEX("secondary_index"),
    /** Topic messages, keyed topic | partition | offset. */
    TOPIC_MESSAGES("topic_messages"),
    /** Committed consumer-group offsets, keyed topic | group | partition. */
    TOPIC_OFFSETS("topic_offsets"),
    /**
     * Primary-key uniqueness, keyed like {@link #ROWS} (table | partition | primary key), value {@link PkEntry}: the
     * {@code _seq} of the key's latest version and whether it is soft-deleted. Never flushed to a cold tier, so a key
     * stays taken after its row leaves the hot store.
     */
    PK_INDEX("pk_index");

    private final String familyName;

    Space(String familyName) {
        this.familyName = familyName;
    }

    public String familyName() {
        return familyName;
    }
}
