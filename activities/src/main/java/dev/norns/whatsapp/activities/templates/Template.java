package dev.norns.whatsapp.activities.templates;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WhatsApp message template, usable both ways a reminder can go out: as an approved Content API template
 * ({@code ContentSid} + positional {@code ContentVariables}, the only thing WhatsApp allows outside the 24-hour
 * window) and as a freeform text rendered from {@link #body()} inside the window.
 *
 * <p>Twilio's content variables are positional ("1", "2", …), so {@link #variables()} is ordered: the n-th name is
 * variable "n" of the approved template. Keep {@link #body()} in step with the approved text.
 *
 * @param name          stable name used by callers, e.g. {@code task_reminder}
 * @param contentSid    the approved template's {@code HX…} SID, or null when not configured in this environment
 * @param contentSidEnv the environment variable that configures {@code contentSid}, named in error messages
 * @param variables     variable names in Content API order
 * @param body          the text with {@code {{name}}} placeholders, for freeform rendering and length checks
 * @param category      WhatsApp category; reminders should be {@code UTILITY} (marketing ones to US numbers are
 *                      refused since 2025-04, error 63049)
 */
public record Template(String name, String contentSid, String contentSidEnv, List<String> variables, String body,
    String category) {

  /** {@code {{name}}}: letters, digits and underscores, no spaces. */
  static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z_][A-Za-z0-9_]*)}}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** Twilio accepts at most 100 content variables. */
  static final int MAX_VARIABLES = 100;

  public Template {
    requireNonBlank(name, "name");
    requireNonBlank(contentSidEnv, "contentSidEnv");
    requireNonBlank(category, "category");
    Objects.requireNonNull(body, "body");
    if (contentSid != null && !contentSid.startsWith("HX")) {
      throw new IllegalArgumentException("template " + name + ": contentSid must start with HX, got " + contentSid
          + " (from " + contentSidEnv + ")");
    }
    variables = List.copyOf(variables);
    if (variables.size() > MAX_VARIABLES) {
      throw new IllegalArgumentException("template " + name + ": at most " + MAX_VARIABLES + " variables");
    }
    var seen = new HashSet<String>();
    for (String variable : variables) {
      if (!NAME.matcher(variable).matches() || !seen.add(variable)) {
        throw new IllegalArgumentException("template " + name + ": variable names must be unique identifiers, got "
            + variables);
      }
    }
  }

  /** Whether an approved Content API template is configured, i.e. this template can be sent outside the window. */
  public boolean hasContentSid() {
    return contentSid != null && !contentSid.isBlank();
  }

  /** Placeholder names used in {@link #body()}, in order of appearance (with repeats). */
  List<String> placeholders() {
    Matcher matcher = PLACEHOLDER.matcher(body);
    var names = new ArrayList<String>();
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  private static void requireNonBlank(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("template " + field + " must not be blank");
    }
  }
}
