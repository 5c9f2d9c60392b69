package dev.norns.whatsapp.server.errors;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Every error body: what is wrong, and the request field it is about (null when none). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String field) {}
