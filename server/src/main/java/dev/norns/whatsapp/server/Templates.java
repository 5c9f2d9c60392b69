package dev.norns.whatsapp.server;

import dev.norns.whatsapp.activities.templates.Template;
import dev.norns.whatsapp.activities.templates.TemplateRegistry;
import dev.norns.whatsapp.server.config.TemplateConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The template registry from config.yml; in sandbox mode a template without a SID gets a stable sandbox SID. */
final class Templates {
  private static final Logger log = LoggerFactory.getLogger(Templates.class);

  private Templates() {}

  static TemplateRegistry registry(List<TemplateConfig> configured, boolean sandbox) {
    List<Template> templates = configured.stream().map(TemplateConfig::toTemplate)
        .map(t -> sandbox && !t.hasContentSid() ? withSid(t, sandboxSid(t.name())) : t)
        .toList();
    for (Template t : templates) {
      if (!t.hasContentSid()) {
        log.warn("whatsapp template {} has no content SID: set {} (reminders outside the session window using it "
            + "will fail)", t.name(), t.contentSidEnv());
      }
    }
    log.info("whatsapp templates loaded: {}", templates.stream().map(Template::name).toList());
    return new TemplateRegistry(templates);
  }

  private static Template withSid(Template t, String sid) {
    return new Template(t.name(), sid, t.contentSidEnv(), t.variables(), t.body(), t.category());
  }

  static String sandboxSid(String name) {
    try {
      byte[] digest = MessageDigest.getInstance("MD5").digest(("sandbox:" + name).getBytes(StandardCharsets.UTF_8));
      return "HX" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JRE", e);
    }
  }
}
