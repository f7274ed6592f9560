/**
 * The one exception type of KalamDB and its stable error codes.
 */
package io.kalamdb.engine.error;
