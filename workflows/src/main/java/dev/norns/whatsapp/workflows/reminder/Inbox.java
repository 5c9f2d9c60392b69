package dev.norns.whatsapp.workflows.reminder;

import io.temporal.workflow.Workflow;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The one place commands wait for the running phase. Handlers put a command in and wait for its answer; every wait of
 * every phase also watches {@link #hasCommand()}, so each command is taken by the phase running when it arrives.
 * Workflow-thread state only: deterministic.
 */
final class Inbox {
  private final Deque<Command> pending = new ArrayDeque<>();

  /** Puts {@code command} in and blocks the handler until a phase has answered it. */
  Command submit(Command command) {
    pending.addLast(command);
    Workflow.await(command::answered);
    return command;
  }

  /** Puts {@code command} in without waiting (a signal's command: nobody waits for its answer). */
  void post(Command command) {
    pending.addLast(command);
  }

  /** Puts {@code command} back first in line: the phase that took it leaves it to the next one. */
  void putBack(Command command) {
    pending.addFirst(command);
  }

  boolean hasCommand() {
    return !pending.isEmpty();
  }

  Command next() {
    return pending.pollFirst();
  }

  /** Refuses whatever is still waiting (the reminder ended first). */
  void refuseAll(String why) {
    for (Command command = next(); command != null; command = next()) {
      command.refuse(why);
    }
  }
}
