package io.kalamdb.engine.write;

import io.kalamdb.engine.hot.HotStore;

import java.util.Set;

/**
 * Where the applier hands each row change so that the messages it produces (topic routes) are written in the same
 * batch as the change. Implemented above the write path (the topic publisher), so the write path does not depend
 * on topics. Called on the applier's thread only.
 */
public interface ChangePublisher {
    /** Publishes nothing: for tools and tests that apply commands without topics. */
    ChangePublisher NONE = new ChangePublisher() {
        @Override
        public void publish(ChangeEvent change, HotStore.Batch batch, Set<Long> touchedTopics) {
        }

        @Override
        public void commit() {
        }

        @Override
        public void rollback() {
        }

        @Override
        public void forget(long topicId) {
        }

        @Override
        public long nextOffset(long topicId, int partition) {
            return 0;
        }
    };

    /** Adds the messages of one change to {@code batch}, and the ids of the topics that got any to the set. */
    void publish(ChangeEvent change, HotStore.Batch batch, Set<Long> touchedTopics);

    /** Keeps the offsets reserved since the last commit or rollback: their batch was written. */
    void commit();

    /** Forgets the offsets reserved since the last commit or rollback: their command failed. */
    void rollback();

    /** Forgets a dropped topic. */
    void forget(long topicId);

    /** The offset the next message of a topic partition gets. */
    long nextOffset(long topicId, int partition);
}
