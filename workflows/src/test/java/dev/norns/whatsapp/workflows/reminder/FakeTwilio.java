package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.OutboundMessage;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A Twilio send activity that answers from a script: one function per call, the last one repeating. */
class FakeTwilio implements WhatsAppSendActivities {
  final List<OutboundMessage> sent = new CopyOnWriteArrayList<>();
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
  public synchronized SendOutcome send(OutboundMessage message) {
    sent.add(message);
    Function<OutboundMessage, SendOutcome> next = script.size() > 1 ? script.removeFirst() : script.peekFirst();
    return next.apply(message);
  }
}
