package dev.norns.whatsapp.server.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.norns.whatsapp.server.api.QuietHoursSetting;
import dev.norns.whatsapp.server.api.ReminderRequest;
import dev.norns.whatsapp.server.api.UserRequest;
import dev.norns.whatsapp.server.errors.ApiException;
import org.junit.jupiter.api.Test;

/** The request records' constraints as a caller of the API or the CLI meets them. */
class RequestValidationTest {
  private static final String USER = "6f1c2a4e-0b7d-4c3e-9a55-1d2e3f405162";

  private static ApiException refused(Object request) {
    return catchThrowableOfType(() -> RequestValidation.check(request), ApiException.class);
  }

  @Test
  void givenAValidRequest_itPasses() {
    ReminderRequest request = new ReminderRequest(USER, null, null, "Stand-up in 5", "2030-01-01T09:00:00+01:00",
        new ReminderRequest.Nudge("PT30M", 3), null, "IGNORE");
    assertThatCode(() -> RequestValidation.check(request)).doesNotThrowAnyException();
  }

  @Test
  void givenSeveralProblems_theFirstFieldInTheRequestsOrderIsNamedAndEveryProblemListed() {
    ApiException refusal = refused(new ReminderRequest("bob", null, null, " ", "tomorrow", null, null, "never"));
    assertThat(refusal.status()).isEqualTo(422);
    assertThat(refusal.field()).isEqualTo("user_id");
    assertThat(refusal.getMessage()).isEqualTo("'bob' is not a UUID; body is blank: leave it out to send the "
        + "template's text; 'tomorrow' is not an ISO-8601 date-time with an offset, e.g. 2026-11-24T17:00:00+01:00; "
        + "quiet_hours is \"respect\" (the default) or \"ignore\"");
  }

  @Test
  void givenANestedProblem_theFieldIsItsJsonPath() {
    ApiException refusal = refused(new ReminderRequest(USER, null, null, "hi", "2030-01-01T09:00:00Z",
        new ReminderRequest.Nudge("P8D", 3)));
    assertThat(refusal.field()).isEqualTo("nudge.every");
    assertThat(refusal.getMessage()).contains("between PT1M and P7D").contains("'P8D'");
    assertThat(refused(new UserRequest("Ada", null, null, null, new QuietHoursSetting(null, "25:00", "07:00")))
        .field()).isEqualTo("quiet_hours.start");
  }

  @Test
  void givenABodyOverWhatsappsLimit_itIsRefusedAtOneCharacterOver() {
    assertThatCode(() -> RequestValidation.check(new ReminderRequest(USER, null, null, "x".repeat(1600),
        "2030-01-01T09:00:00Z", null))).doesNotThrowAnyException();
    assertThat(refused(new ReminderRequest(USER, null, null, "x".repeat(1601), "2030-01-01T09:00:00Z", null))
        .getMessage()).isEqualTo("body is over WhatsApp's 1600 characters");
  }

  @Test
  void givenAUserWithBlankEmailAndZone_theyMeanNone() {
    assertThatCode(() -> RequestValidation.check(new UserRequest("Ada", "  ", "+14155550100", "", null)))
        .doesNotThrowAnyException();
    assertThat(refused(new UserRequest("  ", "ada@", null, "Mars/Base", null)).getMessage())
        .isEqualTo("display_name is required (at most 200 characters); 'ada@' is not an email address; "
            + "'Mars/Base' is not an IANA time zone (e.g. Europe/Oslo)");
  }
}
