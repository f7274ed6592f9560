package io.kalamdb.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the few places of the server allowed to call an API that the forbidden-apis check refuses elsewhere
 * (the server's own copy of the engine's marker, so that the server needs nothing from the engine's internals);
 * each use says why in a comment or its Javadoc.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
@interface SuppressForbidden {
}
