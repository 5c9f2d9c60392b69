package dev.norns.whatsapp.server.core;

import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.db.UserRow;
import dev.norns.whatsapp.activities.templates.TemplateRegistry;
import dev.norns.whatsapp.server.api.ReminderRequest;
import dev.norns.whatsapp.server.api.validation.RequestValidation;
import dev.norns.whatsapp.server.errors.ApiException;
import dev.norns.whatsapp.workflows.model.QuietHours;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Checks a reminder request completely before anything is stored or scheduled: first the record's own constraints
 * ({@link RequestValidation}: the API, the CLI and edits merged onto a stored reminder all come through here), then
 * what needs the database, the template registry or the clock.
 */
public final class ReminderRequests {
  private static final Duration MAX_AHEAD = Duration.ofDays(3660);

  private final Jdbi jdbi;
  private final TemplateRegistry templates;
  private final Clock clock;

  public ReminderRequests(Jdbi jdbi, TemplateRegistry templates, Clock clock) {
    this.jdbi = jdbi;
    this.templates = templates;
    this.clock = clock;
  }

  /**
   * A request that passed every check.
   *
   * @param dueAt null only for a recurrence without due_at
   * @param quietHours "respect" or "ignore"
   */
  public record Valid(UserRow user, String templateName, Map<String, String> variables, String body, Instant dueAt,
      Duration nudgeEvery, Integer nudgeMax, String quietHours) {

    /** The user's quiet hours if this reminder respects them, else null. */
    public QuietHours quiet() {
      return RESPECT.equals(quietHours) ? user.quietHours() : null;
    }
  }

  public static final String RESPECT = "respect";
  public static final String IGNORE = "ignore";

  public Valid validate(ReminderRequest request) {
    if (request == null) {
      throw ApiException.invalid(null, "a JSON body is required");
    }
    RequestValidation.check(request);
    UserRow user = user(request.userId());
    Map<String, String> variables = request.variables() == null ? Map.of() : request.variables();
    boolean textOnly = request.templateName() == null && request.body() != null;
    if (textOnly && !variables.isEmpty()) {
      throw ApiException.invalid("variables", "variables need a template_name");
    }
    String template = textOnly ? null : required("template_name", request.templateName());
    if (template != null && templates.find(template).isEmpty()) {
      throw ApiException.notFound("template_name", "unknown template '" + template + "'; known: "
          + templates.all().stream().map(t -> t.name()).toList());
    }
    List<String> problems = template == null ? List.of() : templates.problems(template, variables);
    if (!problems.isEmpty()) {
      String first = problems.get(0);
      int colon = first.indexOf(':');
      throw ApiException.invalid(colon > 0 ? first.substring(0, colon) : "variables", String.join("; ", problems));
    }
    String body = request.body();
    Instant due = request.recurrence() != null && request.dueAt() == null ? null : dueAt("due_at", request.dueAt());
    String quiet = quietHours(request.quietHours());
    if (request.nudge() == null) {
      return new Valid(user, template, Map.copyOf(variables), body, due, null, null, quiet);
    }
    Duration every = Duration.parse(request.nudge().every().strip());
    return new Valid(user, template, Map.copyOf(variables), body, due, every, request.nudge().max(), quiet);
  }

  /** "respect" or "ignore" (the record's constraint allows no other), any case. */
  private static String quietHours(String value) {
    return value == null ? RESPECT : value.strip().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * An ISO-8601 timestamp with an offset, e.g. 2026-11-24T17:00:00+01:00 or …Z, at most 10 years ahead (text that
   * comes outside a request record, such as the CLI's, is parsed here too).
   */
  public Instant dueAt(String field, String value) {
    String text = required(field, value);
    Instant at;
    try {
      at = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(field, "'" + text + "' is not an ISO-8601 date-time with an offset, "
          + "e.g. 2026-11-24T17:00:00+01:00");
    }
    if (at.isAfter(clock.instant().plus(MAX_AHEAD))) {
      throw ApiException.invalid(field, "more than 10 years ahead");
    }
    return at;
  }

  public UserRow user(String userId) {
    UUID id = uuid("user_id", userId);
    Optional<UserRow> user = jdbi.withExtension(UserDao.class, dao -> dao.find(id));
    if (user.isEmpty()) {
      throw ApiException.invalid("user_id", "no user " + id);
    }
    if (user.get().optedOutAt() != null) {
      throw ApiException.conflict("user_id", "user " + id + " opted out of WhatsApp messages (sent STOP) at "
          + user.get().optedOutAt() + "; nothing is sent until they send START");
    }
    if (user.get().phoneNumber() == null) {
      throw ApiException.invalid("user_id", "user " + id + " has no phone number: PUT /api/users/" + id + "/phone");
    }
    return user.get();
  }

  /** An Idempotency-Key header, when given, is 1 to 255 characters (a 422 otherwise). */
  public static void checkIdempotencyKey(String key) {
    if (key != null && (key.isBlank() || key.length() > 255)) {
      throw ApiException.invalid("Idempotency-Key", "Idempotency-Key must be 1 to 255 characters");
    }
  }

  /**
   * Whether {@code request} asks for the content a stored reminder or series has (user, template, variables, body): a
   * repeated Idempotency-Key with it is the same request.
   */
  public static boolean sameContent(UUID userId, String templateName, String variablesJson, String body,
      ReminderRequest request) {
    Map<String, String> variables = request.variables() == null ? Map.of() : request.variables();
    return userId.toString().equals(request.userId() == null ? null : request.userId().strip())
        && java.util.Objects.equals(templateName, request.templateName())
        && dev.norns.whatsapp.activities.db.Json.readMap(variablesJson).equals(variables)
        && java.util.Objects.equals(body, request.body());
  }

  /** What a reminder is about, for one-line summaries: its task_name, else its text, else its template (80 chars). */
  public static String subject(String variablesJson, String body, String templateName) {
    String what = dev.norns.whatsapp.activities.db.Json.readMap(variablesJson).getOrDefault("task_name",
        body != null ? body : templateName);
    return what != null && what.length() > 80 ? what.substring(0, 79) + "…" : what;
  }

  /** A stored zone id, UTC when missing or unknown. */
  public static java.time.ZoneId zoneOf(String zone) {
    try {
      return zone == null ? java.time.ZoneOffset.UTC : java.time.ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      return java.time.ZoneOffset.UTC;
    }
  }

  public static UUID uuid(String field, String value) {
    String text = required(field, value);
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(field, "'" + text + "' is not a UUID");
    }
  }

  private static String required(String field, String value) {
    if (value == null || value.isBlank()) {
      throw ApiException.invalid(field, field + " is required");
    }
    return value.strip();
  }
}
