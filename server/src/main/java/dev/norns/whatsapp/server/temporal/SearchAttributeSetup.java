package dev.norns.whatsapp.server.temporal;

import dev.norns.whatsapp.workflows.ReminderSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reminder's custom search attributes ({@link ReminderSearchAttributes}) on the server. The embedded server is
 * empty at every start, so they are registered there. On a cluster they are an operator's one-time setup and are only
 * checked: a workflow started with, or upserting, an attribute the namespace does not know is refused, so without
 * them no reminder could be scheduled or would run. Start-up therefore fails fast, naming the command to run, rather
 * than a service that answers 503 to every reminder. A server that cannot list them (Temporal's test server, when
 * another instance embeds it) is not checked: a warning says so.
 */
final class SearchAttributeSetup {
  private static final Logger log = LoggerFactory.getLogger(SearchAttributeSetup.class);

  private SearchAttributeSetup() {}

  /** Registers every attribute (the embedded server). */
  static void register(WorkflowServiceStubs stubs, String namespace) {
    withOperator(stubs, operator -> operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder()
        .setNamespace(namespace).putAllSearchAttributes(ReminderSearchAttributes.REGISTERED).build()));
  }

  /** Throws {@link TemporalStartupException} naming what is missing or of the wrong type (a cluster). */
  /**
   * Checks the attributes exist on a cluster; false when the server cannot list them, which is what Temporal's
   * in-memory test server (another instance's embedded one) answers.
   */
  static boolean verify(WorkflowServiceStubs stubs, String namespace, String target) {
    Map<String, IndexedValueType> present = new java.util.HashMap<>();
    try {
      withOperator(stubs, operator -> present.putAll(operator.blockingStub().listSearchAttributes(
          ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build()).getCustomAttributesMap()));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
      // Temporal's test server (another instance's embedded one) cannot list them; its owner registered them.
      log.warn("temporal: {} cannot list search attributes ({}); assuming {} are registered",
          target, e.getStatus().getCode(), ReminderSearchAttributes.REGISTERED.keySet());
      return false;
    }
    List<String> problems = new ArrayList<>();
    ReminderSearchAttributes.REGISTERED.forEach((name, type) -> {
      IndexedValueType actual = present.get(name);
      if (actual == null) {
        problems.add(name + " is missing");
      } else if (actual != type) {
        problems.add(name + " is " + typeName(actual) + ", not " + typeName(type));
      }
    });
    if (!problems.isEmpty()) {
      throw new TemporalStartupException("Temporal at " + target + " namespace " + namespace
          + ": search attributes not registered as needed (" + String.join("; ", problems) + "). Register them "
          + "once with the docker-compose one-shot (docker compose up temporal-search-attributes) or: " + commands(
              namespace, target));
    }
    return true;
  }

  private static String commands(String namespace, String target) {
    List<String> commands = new ArrayList<>();
    ReminderSearchAttributes.REGISTERED.forEach((name, type) -> commands.add("temporal operator search-attribute "
        + "create --address " + target + " --namespace " + namespace + " --name " + name + " --type "
        + typeName(type)));
    return String.join(" && ", commands);
  }

  private static String typeName(IndexedValueType type) {
    return switch (type) {
      case INDEXED_VALUE_TYPE_KEYWORD -> "Keyword";
      case INDEXED_VALUE_TYPE_DATETIME -> "Datetime";
      default -> type.name();
    };
  }

  private static void withOperator(WorkflowServiceStubs stubs, java.util.function.Consumer<OperatorServiceStubs> call) {
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder(stubs.getOptions()).validateAndBuildWithDefaults());
    try {
      call.accept(operator);
    } finally {
      operator.shutdownNow();
      operator.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
