package dev.norns.whatsapp.server.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class that needs no credentials, on purpose and by name: {@link AccessFeature} gives its methods no
 * check. Only for what serves no data (the API docs page and its static files); everything else stays denied by
 * default.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PublicResource {}
