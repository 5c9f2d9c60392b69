package dev.norns.whatsapp.server.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norns.whatsapp.server.config.TemporalFactory;
import io.grpc.Metadata;
import io.grpc.Status;
import io.temporal.serviceclient.GrpcMetadataProvider;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The connection settings become the right gRPC options. The PEM files under test resources/tls are a throw-away
 * self-signed CA and a client certificate it signed (EC P-256, key in PKCS#8), made with openssl for these tests.
 */
class TemporalConnectionTest {
  private static final String TARGET = "norns.example.tmprl.cloud:7233";
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static TemporalFactory config(Object... keyValues) {
    Map<String, Object> values = new HashMap<>();
    values.put("address", TARGET);
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put((String) keyValues[i], keyValues[i + 1]);
    }
    return new ObjectMapper().convertValue(values, TemporalFactory.class);
  }

  private static String pem(String name) {
    try {
      return Path.of(Objects.requireNonNull(TemporalConnectionTest.class.getResource("/tls/" + name)).toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String authorization(WorkflowServiceStubsOptions options) {
    if (options.getGrpcMetadataProviders() == null) {
      return null;
    }
    return options.getGrpcMetadataProviders().stream().map(GrpcMetadataProvider::getMetadata)
        .map(metadata -> metadata.get(AUTHORIZATION)).filter(Objects::nonNull).findFirst().orElse(null);
  }

  private static TemporalFactory profileConfig(Path file, String profile, Object... keyValues) {
    Map<String, Object> values = new HashMap<>();
    values.put("configFile", file.toString());
    values.put("profile", profile);
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put((String) keyValues[i], keyValues[i + 1]);
    }
    return new ObjectMapper().convertValue(values, TemporalFactory.class);
  }

  @Test
  void givenTemporalsTomlProfile_itFillsWhatTheEnvironmentLeavesUnset_andTheEnvironmentWins(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path toml = dir.resolve("temporal.toml");
    java.nio.file.Files.writeString(toml, """
        [profile.default]
        address = "localhost:7233"

        [profile.staging]
        address = "staging.example.org:7233"
        namespace = "reminders-staging"
        api_key = "staging-key"

        [profile.staging.tls]
        server_name = "temporal.internal"
        server_ca_cert_path = "%s"
        """.formatted(pem("ca.pem")));

    TemporalFactory staging = profileConfig(toml, "staging");
    assertThat(staging.profileProblem()).isNull();
    assertThat(staging.embedded()).isFalse();
    assertThat(staging.getAddress()).isEqualTo("staging.example.org:7233");
    assertThat(staging.getNamespace()).isEqualTo("reminders-staging");
    assertThat(staging.getApiKey()).isEqualTo("staging-key");
    assertThat(staging.getTlsServerName()).isEqualTo("temporal.internal");
    assertThat(staging.tlsEnabled()).isTrue();
    WorkflowServiceStubsOptions options = TemporalConnection.options(staging, staging.getAddress());
    assertThat(options.getSslContext()).isNotNull();
    assertThat(authorization(options)).isEqualTo("Bearer staging-key");

    // TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE set: they win over the file, as in Temporal's own clients.
    TemporalFactory overridden = profileConfig(toml, "staging", "address", TARGET, "namespace", "mine");
    assertThat(overridden.getAddress()).isEqualTo(TARGET);
    assertThat(overridden.getNamespace()).isEqualTo("mine");
    assertThat(overridden.getApiKey()).isEqualTo("staging-key");

    assertThat(profileConfig(toml, "").getAddress()).isEqualTo("localhost:7233");
    assertThat(profileConfig(toml, "").getNamespace()).isEqualTo("default");
  }

  @Test
  void givenAProfileThatCannotBeUsed_theProblemNamesTheFileAndProfile(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    assertThat(profileConfig(dir.resolve("missing.toml"), "").profileProblem())
        .contains("TEMPORAL_CONFIG_FILE").contains("missing.toml");
    Path toml = dir.resolve("temporal.toml");
    java.nio.file.Files.writeString(toml, "[profile.default]\naddress = \"localhost:7233\"\n");
    assertThat(profileConfig(toml, "nope").profileProblem()).contains("nope");
    java.nio.file.Files.writeString(toml, "[profile.default\naddress = ");
    assertThat(profileConfig(toml, "").profileProblem()).contains("cannot be read");
    // Neither variable set: nothing is read, the embedded default stays.
    assertThat(new ObjectMapper().convertValue(Map.of(), TemporalFactory.class).embedded()).isTrue();
  }

  @Test
  void givenNoTlsOrKey_itIsPlainGrpcWithoutCredentials() {
    WorkflowServiceStubsOptions options = TemporalConnection.options(config(), TARGET);
    assertThat(options.getTarget()).isEqualTo(TARGET);
    assertThat(options.getSslContext()).isNull();
    assertThat(authorization(options)).isNull();
  }

  @Test
  void givenCaCertAndKey_itUsesMutualTls_andTheServerNameOverride() {
    WorkflowServiceStubsOptions options = TemporalConnection.options(config("tlsCa", pem("ca.pem"),
        "tlsCert", pem("client.pem"), "tlsKey", pem("client-key.pem"), "tlsServerName", "temporal.internal"), TARGET);
    assertThat(options.getSslContext()).isNotNull();
    assertThat(options.getSslContext().isClient()).isTrue();
    assertThat(options.getChannelInitializer()).isNotNull();
  }

  @Test
  void givenApiKeyWithTls_itSendsItAsBearerToken() {
    WorkflowServiceStubsOptions options = TemporalConnection.options(config("tls", true, "apiKey", " secret-key "),
        TARGET);
    assertThat(options.getSslContext()).isNotNull();
    assertThat(authorization(options)).isEqualTo("Bearer secret-key");
  }

  @Test
  void givenApiKeyWithTlsTurnedOff_itIsAConfigurationError() {
    assertThatThrownBy(() -> TemporalConnection.options(config("apiKey", "secret-key", "tls", "false"), TARGET))
        .isInstanceOf(TemporalStartupException.class).hasMessageContaining("TEMPORAL_API_KEY needs TLS");
  }

  @Test
  void givenApiKeyWithTlsUnset_tlsIsImplied_asTemporalsOwnClientsDo() {
    assertThat(config("apiKey", "secret-key").tlsEnabled()).isTrue();
    assertThat(config("tls", "").tlsEnabled()).isFalse();
    assertThat(TemporalConnection.options(config("apiKey", "secret-key"), TARGET).getSslContext()).isNotNull();
    assertThatThrownBy(() -> TemporalConnection.options(config("tls", "sometimes"), TARGET))
        .hasMessageContaining("TEMPORAL_TLS must be true or false");
  }

  @Test
  void givenCertificateWithoutKey_orMissingFile_orTlsOnEmbedded_itSaysWhichSetting() {
    assertThatThrownBy(() -> TemporalConnection.options(config("tlsCert", pem("client.pem")), TARGET))
        .hasMessageContaining("only TEMPORAL_TLS_CERT is set");
    assertThatThrownBy(() -> TemporalConnection.options(config("tlsCa", "/nowhere/ca.pem"), TARGET))
        .hasMessageContaining("TEMPORAL_TLS_CA=/nowhere/ca.pem");
    assertThatThrownBy(() -> TemporalConnection.options(config("address", "", "tls", true), "127.0.0.1:7233"))
        .hasMessageContaining("TEMPORAL_ADDRESS is not");
  }

  @Test
  void givenNothingListening_itFailsWithOneLineNamingAddressAndNamespace() {
    String target = "127.0.0.1:" + dev.norns.whatsapp.server.app.RunningApp.freePort();
    assertThatThrownBy(() -> TemporalConnection.connect(config("address", target, "namespace", "norns-prod"), target))
        .isInstanceOf(TemporalStartupException.class)
        .hasMessageStartingWith("Temporal at " + target + " (namespace norns-prod) unreachable")
        .hasMessageContaining("check TEMPORAL_ADDRESS")
        .satisfies(e -> assertThat(e.getStackTrace()).isEmpty())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void givenMissingNamespaceOrRefusedCredentials_itSaysWhatToDo() {
    assertThat(TemporalConnection.namespaceProblem(TARGET, "nope",
        Status.NOT_FOUND.withDescription("Namespace nope is not found.").asRuntimeException()))
        .hasMessage("Temporal at " + TARGET + " namespace nope: the namespace does not exist: create it (temporal "
            + "operator namespace create nope) or set TEMPORAL_NAMESPACE [NOT_FOUND: Namespace nope is not found.]");
    assertThat(TemporalConnection.namespaceProblem(TARGET, "prod", Status.UNAUTHENTICATED.asRuntimeException()))
        .hasMessageContaining("check TEMPORAL_API_KEY");
  }
}
