/**
 * The write path: commands, the write log, the applier, committed change events, and the key layouts of the
 * catalog and topic spaces the applier writes (with consumer-group positions).
 */
package io.kalamdb.engine.write;
