package dev.norns.whatsapp.server.health;

import com.codahale.metrics.health.HealthCheck;

/** Credentials present (real Twilio) or the built-in sandbox. */
public final class TwilioHealthCheck extends HealthCheck {
  private final boolean sandbox;
  private final String accountSid;

  public TwilioHealthCheck(boolean sandbox, String accountSid) {
    this.sandbox = sandbox;
    this.accountSid = accountSid;
  }

  @Override
  protected Result check() {
    if (sandbox) {
      return Result.healthy("sandbox mode: messages go to the built-in Twilio sandbox (GET /sandbox/messages)");
    }
    return Result.healthy("credentials set for account %s…", accountSid.substring(0, Math.min(8, accountSid.length())));
  }
}
