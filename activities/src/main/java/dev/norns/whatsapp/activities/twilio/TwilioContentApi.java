package dev.norns.whatsapp.activities.twilio;

import com.twilio.base.ResourceSet;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.content.v1.ContentAndApprovals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Twilio's Content API as the operator's template sync reads it: every content template of the account with its
 * variables, its text and its WhatsApp approval ({@code GET content.twilio.com/v1/ContentAndApprovals}, all pages),
 * through twilio-java with the same single-shot client, base URL, region and edge as the sends.
 */
public final class TwilioContentApi {
  /** One content template as Twilio reports it. */
  public record ContentTemplate(String sid, String friendlyName, String language, Map<String, String> variables,
      String body, String whatsappName, String status, String category, String rejectionReason) {

    /** Approved for WhatsApp: usable outside the 24-hour window. */
    public boolean approved() {
      return "approved".equalsIgnoreCase(status);
    }
  }

  private final TwilioRestClient client;

  public TwilioContentApi(TwilioSettings settings) {
    Objects.requireNonNull(settings, "settings");
    this.client = new TwilioRestClient.Builder(settings.accountSid(), settings.authToken())
        .httpClient(new SingleShotHttpClient(settings))
        .build();
  }

  /**
   * Every template of the account. Throws Twilio's {@link ApiException} when it refuses (wrong credentials, no
   * access) and {@link TwilioConnectionException} when no answer came.
   */
  public List<ContentTemplate> templates() {
    List<ContentTemplate> templates = new ArrayList<>();
    ResourceSet<ContentAndApprovals> pages = ContentAndApprovals.reader().setPageSize(100).read(client);
    for (ContentAndApprovals content : pages) {
      Map<String, Object> approval = map(content.getApprovalRequests());
      templates.add(new ContentTemplate(content.getSid(), content.getFriendlyName(), content.getLanguage(),
          strings(map(content.getVariables())), body(map(content.getTypes())), text(approval.get("name")),
          text(approval.get("status")), text(approval.get("category")), text(approval.get("rejection_reason"))));
    }
    return templates;
  }

  /** The text of its first type that has one ({@code twilio/text}'s body first). */
  private static String body(Map<String, Object> types) {
    Object text = map(types.get("twilio/text")).get("body");
    if (text != null) {
      return text.toString();
    }
    for (Object type : types.values()) {
      Object body = map(type).get("body");
      if (body != null) {
        return body.toString();
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static Map<String, String> strings(Map<String, Object> values) {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, v == null ? null : v.toString()));
    return out;
  }

  private static String text(Object value) {
    return value == null || value.toString().isEmpty() ? null : value.toString();
  }
}
