package dev.norns.whatsapp.workflows.model;

/** One Twilio status callback, as signalled to the reminder workflow. */
public record DeliveryUpdate(String messageSid, DeliveryStatus status, String errorCode, String errorMessage) {}
