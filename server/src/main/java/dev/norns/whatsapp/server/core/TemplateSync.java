package dev.norns.whatsapp.server.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.activities.db.Json;
import dev.norns.whatsapp.activities.templates.Template;
import dev.norns.whatsapp.activities.templates.TemplateRegistry;
import dev.norns.whatsapp.activities.twilio.TwilioContentApi;
import dev.norns.whatsapp.activities.twilio.TwilioContentApi.ContentTemplate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code templates sync}: reads the account's content templates from Twilio's Content API, keeps them in PostgreSQL
 * ({@code twilio_templates}, replaced as a whole) and checks each configured template against them: its content SID
 * exists on Twilio, is approved for WhatsApp, and takes as many variables as config.yml names. The answer lists the
 * configured templates with what Twilio says, and the approved templates config.yml does not use yet.
 */
public final class TemplateSync {
  private static final Logger log = LoggerFactory.getLogger(TemplateSync.class);

  /** One configured template beside what Twilio says of its SID. */
  public record Checked(
      @JsonProperty("name") String name,
      @JsonProperty("content_sid") String contentSid,
      @JsonProperty("twilio_name") String twilioName,
      @JsonProperty("status") String status,
      @JsonProperty("category") String category,
      @JsonProperty("variables") int variables,
      @JsonProperty("twilio_variables") Integer twilioVariables,
      @JsonProperty("problem") String problem) {}

  /** A template of the account that config.yml does not use. */
  public record Unused(
      @JsonProperty("content_sid") String contentSid,
      @JsonProperty("twilio_name") String twilioName,
      @JsonProperty("status") String status,
      @JsonProperty("category") String category,
      @JsonProperty("variables") Map<String, String> variables,
      @JsonProperty("body") String body) {}

  /** The outcome of a sync: {@code ok} when every configured template is approved and matches. */
  public record Report(
      @JsonProperty("synced_at") Instant syncedAt,
      @JsonProperty("ok") boolean ok,
      @JsonProperty("templates") List<Checked> templates,
      @JsonProperty("not_configured") List<Unused> notConfigured) {}

  private final Jdbi jdbi;
  private final TemplateRegistry registry;
  private final Supplier<TwilioContentApi> twilio;

  public TemplateSync(Jdbi jdbi, TemplateRegistry registry, Supplier<TwilioContentApi> twilio) {
    this.jdbi = jdbi;
    this.registry = registry;
    this.twilio = twilio;
  }

  /** Reads Twilio now, stores what it said and compares; Twilio's refusal or silence is thrown as it came. */
  public Report sync() {
    List<ContentTemplate> remote = twilio.get().templates();
    Instant now = Instant.now();
    jdbi.useTransaction(handle -> {
      handle.execute("DELETE FROM twilio_templates");
      for (ContentTemplate t : remote) {
        handle.createUpdate("""
            INSERT INTO twilio_templates (sid, friendly_name, language, variables, body, whatsapp_name, status,
                                          category, rejection_reason, synced_at)
            VALUES (:sid, :name, :language, CAST(:variables AS jsonb), :body, :whatsappName, :status, :category,
                    :rejection, :at)""")
            .bind("sid", t.sid()).bind("name", t.friendlyName()).bind("language", t.language())
            .bind("variables", Json.write(t.variables())).bind("body", t.body())
            .bind("whatsappName", t.whatsappName()).bind("status", t.status()).bind("category", t.category())
            .bind("rejection", t.rejectionReason()).bind("at", now).execute();
      }
    });
    Report report = compare(remote, now);
    log.info("whatsapp templates sync: {} templates on Twilio, {} configured, {}", remote.size(),
        report.templates().size(), report.ok() ? "all approved and matching"
            : "problems: " + report.templates().stream().filter(c -> c.problem() != null)
                .map(c -> c.name() + ": " + c.problem()).toList());
    return report;
  }

  /** The last sync as stored, compared again; empty before the first. */
  public Optional<Report> last() {
    List<ContentTemplate> stored = jdbi.withHandle(handle -> handle.createQuery("""
            SELECT sid, friendly_name, language, variables::text AS variables, body, whatsapp_name, status, category,
                   rejection_reason
              FROM twilio_templates ORDER BY sid""")
        .map((rs, ctx) -> new ContentTemplate(rs.getString("sid"), rs.getString("friendly_name"),
            rs.getString("language"), Json.readMap(rs.getString("variables")), rs.getString("body"),
            rs.getString("whatsapp_name"), rs.getString("status"), rs.getString("category"),
            rs.getString("rejection_reason"))).list());
    Optional<Instant> at = jdbi.withHandle(handle -> handle.createQuery(
        "SELECT max(synced_at) FROM twilio_templates").mapTo(Instant.class).findOne());
    return at.map(when -> compare(stored, when));
  }

  Report compare(List<ContentTemplate> remote, Instant at) {
    List<Checked> checked = new ArrayList<>();
    List<String> used = new ArrayList<>();
    for (Template template : registry.all()) {
      if (!template.hasContentSid()) {
        checked.add(new Checked(template.name(), null, null, null, null, template.variables().size(), null,
            "no content SID configured: set " + template.contentSidEnv()));
        continue;
      }
      used.add(template.contentSid());
      Optional<ContentTemplate> match = remote.stream().filter(t -> template.contentSid().equals(t.sid()))
          .findFirst();
      if (match.isEmpty()) {
        checked.add(new Checked(template.name(), template.contentSid(), null, null, null,
            template.variables().size(), null, "Twilio has no content template " + template.contentSid()));
        continue;
      }
      ContentTemplate t = match.get();
      String problem = null;
      if (!t.approved()) {
        problem = "not approved for WhatsApp: " + (t.status() == null ? "never submitted" : t.status())
            + (t.rejectionReason() == null ? "" : " (" + t.rejectionReason() + ")");
      } else if (t.variables().size() != template.variables().size()) {
        problem = "takes " + t.variables().size() + " variables on Twilio, config.yml names "
            + template.variables().size() + " " + template.variables();
      }
      checked.add(new Checked(template.name(), t.sid(), t.friendlyName(), t.status(), t.category(),
          template.variables().size(), t.variables().size(), problem));
    }
    List<Unused> others = remote.stream().filter(t -> !used.contains(t.sid()))
        .map(t -> new Unused(t.sid(), t.friendlyName(), t.status(), t.category(), t.variables(), t.body())).toList();
    return new Report(at, checked.stream().allMatch(c -> c.problem() == null), checked, others);
  }
}
