package io.kalamdb.engine.sql;

/**
 * What SQL statements do to live queries ({@code KILL LIVE QUERY}). The live layer supplies it, so SQL does not
 * depend on it.
 */
@FunctionalInterface
public interface LiveQueryControl {
    /** Ends the live query with this id; false when there is none. */
    boolean kill(String liveId);
}
