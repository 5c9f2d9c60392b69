package dev.norns.whatsapp.server.temporal;

import dev.norns.whatsapp.workflows.ReminderSearchAttributes;
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
 * The reminder's custom search attributes ({@link ReminderSearchAttributes}) on the server. The embedded server gets
 * them at start ({@code --search-attribute}). On a cluster they are an operator's one-time setup and are checked: a
 * workflow started with, or upserting, an attribute the namespace does not know is refused, so without them no
 * reminder could be scheduled. Start-up therefore fails fast naming the commands to run, unless the operator opted in
 * to registering them here (TEMPORAL_REGISTER_SEARCH_ATTRIBUTES, which needs operator rights on the namespace).
 */
final class SearchAttributeSetup {
  private static final Logger log = LoggerFactory.getLogger(SearchAttributeSetup.class);

  private SearchAttributeSetup() {}

  /**
   * Checks the attributes exist; registers the missing ones when {@code register}; throws
   * {@link TemporalStartupException} naming what is missing or of the wrong type otherwise.
   */
  static void ensure(WorkflowServiceStubs stubs, String namespace, String target, boolean register) {
    Map<String, IndexedValueType> present = new java.util.HashMap<>();
    withOperator(stubs, operator -> present.putAll(operator.blockingStub().listSearchAttributes(
        ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build()).getCustomAttributesMap()));
    List<String> problems = new ArrayList<>();
    Map<String, IndexedValueType> missing = new java.util.LinkedHashMap<>();
    ReminderSearchAttributes.REGISTERED.forEach((name, type) -> {
      IndexedValueType actual = present.get(name);
      if (actual == null) {
        problems.add(name + " is missing");
        missing.put(name, type);
      } else if (actual != type) {
        problems.add(name + " is " + typeName(actual) + ", not " + typeName(type));
      }
    });
    if (problems.isEmpty()) {
      return;
    }
    if (register && problems.size() == missing.size()) {
      withOperator(stubs, operator -> operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest
          .newBuilder().setNamespace(namespace).putAllSearchAttributes(missing).build()));
      log.warn("temporal: registered search attributes {} on {} namespace {}", missing.keySet(), target, namespace);
      return;
    }
    throw new TemporalStartupException("Temporal at " + target + " namespace " + namespace
        + ": search attributes not registered as needed (" + String.join("; ", problems) + "). Register them "
        + "once with the docker-compose one-shot (docker compose up temporal-search-attributes), set "
        + "TEMPORAL_REGISTER_SEARCH_ATTRIBUTES=true, or run: " + commands(namespace, target));
  }

  /** Name=Type pairs for the dev server's --search-attribute flags. */
  static Map<String, String> flags() {
    Map<String, String> flags = new java.util.LinkedHashMap<>();
    ReminderSearchAttributes.REGISTERED.forEach((name, type) -> flags.put(name, typeName(type)));
    return flags;
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
