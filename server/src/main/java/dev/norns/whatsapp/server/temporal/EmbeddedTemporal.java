package dev.norns.whatsapp.server.temporal;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Temporal's in-memory test server, in real time, listening on 127.0.0.1 only. {@code TestServer.createPortBoundServer}
 * would listen on every interface, letting anyone on the network signal or terminate reminders, so the server is
 * assembled here from the same parts on a loopback address. Everything is lost when the process stops: PostgreSQL
 * reminders are started again at boot.
 */
public final class EmbeddedTemporal implements AutoCloseable {
  private final TestServicesStarter services;
  private final Server server;

  private EmbeddedTemporal(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
  }

  /** Starts on {@code port} (0 picks a free one). */
  public static EmbeddedTemporal start(int port) {
    // Time skipping locked: the embedded default runs in real time, as a cluster would.
    TestServicesStarter services = new TestServicesStarter(true, 0);
    ServerBuilder<?> builder = NettyServerBuilder.forAddress(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    try {
      return new EmbeddedTemporal(services, builder.build().start());
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException("embedded Temporal could not listen on 127.0.0.1:" + port
          + " (set temporal.embeddedPort, or TEMPORAL_ADDRESS for a real cluster)", e);
    }
  }

  public String target() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    services.close();
  }
}
