package dev.norns.whatsapp.activities.phone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a log line keeps of a phone number in a URL or free text: the last four digits, never the number. */
class PhoneNumbersMaskTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      GET /api/whatsapp/session/+447911123456 HTTP/1.1                 | GET /api/whatsapp/session/***3456 HTTP/1.1
      GET /api/whatsapp/session/%2B447911123456 HTTP/1.1               | GET /api/whatsapp/session/***3456 HTTP/1.1
      GET /api/whatsapp/session/%2B44%207911%20123456 HTTP/1.1         | GET /api/whatsapp/session/***3456 HTTP/1.1
      GET /sandbox/messages?to=%2B14155550100&limit=5                  | GET /sandbox/messages?to=***0100&limit=5
      GET /api/users?phone=+1-415-555-0100                             | GET /api/users?phone=***0100
      GET /api/users?phone=(415)%20555-0100                            | GET /api/users?phone=***0100
      to=whatsapp:+14155550100                                         | to=whatsapp:***0100
      GET /2010-04-01/Accounts/AC1/Messages.json?To=whatsapp%3A%2B14155550100 | GET /2010-04-01/Accounts/AC1/Messages.json?To=whatsapp:***0100
      """)
  void givenAPhoneNumberInAUrl_itIsMasked(String line, String masked) {
    assertThat(PhoneNumbers.maskAll(line)).isEqualTo(masked);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      GET /api/reminders/12345678-1234-1234-1234-123456789012 HTTP/1.1
      [26/Nov/2026:10:33:52 +0000] "GET /api/users HTTP/1.1" 200 218
      GET /api/reminders?limit=100&status=READ
      POST /whatsapp/status?reminder=SM0123456789abcdef0123456789abcdef
      POST /2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json HTTP/1.1
      GET /api/reminders?due_from=2026-11-27&due_to=2026-11-28
      """)
  void givenIdsTimestampsAndSizes_theyStayReadable(String line) {
    assertThat(PhoneNumbers.maskAll(line)).isEqualTo(line);
  }
}
