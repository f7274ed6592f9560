/**
 * The engine's own {@code UserService}: users read from the catalog and changed through the write log.
 */
package io.kalamdb.engine.auth.impl;
