package dev.norns.whatsapp.activities.templates;

import dev.norns.whatsapp.activities.twilio.TwilioMessageSender;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * The known message templates, checked once at start-up, and the one place their variables are validated, rendered
 * and encoded.
 *
 * <p>{@link #problems} exists so bad input is reported to the API caller, field by field, before a reminder is
 * scheduled, instead of failing days later at send time with a Twilio error (63021 for a template over 1,024
 * characters once substituted). Immutable and thread-safe.
 */
public final class TemplateRegistry {

  /** WhatsApp's limit for a template's text with its substitutions (Twilio error 63021 beyond it). */
  public static final int MAX_TEMPLATE_CHARACTERS = 1_024;

  private final Map<String, Template> byName;

  /**
   * @throws IllegalArgumentException for a duplicate name, or a body placeholder that is not a declared variable
   */
  public TemplateRegistry(List<Template> templates) {
    var map = new LinkedHashMap<String, Template>();
    for (Template template : templates) {
      if (map.putIfAbsent(template.name(), template) != null) {
        throw new IllegalArgumentException("duplicate template name: " + template.name());
      }
      for (String placeholder : template.placeholders()) {
        if (!template.variables().contains(placeholder)) {
          throw new IllegalArgumentException("template " + template.name() + ": body uses {{" + placeholder
              + "}}, which is not one of its variables " + template.variables());
        }
      }
    }
    this.byName = map;
  }

  public Optional<Template> find(String name) {
    return Optional.ofNullable(name == null ? null : byName.get(name));
  }

  /** All templates, in the order given. */
  public List<Template> all() {
    return List.copyOf(byName.values());
  }

  /**
   * Everything wrong with sending template {@code name} with these variables, as human-readable lines that start
   * with the offending field ({@code template}, {@code variables.<name>}). Empty when the send can go ahead.
   */
  public List<String> problems(String name, Map<String, String> variables) {
    return problems(name, variables, true);
  }

  private List<String> problems(String name, Map<String, String> variables, boolean layout) {
    Optional<Template> found = find(name);
    if (found.isEmpty()) {
      return List.of("template: unknown template " + name + " (known: " + String.join(", ", byName.keySet()) + ")");
    }
    Template template = found.get();
    List<String> problems = variableProblems(template, variables == null ? Map.of() : variables);
    if (layout) {
      problems.addAll(layoutProblems(template, variables == null ? Map.of() : variables));
    }
    if (problems.isEmpty()) {
      String rendered = render(template, variables);
      int length = rendered.codePointCount(0, rendered.length());
      if (length > MAX_TEMPLATE_CHARACTERS) {
        problems.add(String.format(Locale.ROOT, "template: rendered text is %,d characters, over WhatsApp's %,d"
            + " limit for templates", length, MAX_TEMPLATE_CHARACTERS));
      }
    }
    return problems;
  }

  /**
   * The freeform text: {@link Template#body()} with every {@code {{name}}} replaced by its value.
   *
   * @throws IllegalArgumentException for an unknown template or a missing, blank or unexpected variable
   */
  public String render(String name, Map<String, String> variables) {
    return render(checked(name, variables), variables);
  }

  /**
   * The {@code ContentVariables} parameter: a JSON object whose keys "1", "2", … follow the template's variable
   * order, escaped by Jackson (quotes, newlines, emoji).
   *
   * @throws IllegalArgumentException when {@link #problems} is not empty
   */
  public String contentVariablesJson(String name, Map<String, String> variables) {
    List<String> problems = problems(name, variables, false);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    Template template = byName.get(name);
    return TwilioMessageSender.contentVariablesJson(template.variables().stream().map(variables::get).toList());
  }

  private Template checked(String name, Map<String, String> variables) {
    Template template = find(name).orElseThrow(() -> new IllegalArgumentException(problems(name, variables).get(0)));
    List<String> problems = variableProblems(template, variables == null ? Map.of() : variables);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return template;
  }

  private static List<String> variableProblems(Template template, Map<String, String> variables) {
    var problems = new ArrayList<String>();
    for (String variable : template.variables()) {
      String value = variables.get(variable);
      if (value == null) {
        problems.add("variables." + variable + ": missing");
      } else if (value.isBlank()) {
        problems.add("variables." + variable + ": blank");
      }
    }
    var givenNames = new TreeSet<String>();
    variables.keySet().stream().filter(Objects::nonNull).forEach(givenNames::add);
    for (String given : givenNames) {
      if (!template.variables().contains(given)) {
        problems.add("variables." + given + ": not a variable of template " + template.name() + " (expected: "
            + String.join(", ", template.variables()) + ")");
      }
    }
    return problems;
  }

  /**
   * WhatsApp refuses a template parameter with a new line, a tab or four spaces in a row (Twilio 63005/63013 at send
   * time); here it is a 422 before anything is stored. Only at validation: a stored reminder keeps what it was given.
   */
  private static List<String> layoutProblems(Template template, Map<String, String> variables) {
    var problems = new ArrayList<String>();
    for (String variable : template.variables()) {
      String value = variables.get(variable);
      if (value == null) {
        continue;
      }
      if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
        problems.add("variables." + variable + ": has a line break, which WhatsApp refuses in a template variable");
      } else if (value.indexOf('\t') >= 0) {
        problems.add("variables." + variable + ": has a tab, which WhatsApp refuses in a template variable");
      } else if (value.contains("    ")) {
        problems.add("variables." + variable + ": has four spaces in a row, which WhatsApp refuses in a template"
            + " variable");
      }
    }
    return problems;
  }

  private static String render(Template template, Map<String, String> variables) {
    Matcher matcher = Template.PLACEHOLDER.matcher(template.body());
    var out = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(out, Matcher.quoteReplacement(variables.get(matcher.group(1))));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
