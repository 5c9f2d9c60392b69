package dev.norns.whatsapp.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import io.dropwizard.logging.common.layout.DropwizardLayoutFactory;
import java.util.TimeZone;

/**
 * {@code layout: {type: text}}: Dropwizard's usual one-line text layout under a name, so that config.yml can choose
 * {@code text} or {@code json} (dropwizard-json-logging) with one variable, {@code LOG_FORMAT}.
 */
@JsonTypeName("text")
public class TextLayoutFactory implements DiscoverableLayoutFactory<ILoggingEvent> {
  @Override
  public LayoutBase<ILoggingEvent> build(LoggerContext context, TimeZone timeZone) {
    return new DropwizardLayoutFactory().build(context, timeZone);
  }
}
