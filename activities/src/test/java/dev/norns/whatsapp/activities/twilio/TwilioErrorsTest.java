package dev.norns.whatsapp.activities.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.twilio.TwilioErrors.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TwilioErrorsTest {

  @ParameterizedTest(name = "code {0}, HTTP {1} -> {2}")
  @CsvSource(nullValues = "null", value = {
      "63016, 400, OUTSIDE_WINDOW",
      "63016, 0,   OUTSIDE_WINDOW",
      "63003, 0,   PERMANENT",
      "63024, 0,   PERMANENT",
      "21211, 400, PERMANENT",
      "21408, 400, PERMANENT",
      "21610, 400, PERMANENT",
      "63014, 0,   PERMANENT",
      "63049, 0,   PERMANENT",
      "63021, 400, PERMANENT",
      "21614, 400, PERMANENT",
      "21612, 400, PERMANENT",
      "20429, 429, TRANSIENT",
      "20429, 0,   TRANSIENT",
      "63018, 400, TRANSIENT",
      "63017, 0,   TRANSIENT",
      "null,  429, TRANSIENT",
      "null,  500, TRANSIENT",
      "null,  502, TRANSIENT",
      "null,  503, TRANSIENT",
      "20500, 500, TRANSIENT",
      "null,  400, PERMANENT",
      "20003, 401, PERMANENT",
      "20404, 404, PERMANENT",
      "99999, 400, PERMANENT",
      "99999, 503, TRANSIENT",
      "99999, 0,   PERMANENT",
      "null,  0,   PERMANENT"
  })
  void givenCodeAndStatus_whenClassified_itShouldGiveTheKind(Integer code, int httpStatus, Kind expected) {
    assertThat(TwilioErrors.classify(code, httpStatus)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "optedOut({0}) = {1}")
  @CsvSource(nullValues = "null", value = {"21610, true", "63016, false", "21211, false", "null, false"})
  void givenCode_whenAskedOptedOut_itShouldOnlyBeTrueForStop(Integer code, boolean expected) {
    assertThat(TwilioErrors.optedOut(code)).isEqualTo(expected);
  }
}
