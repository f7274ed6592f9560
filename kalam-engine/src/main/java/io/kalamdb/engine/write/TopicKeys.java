package io.kalamdb.engine.write;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Keys of topic messages ({@code topic | partition | offset}) and committed offsets ({@code topic | group 0x00 partition}). */
public final class TopicKeys {
    private TopicKeys() {
    }

    public static byte[] topicPrefix(long topicId) {
        return ByteBuffer.allocate(8).putLong(topicId).array();
    }

    public static byte[] partitionPrefix(long topicId, int partition) {
        return ByteBuffer.allocate(12).putLong(topicId).putInt(partition).array();
    }

    public static byte[] message(long topicId, int partition, long offset) {
        return ByteBuffer.allocate(20).putLong(topicId).putInt(partition).putLong(offset).array();
    }

    public static long offsetOf(byte[] messageKey) {
        return ByteBuffer.wrap(messageKey, 12, 8).getLong();
    }

    public static byte[] committed(long topicId, String group, int partition) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + g.length + 1 + 4).putLong(topicId).put(g).put((byte) 0).putInt(partition)
                .array();
    }

    /** Group name and partition of a committed-offset key. */
    public static Object[] parseCommitted(byte[] key) {
        int end = 8;
        while (key[end] != 0) {
            end++;
        }
        String group = new String(key, 8, end - 8, StandardCharsets.UTF_8);
        int partition = ByteBuffer.wrap(key, end + 1, 4).getInt();
        return new Object[] {group, partition};
    }

    /**
     * The META key recording a partition's end offset when its messages are trimmed, so that offsets keep
     * growing after a restart even when retention or CLEAR TOPIC emptied the partition.
     */
    public static byte[] endMarkKey(long topicId, int partition) {
        return ("state/topic_end/" + topicId + "/" + partition).getBytes(StandardCharsets.UTF_8);
    }
}
