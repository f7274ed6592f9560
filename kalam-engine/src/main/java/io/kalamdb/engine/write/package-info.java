/**
 * The write path: commands, the write log, the applier and committed change events.
 */
package io.kalamdb.engine.write;
