package dev.norns.whatsapp.server.temporal;

import dev.norns.whatsapp.server.config.TemporalFactory;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.io.IOException;
import java.time.Duration;

/**
 * How this service reaches a Temporal server: the gRPC options (TLS, mutual TLS, Temporal Cloud API key) and a
 * connection check whose failures say, in one line, which address and namespace failed and what to check. The
 * service and the operator commands both connect through here, so they accept the same settings.
 */
public final class TemporalConnection {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private TemporalConnection() {}

  /** The stub options for {@code target}; throws {@link TemporalStartupException} on inconsistent settings. */
  public static WorkflowServiceStubsOptions options(TemporalFactory config, String target) {
    WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(target);
    boolean apiKey = config.getApiKey() != null && !config.getApiKey().isBlank();
    if (config.tlsProblem() != null) {
      throw new TemporalStartupException(config.tlsProblem());
    }
    if (config.embedded() && (config.tlsEnabled() || apiKey)) {
      throw new TemporalStartupException("TEMPORAL_TLS*/TEMPORAL_API_KEY are set but TEMPORAL_ADDRESS is not: the "
          + "embedded Temporal server speaks plain gRPC on loopback; set TEMPORAL_ADDRESS to the cluster");
    }
    if (apiKey && !config.tlsEnabled()) {
      throw new TemporalStartupException("TEMPORAL_API_KEY needs TLS (the key would travel in clear), and "
          + "TEMPORAL_TLS=false turns it off: leave TEMPORAL_TLS unset (an API key implies TLS) or set it true");
    }
    if (config.tlsEnabled()) {
      options.setSslContext(sslContext(config));
      if (config.getTlsServerName() != null && !config.getTlsServerName().isBlank()) {
        String serverName = config.getTlsServerName().strip();
        options.setChannelInitializer(channel -> channel.overrideAuthority(serverName));
      }
    }
    if (apiKey) {
      String key = config.getApiKey().strip();
      options.addApiKey(() -> key);
    }
    return options.build();
  }

  private static io.grpc.netty.shaded.io.netty.handler.ssl.SslContext sslContext(TemporalFactory config) {
    boolean cert = !isBlank(config.getTlsCert());
    boolean key = !isBlank(config.getTlsKey());
    if (cert != key) {
      throw new TemporalStartupException("mutual TLS needs both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY; only "
          + (cert ? "TEMPORAL_TLS_CERT" : "TEMPORAL_TLS_KEY") + " is set");
    }
    try {
      SslContextBuilder builder = GrpcSslContexts.forClient();
      if (!isBlank(config.getTlsCa())) {
        builder.trustManager(readable(config.getTlsCa(), "TEMPORAL_TLS_CA"));
      }
      if (cert) {
        builder.keyManager(readable(config.getTlsCert(), "TEMPORAL_TLS_CERT"),
            readable(config.getTlsKey(), "TEMPORAL_TLS_KEY"));
      }
      return builder.build();
    } catch (IOException | IllegalArgumentException e) {
      throw new TemporalStartupException("Temporal TLS files unusable (TEMPORAL_TLS_CA, TEMPORAL_TLS_CERT, "
          + "TEMPORAL_TLS_KEY must be PEM; the key PKCS#8): " + e.getMessage());
    }
  }

  private static File readable(String path, String variable) {
    File file = new File(path.strip());
    if (!file.canRead()) {
      throw new TemporalStartupException(variable + "=" + path + ": no such readable file");
    }
    return file;
  }

  /** Connects to {@code target} and checks that {@code namespace} exists, or throws saying what to check. */
  public static WorkflowServiceStubs connect(TemporalFactory config, String target) {
    return connect(config, target, new com.uber.m3.tally.NoopScope());
  }

  /** As {@link #connect(TemporalFactory, String)}, reporting the SDK's metrics to {@code metrics}. */
  public static WorkflowServiceStubs connect(TemporalFactory config, String target,
      com.uber.m3.tally.Scope metrics) {
    String namespace = config.getNamespace();
    WorkflowServiceStubs stubs;
    try {
      stubs = WorkflowServiceStubs.newConnectedServiceStubs(WorkflowServiceStubsOptions.newBuilder(
          options(config, target)).setMetricsScope(metrics).build(), CONNECT_TIMEOUT);
    } catch (TemporalStartupException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new TemporalStartupException("Temporal at " + target + " (namespace " + namespace + ") unreachable "
          + "within " + CONNECT_TIMEOUT.toSeconds() + " s: check TEMPORAL_ADDRESS, that the cluster is up and "
          + "reachable from here, and TLS (TEMPORAL_TLS*, TEMPORAL_API_KEY) [" + rootCause(e) + "]");
    }
    try {
      stubs.blockingStub().describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
      return stubs;
    } catch (StatusRuntimeException e) {
      stubs.shutdownNow();
      throw namespaceProblem(target, namespace, e);
    }
  }

  /** What a failed DescribeNamespace means for the operator (the test server accepts any namespace). */
  static TemporalStartupException namespaceProblem(String target, String namespace, StatusRuntimeException e) {
    String check = switch (e.getStatus().getCode()) {
      case NOT_FOUND -> "the namespace does not exist: create it (temporal operator namespace create "
          + namespace + ") or set TEMPORAL_NAMESPACE";
      case UNAUTHENTICATED, PERMISSION_DENIED -> "the cluster refused this client: check TEMPORAL_API_KEY or "
          + "the client certificate (TEMPORAL_TLS_CERT/KEY) and its access to the namespace";
      default -> "check TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and TLS (TEMPORAL_TLS*)";
    };
    return new TemporalStartupException("Temporal at " + target + " namespace " + namespace + ": " + check
        + " [" + describe(e.getStatus()) + "]");
  }

  private static String rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause instanceof StatusRuntimeException status ? describe(status.getStatus()) : cause.toString();
  }

  private static String describe(Status status) {
    return status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
