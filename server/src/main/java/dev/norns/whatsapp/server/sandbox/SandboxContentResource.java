package dev.norns.whatsapp.server.sandbox;

import dev.norns.whatsapp.activities.templates.Template;
import dev.norns.whatsapp.activities.templates.TemplateRegistry;
import dev.norns.whatsapp.server.security.TwilioAccountAuth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Twilio's Content API as the template sync reads it ({@code GET /v1/ContentAndApprovals}, under {@code /content} as
 * the Twilio client routes it to a non-Twilio base): the configured templates with their sandbox SIDs, their
 * variables numbered as Twilio numbers them, their text with {@code {{1}}…} placeholders, approved for WhatsApp.
 * Basic auth with the sandbox's account, as Twilio's.
 */
@Path("/content/v1/ContentAndApprovals")
@TwilioAccountAuth
@Produces(MediaType.APPLICATION_JSON)
public final class SandboxContentResource {
  private final SandboxAccount account;
  private final TemplateRegistry templates;

  public SandboxContentResource(SandboxAccount account, TemplateRegistry templates) {
    this.account = account;
    this.templates = templates;
  }

  @GET
  public Response list(@HeaderParam("Authorization") String authorization) {
    if (!SandboxWire.authorized(account, authorization)) {
      return SandboxWire.error(401, 20003, "Authenticate");
    }
    List<Map<String, Object>> contents = new ArrayList<>();
    for (Template template : templates.all()) {
      if (template.hasContentSid()) {
        contents.add(content(template));
      }
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("page", 0);
    meta.put("page_size", contents.size());
    meta.put("first_page_url", "https://content.twilio.com/v1/ContentAndApprovals?PageSize=100&Page=0");
    meta.put("previous_page_url", null);
    meta.put("url", "https://content.twilio.com/v1/ContentAndApprovals?PageSize=100&Page=0");
    meta.put("next_page_url", null);
    meta.put("key", "contents");
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("contents", contents);
    page.put("meta", meta);
    return Response.ok(page).build();
  }

  private Map<String, Object> content(Template template) {
    Map<String, Object> variables = new LinkedHashMap<>();
    String body = template.body() == null ? "" : template.body();
    for (int i = 0; i < template.variables().size(); i++) {
      variables.put(Integer.toString(i + 1), template.variables().get(i));
      body = body.replace("{{" + template.variables().get(i) + "}}", "{{" + (i + 1) + "}}");
    }
    Map<String, Object> approval = new LinkedHashMap<>();
    approval.put("type", "whatsapp");
    approval.put("name", template.name());
    approval.put("category", template.category());
    approval.put("content_type", "twilio/text");
    approval.put("status", "approved");
    approval.put("rejection_reason", "");
    approval.put("allow_category_change", true);
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("sid", template.contentSid());
    content.put("account_sid", account.accountSid());
    content.put("friendly_name", template.name());
    content.put("language", "en");
    content.put("variables", variables);
    content.put("types", Map.of("twilio/text", Map.of("body", body)));
    content.put("approval_requests", approval);
    content.put("date_created", "2026-01-01T00:00:00Z");
    content.put("date_updated", "2026-01-01T00:00:00Z");
    return content;
  }
}
