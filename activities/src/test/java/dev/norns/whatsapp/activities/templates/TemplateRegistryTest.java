package dev.norns.whatsapp.activities.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateRegistryTest {

  private static final Template TASK_REMINDER = new Template("task_reminder", "HXb5b62575e6e4ff6129ad7c8efe1f983e",
      "WA_TEMPLATE_TASK_REMINDER", List.of("task_name", "due_time"),
      "Reminder: {{task_name}} is due at {{due_time}}. Reply DONE when finished.", "UTILITY");
  private static final Template FOLLOW_UP = new Template("follow_up", null, "WA_TEMPLATE_FOLLOW_UP",
      List.of("task_name"), "Did you finish {{task_name}}?", "UTILITY");

  private final TemplateRegistry registry = new TemplateRegistry(List.of(TASK_REMINDER, FOLLOW_UP));

  @Test
  void givenAllVariables_whenChecked_itShouldReportNoProblems() {
    assertThat(registry.problems("task_reminder", Map.of("task_name", "Water the plants", "due_time", "18:00")))
        .isEmpty();
  }

  @Test
  void givenMissingVariable_whenChecked_itShouldNameTheField() {
    assertThat(registry.problems("task_reminder", Map.of("due_time", "18:00")))
        .containsExactly("variables.task_name: missing");
  }

  @Test
  void givenBlankVariable_whenChecked_itShouldNameTheField() {
    assertThat(registry.problems("task_reminder", Map.of("task_name", "  ", "due_time", "18:00")))
        .containsExactly("variables.task_name: blank");
  }

  @Test
  void givenExtraVariable_whenChecked_itShouldNameTheFieldAndTheExpectedOnes() {
    assertThat(registry.problems("task_reminder",
        Map.of("task_name", "Water the plants", "due_time", "18:00", "colour", "green")))
        .containsExactly("variables.colour: not a variable of template task_reminder (expected: task_name, due_time)");
  }

  @Test
  void givenSeveralProblems_whenChecked_itShouldReportEachOne() {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("due_time", "");
    variables.put("colour", "green");

    assertThat(registry.problems("task_reminder", variables)).containsExactly(
        "variables.task_name: missing",
        "variables.due_time: blank",
        "variables.colour: not a variable of template task_reminder (expected: task_name, due_time)");
  }

  @Test
  void givenLineBreakTabOrFourSpaces_whenChecked_itShouldNameEachFieldWhatsAppRefuses() {
    assertThat(registry.problems("task_reminder", Map.of("task_name", "Water\nthe plants", "due_time", "18:00")))
        .containsExactly("variables.task_name: has a line break, which WhatsApp refuses in a template variable");
    assertThat(registry.problems("task_reminder", Map.of("task_name", "Water", "due_time", "18:00\tsharp")))
        .containsExactly("variables.due_time: has a tab, which WhatsApp refuses in a template variable");
    assertThat(registry.problems("task_reminder", Map.of("task_name", "Water    the plants", "due_time", "18:00")))
        .containsExactly("variables.task_name: has four spaces in a row, which WhatsApp refuses in a template"
            + " variable");
    assertThat(registry.problems("task_reminder", Map.of("task_name", "Water   the plants", "due_time", "18:00")))
        .isEmpty();
  }

  @Test
  void givenUnknownTemplate_whenChecked_itShouldSaySoAndListTheKnownOnes() {
    assertThat(registry.problems("birthday", Map.of()))
        .containsExactly("template: unknown template birthday (known: task_reminder, follow_up)");
  }

  @Test
  void givenRenderingOverTheTemplateLimit_whenChecked_itShouldReportTheRenderedLength() {
    String fixed = "Reminder:  is due at 18:00. Reply DONE when finished.";
    String taskName = "x".repeat(1_100 - fixed.length());

    assertThat(registry.problems("task_reminder", Map.of("task_name", taskName, "due_time", "18:00")))
        .containsExactly("template: rendered text is 1,100 characters, over WhatsApp's 1,024 limit for templates");
  }

  @Test
  void givenRenderingOfExactlyTheLimit_whenChecked_itShouldAcceptIt() {
    String fixed = "Reminder:  is due at 18:00. Reply DONE when finished.";
    String taskName = "x".repeat(1_024 - fixed.length());

    assertThat(registry.problems("task_reminder", Map.of("task_name", taskName, "due_time", "18:00"))).isEmpty();
  }

  @Test
  void givenVariables_whenEncoded_itShouldUseTheTemplateOrderAsPositions() throws Exception {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("due_time", "18:00");
    variables.put("task_name", "Water the plants");

    String json = registry.contentVariablesJson("task_reminder", variables);

    assertThat(json).isEqualTo("{\"1\":\"Water the plants\",\"2\":\"18:00\"}");
    assertThat(new ObjectMapper().readTree(json).fieldNames()).toIterable().containsExactly("1", "2");
  }

  @Test
  void givenQuotesNewlinesAndEmoji_whenEncoded_itShouldEscapeThemAsJson() throws Exception {
    String taskName = "Say \"hi\" to Ana\nthen \\ call 🌱";

    String json = registry.contentVariablesJson("task_reminder", Map.of("task_name", taskName, "due_time", "18:00"));

    assertThat(json).isEqualTo("{\"1\":\"Say \\\"hi\\\" to Ana\\nthen \\\\ call 🌱\",\"2\":\"18:00\"}");
    assertThat(new ObjectMapper().readTree(json).get("1").asText()).isEqualTo(taskName);
  }

  @Test
  void givenProblems_whenEncoded_itShouldRefuseWithTheProblems() {
    assertThatThrownBy(() -> registry.contentVariablesJson("task_reminder", Map.of("due_time", "18:00")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("variables.task_name: missing");
  }

  @Test
  void givenVariables_whenRendered_itShouldReplaceEveryPlaceholderLiterally() {
    assertThat(registry.render("task_reminder", Map.of("task_name", "Pay $5 \\ rent {{due_time}}", "due_time", "18:00")))
        .isEqualTo("Reminder: Pay $5 \\ rent {{due_time}} is due at 18:00. Reply DONE when finished.");
  }

  @Test
  void givenMissingVariable_whenRendered_itShouldRefuse() {
    assertThatThrownBy(() -> registry.render("follow_up", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("variables.task_name: missing");
  }

  @Test
  void givenDuplicateNames_whenBuilt_itShouldBeRejected() {
    assertThatThrownBy(() -> new TemplateRegistry(List.of(TASK_REMINDER, FOLLOW_UP, TASK_REMINDER)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate template name: task_reminder");
  }

  @Test
  void givenBodyPlaceholderThatIsNotAVariable_whenBuilt_itShouldBeRejected() {
    Template broken = new Template("broken", null, "WA_TEMPLATE_BROKEN", List.of("task_name"),
        "{{task_name}} at {{due_time}}", "UTILITY");

    assertThatThrownBy(() -> new TemplateRegistry(List.of(broken)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("{{due_time}}");
  }

  @Test
  void givenTemplates_whenListedOrFound_itShouldKeepTheirOrderAndConfiguration() {
    assertThat(registry.all()).containsExactly(TASK_REMINDER, FOLLOW_UP);
    assertThat(registry.find("task_reminder")).get().extracting(Template::hasContentSid).isEqualTo(true);
    assertThat(registry.find("follow_up")).get().extracting(Template::hasContentSid).isEqualTo(false);
    assertThat(registry.find("nope")).isEmpty();
  }
}
