package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.Channel;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.OutboundMessage;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The send activity as the workflow sees it: it resolves the user (gone, opted out), picks the channel from a settable
 * session window, and answers Twilio's part from a script (one function per call, the last one repeating). {@link
 * #sent} holds what reached "Twilio", with the channel and number the activity chose.
 */
class FakeTwilio implements WhatsAppSendActivities {
  static final String PHONE = "+14155550100";
  final List<OutboundMessage> sent = new CopyOnWriteArrayList<>();
  volatile boolean windowOpen;
  volatile boolean userGone;
  volatile boolean optedOut;
  /** What Twilio answers when asked about a message (no final callback came); null: nothing. */
  volatile DeliveryUpdate lookupAnswer;
  final List<String> lookedUp = new CopyOnWriteArrayList<>();
  private final Deque<Function<OutboundMessage, SendOutcome>> script = new ArrayDeque<>();

  FakeTwilio() {
    then(m -> SendOutcome.accepted("SM" + sent.size(), DeliveryStatus.QUEUED));
  }

  FakeTwilio thenOnly(Function<OutboundMessage, SendOutcome> answer) {
    script.clear();
    return then(answer);
  }

  FakeTwilio then(Function<OutboundMessage, SendOutcome> answer) {
    script.addLast(answer);
    return this;
  }

  static Function<OutboundMessage, SendOutcome> transientFailure() {
    return m -> {
      throw ApplicationFailure.newFailure("Twilio answered 503", ActivityErrors.TWILIO_TRANSIENT, "503");
    };
  }

  @Override
  public DeliveryUpdate lookup(String messageSid) {
    lookedUp.add(messageSid);
    DeliveryUpdate answer = lookupAnswer;
    return answer == null ? null : new DeliveryUpdate(messageSid, answer.status(), answer.errorCode(),
        answer.errorMessage());
  }

  @Override
  public synchronized SendOutcome send(OutboundMessage message) {
    if (userGone) {
      return SendOutcome.refused(SendOutcome.Result.REJECTED, "USER_UNREACHABLE", "user u1 has no phone number");
    }
    if (optedOut) {
      return SendOutcome.refused(SendOutcome.Result.OPTED_OUT, "21610", "the user sent STOP");
    }
    Channel channel = message.channel() != null ? message.channel() : windowOpen ? Channel.FREEFORM
        : Channel.TEMPLATE;
    String reason = windowOpen ? "session window open until 2099-01-01T00:00:00Z (database)"
        : "no session window: the user has not written";
    OutboundMessage routed = new OutboundMessage(message.reminderId(), message.attemptKey(), message.userId(),
        PHONE, channel, message.templateName(), message.variables(), message.body());
    sent.add(routed);
    Function<OutboundMessage, SendOutcome> next = script.size() > 1 ? script.removeFirst() : script.peekFirst();
    SendOutcome outcome = next.apply(routed);
    return message.channel() == null ? outcome.on(channel, reason) : outcome;
  }
}
