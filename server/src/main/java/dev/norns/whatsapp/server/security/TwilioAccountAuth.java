package dev.norns.whatsapp.server.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the sandbox's imitation of Twilio's own REST API: it authenticates the caller as Twilio does, with the
 * account SID and auth token as HTTP basic auth, inside the resource. {@link AccessFeature} leaves it to that check.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TwilioAccountAuth {}
