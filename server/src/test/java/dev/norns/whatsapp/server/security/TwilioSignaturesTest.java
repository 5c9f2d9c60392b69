package dev.norns.whatsapp.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signature of a form whose names repeat, checked as Twilio's own libraries compute it. */
class TwilioSignaturesTest {
  private final TwilioSignatures twilio = new TwilioSignatures("12345");

  @Test
  void givenOneValuePerName_itMatchesTwilioJavasValidator_withOrWithoutTheDefaultPort() {
    Map<String, String> params = Map.of("From", "whatsapp:+14155550100", "Body", "hi");
    String signature = twilio.sign("https://example.org/whatsapp/webhook", params);
    assertThat(twilio.valid("https://example.org:443/whatsapp/webhook", params, signature)).isTrue();
    assertThat(twilio.validForm("https://example.org/whatsapp/webhook",
        Map.of("From", List.of("whatsapp:+14155550100"), "Body", List.of("hi")), signature)).isTrue();
  }

  @Test
  void givenARepeatedName_everyValueCounts_inSortedOrder_andTheDefaultPortIsTolerated() {
    Map<String, List<String>> form = Map.of("Body", List.of("hi"), "Tag", List.of("b", "a"));
    String signature = twilio.signForm("https://example.org/hook", form);
    // Values sorted: the order they came in does not change the signature.
    assertThat(signature).isEqualTo(twilio.signForm("https://example.org/hook",
        Map.of("Body", List.of("hi"), "Tag", List.of("a", "b"))));
    assertThat(twilio.validForm("https://example.org/hook", form, signature)).isTrue();
    assertThat(twilio.validForm("https://example.org:443/hook", form, signature)).isTrue();
    assertThat(twilio.validForm("https://example.org/hook", Map.of("Body", List.of("hi"), "Tag", List.of("a", "c")),
        signature)).isFalse();
    assertThat(twilio.validForm("https://example.org/hook", form, null)).isFalse();
    assertThat(new TwilioSignatures("other").validForm("https://example.org/hook", form, signature)).isFalse();
  }
}
