package dev.norns.whatsapp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code check} refuses what {@code server} would refuse, one clear line each, and a non-zero exit. */
class ConfigCheckCommandTest {
  @TempDir
  Path tmp;

  @Test
  void givenTheDefaults_checkSaysTheConfigurationIsOk() {
    CliHarness.Result result = CliHarness.run("check", CliHarness.config(tmp, Map.of()).toString());
    assertThat(result.succeeded()).as(result.err()).isTrue();
  }

  @Test
  void givenNoConfigFile_checkRunsOnTheConfigBundledInTheJar() {
    String[] args = dev.norns.whatsapp.server.config.BundledConfig.orBundled("check");
    assertThat(args).containsExactly("check", "bundled:config.yml");
    assertThat(dev.norns.whatsapp.server.config.BundledConfig.orBundled("server", "my.yml"))
        .containsExactly("server", "my.yml");
    CliHarness.Result result = CliHarness.run(args);
    assertThat(result.succeeded()).as(result.err()).isTrue();
  }

  @Test
  void givenATemporalApiKeyWithTlsUnset_tlsIsImplied_asTemporalsClientsDo_andCheckPasses() {
    CliHarness.Result result = CliHarness.run("check", CliHarness.config(tmp, Map.of(
        "${TEMPORAL_ADDRESS:-}", "example.tmprl.cloud:7233", "${TEMPORAL_API_KEY:-}", "secret-key")).toString());
    assertThat(result.succeeded()).as(result.err()).isTrue();
  }

  @Test
  void givenALatencyForTheSandboxBesideRealTwilio_checkRefusesIt_namingTheSetting() {
    CliHarness.Result result = CliHarness.run("check", CliHarness.config(tmp, Map.of(
        "${TWILIO_ACCOUNT_SID:-}", "AC0123456789abcdef0123456789abcdef",
        "${TWILIO_AUTH_TOKEN:-}", "0123456789abcdef0123456789abcdef",
        "${TWILIO_WHATSAPP_FROM:-}", "whatsapp:+14155238886",
        "${SANDBOX_LATENCY:-0s}", "200ms")).toString());
    assertThat(result.succeeded()).as(result.out()).isFalse();
    assertThat(result.err()).contains("configuration refused: ").contains("SANDBOX_LATENCY")
        .doesNotContain("\tat ");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      roles                    | ${NORNS_ROLES:-api,worker}         | cook                                  | NORNS_ROLES
      half the Twilio triple   | ${TWILIO_ACCOUNT_SID:-}             | AC0123456789abcdef0123456789abcdef    | TWILIO_AUTH_TOKEN
      short API key            | ${NORNS_API_KEY:-}                  | short                                 | shorter than 16
      API key list             | ${NORNS_API_KEYS:-}                 | ops:admin:0123456789abcdef0123        | role must be read or
      Temporal API key, TLS off | ${TEMPORAL_API_KEY:-}              | secret-key                            | TEMPORAL_API_KEY
      TLS file missing         | ${TEMPORAL_TLS_SERVER_CA_CERT_PATH:-} | /nonexistent/ca.pem                 | TEMPORAL_TLS
      TEMPORAL_TLS not a bool  | ${TEMPORAL_TLS:-}                   | maybe                                 | TEMPORAL_TLS
      UI port                  | ${TEMPORAL_UI_PORT:-8233}           | 99999                                 | TEMPORAL_UI_PORT
      agent URL                | ${AGENT_FORWARD_URL:-}              | ftp://agent.example.org               | AGENT_FORWARD_URL
      public base URL          | ${PUBLIC_BASE_URL:-}                | not a url                             | PUBLIC_BASE_URL
      region without Twilio    | ${TWILIO_REGION:-}                  | ie1                                   | TWILIO_REGION
      sandbox slower than timeout | ${SANDBOX_LATENCY:-0s}           | 15s                                   | SANDBOX_LATENCY
      bad Messaging Service    | ${TWILIO_MESSAGING_SERVICE_SID:-}   | MG123                                 | TWILIO_
      Temporal profile file    | ${TEMPORAL_CONFIG_FILE:-}           | /nonexistent/temporal.toml            | TEMPORAL_CONFIG_FILE
      Redis URL scheme         | ${REDIS_URL:-redis://127.0.0.1:6379} | http://127.0.0.1:6379                | REDIS_URL
      Redis database           | ${REDIS_URL:-redis://127.0.0.1:6379} | redis://127.0.0.1:6379/cache         | REDIS_URL
      """)
  void givenWhatServerWouldRefuse_checkFailsWithOneLineSayingWhat(String what, String setting, String value,
      String named) {
    Map<String, String> replacements = new java.util.HashMap<>(Map.of(setting, value));
    if (setting.contains("TEMPORAL_TLS") || setting.contains("TEMPORAL_API_KEY")) {
      replacements.put("${TEMPORAL_ADDRESS:-}", "temporal.example.org:7233");
    }
    if (setting.contains("TEMPORAL_API_KEY")) {
      // An API key implies TLS unless TEMPORAL_TLS=false says otherwise: then the key would travel in clear.
      replacements.put("${TEMPORAL_TLS:-}", "false");
    }
    CliHarness.Result result = CliHarness.run("check", CliHarness.config(tmp, replacements).toString());

    assertThat(result.succeeded()).as(what + ": " + result.out()).isFalse();
    assertThat(result.err().lines().filter(line -> line.startsWith("configuration refused: ")))
        .as(result.err()).hasSize(1).allSatisfy(line -> assertThat(line).contains(named));
    assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
