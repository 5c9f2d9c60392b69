#!/usr/bin/env python3
"""Fault injection against the service on its embedded default (sandbox Twilio, the embedded Temporal dev server and
PostgreSQL, a private Redis). For each fault: start the service, schedule a burst of reminders (one user and phone
each), inject the fault around the due time, wait for every reminder to settle, and count from the sandbox and the
API what happened. Prints one table row per fault; exits non-zero when a row misses its target.

Faults: kill -9 of the service (before due, mid-send, during callbacks), Redis killed, frozen and absent at start,
PostgreSQL frozen, the Temporal server frozen and killed, Temporal's state lost then reconcile, and Twilio failing
through the sandbox's fault injection (429, 500, 503, the answer lost after Twilio accepted, callbacks duplicated, shuffled, never sent).

With --real the same faults hit a real deployment's shape instead: a Temporal dev server and a PostgreSQL server the
bench starts itself (initdb from the Debian packages bin/test installs), the service pointed at them with
TEMPORAL_ADDRESS and DATABASE_URL; the bench then plays the supervisor that restarts a killed Temporal server.

Usage: bench/faults.sh [--quick] [--real] [--n N] [--only TEXT]      (build first: mvn -B -q -DskipTests package)
"""
import argparse, concurrent.futures, itertools, os, random, shutil, signal, socket, subprocess, sys, tempfile, threading, time

from service import JAR, ROOT, Service as BaseService, free_port

KEY = "faults-key-0123456789abcdef"
SETTLED = {"READ", "DELIVERED", "ACKNOWLEDGED", "CANCELLED", "FAILED", "UNCONFIRMED", "OPTED_OUT"}


PG_BIN = "/usr/lib/postgresql/15/bin"


def temporal_cli():
    cli = os.environ.get("TEMPORAL_CLI") or os.path.join(ROOT, ".tools", "temporal", "bin", "temporal")
    if not os.path.exists(cli):
        raise SystemExit("no Temporal CLI: run bin/temporal-cli (or set TEMPORAL_CLI)")
    return cli


class RealDeps:
    """A PostgreSQL server and a Temporal dev server of the bench's own, in `work`: what --real points the service at."""

    def __init__(self, work):
        self.work = work
        self.pg_dir = os.path.join(work, "pg")
        self.pg_port, self.temporal_port = free_port(), free_port()
        self.db_file = os.path.join(work, "temporal-real.db")
        self.temporal = None

    def env(self):
        return dict(TEMPORAL_ADDRESS=f"127.0.0.1:{self.temporal_port}", TEMPORAL_REGISTER_SEARCH_ATTRIBUTES="true",
                    DATABASE_URL=f"jdbc:postgresql://127.0.0.1:{self.pg_port}/postgres", DATABASE_USER="postgres",
                    DATABASE_PASSWORD="")

    def _pg(self, *args):
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(as_postgres + list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self):
        os.makedirs(self.pg_dir)
        if os.geteuid() == 0:
            shutil.chown(self.work, "postgres")
            shutil.chown(self.pg_dir, "postgres")
        self._pg(os.path.join(PG_BIN, "initdb"), "-D", self.pg_dir, "-A", "trust", "-U", "postgres")
        self._pg(os.path.join(PG_BIN, "pg_ctl"), "-D", self.pg_dir, "-w", "-o",
                 f"-p {self.pg_port} -k {self.pg_dir} -c listen_addresses=127.0.0.1 -c max_connections=200", "start")
        self.start_temporal()

    def start_temporal(self):
        log = open(os.path.join(self.work, "temporal.log"), "a")
        self.temporal = subprocess.Popen([temporal_cli(), "server", "start-dev", "--ip", "127.0.0.1", "--port",
                                          str(self.temporal_port), "--headless", "--db-filename", self.db_file,
                                          "--log-level", "error"], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.temporal_port)) == 0:
                    time.sleep(1)
                    return
            time.sleep(0.2)
        raise SystemExit("the bench's Temporal dev server did not start in 60 s")

    def kill_temporal(self):
        if self.temporal and self.temporal.poll() is None:
            self.temporal.kill()
            self.temporal.wait()

    def pg_pid(self):
        with open(os.path.join(self.pg_dir, "postmaster.pid")) as f:
            return int(f.readline().strip())

    def stop(self):
        self.kill_temporal()
        try:
            self._pg(os.path.join(PG_BIN, "pg_ctl"), "-D", self.pg_dir, "-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass


class Service(BaseService):
    def __init__(self, work, redis_port, deps=None):
        env = dict(REDIS_URL=f"redis://127.0.0.1:{redis_port}", REDIS_KEY_PREFIX="faults:",
                   REMINDER_READ_TIMEOUT="1m", REMINDER_CONFIRM_TIMEOUT="30s")
        super().__init__(work, KEY, dict(env, **(deps.env() if deps else {})))
        self.deps = deps

    def postgres_pid(self):
        return self.deps.pg_pid() if self.deps else self.pid_file("postgres", "postmaster.pid")

    def temporal_pid(self):
        return self.deps.temporal.pid if self.deps else self.pid_file("temporal", "temporal.pid")


PHONES = itertools.count(random.randint(0, 4_000_000))
PHONES_LOCK = threading.Lock()


def next_phone():
    """A number no other burst of this run uses (scenarios share one instance, and run side by side)."""
    with PHONES_LOCK:
        k = next(PHONES) % 8_000_000
        return "+1415%03d%04d" % (200 + k // 10_000, k % 10_000)


def burst(service, n, due_in):
    due = time.time() + due_in
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(due)) + ".%03dZ" % int((due % 1) * 1000)
    reminders = []
    for i in range(n):
        phone = next_phone()
        status, user = service.call("POST", "/api/users", {"display_name": f"fault {i}", "phone_number": phone,
                                                           "quiet_hours": {"enabled": False}})
        if status == 409:
            continue
        status, reminder = service.call("POST", "/api/reminders", {
            "user_id": user["user_id"], "template_name": "task_reminder", "due_at": stamp,
            "variables": {"task_name": f"fault {i}", "due_time": "now"}})
        if status == 201:
            reminders.append((reminder["reminder_id"], phone))
    return reminders, due


class Watch(threading.Thread):
    """Calls the API while a fault lasts: counts 500s (never acceptable) and 503s (a dependency is down: expected)."""

    def __init__(self, service):
        super().__init__(daemon=True)
        self.service, self.running, self.errors, self.unavailable = service, True, 0, 0

    def run(self):
        while self.running:
            status, _ = self.service.call("GET", "/api/users?limit=1", timeout=15)
            if status >= 500 and status != 503:
                self.errors += 1
            elif status == 503:
                self.unavailable += 1
            time.sleep(0.5)


def settle(service, reminders, timeout):
    """Waits until every reminder has a settled status (the ambiguity grace of a killed send is 2 minutes)."""
    deadline = time.time() + timeout
    states = {}
    while time.time() < deadline:
        states = {}
        for rid, _ in reminders:
            status, body = service.call("GET", f"/api/reminders/{rid}", timeout=10)
            states[rid] = (body["status"], body.get("last_error_code")) if status == 200 and body else ("?", None)
        if all(s in SETTLED for s, _ in states.values()):
            break
        time.sleep(1)
    return states


def count(service, reminders, states):
    """lost: nothing reached the sandbox and the reminder does not say why; ambiguous: a send killed mid-call that the
    service, unable to tell whether Twilio took it, ended UNCONFIRMED (SEND_OUTCOME_UNKNOWN) rather than risk a
    duplicate; twice: more than one message for one reminder."""
    lost = twice = ambiguous = 0
    for rid, phone in reminders:
        status, messages = service.call("GET", "/sandbox/messages?to=" + phone.replace("+", "%2B"))
        sent = len([m for m in (messages or []) if m.get("content_sid") or m.get("body", "").startswith("Reminder")])
        final, code = states.get(rid, ("?", None))
        if final == "UNCONFIRMED" and code == "SEND_OUTCOME_UNKNOWN":
            ambiguous += 1
        elif sent == 0 and final not in ("FAILED", "OPTED_OUT", "CANCELLED"):
            lost += 1
        if sent > 1:
            twice += 1
    stuck = sum(1 for s, _ in states.values() if s not in SETTLED)
    by_status = {}
    for s, _ in states.values():
        by_status[s] = by_status.get(s, 0) + 1
    return lost, twice, stuck, by_status, ambiguous


def sig(pid, name):
    if pid:
        os.kill(pid, getattr(signal, name))


def scenario(name, n, redis_port, inject, hold, shared=None, real=False):
    """One fault on a fresh service (with --real, on fresh dependencies of its own too), or on `shared` (faults that
    leave the service itself alone)."""
    work = tempfile.mkdtemp(prefix="norns-faults-")
    deps = RealDeps(work) if real and not shared else None
    service = shared or Service(work, redis_port, deps)
    try:
        if deps:
            deps.start()
        if not shared:
            service.start()
        reminders, due = burst(service, n, 10)
        watch = Watch(service)
        watch.start()
        inject(service, due, hold, reminders)
        watch.running = False
        states = settle(service, reminders, 300)
        lost, twice, stuck, by_status, ambiguous = count(service, reminders, states)
        return dict(fault=name, scheduled=len(reminders), final=by_status, lost=lost, twice=twice, stuck=stuck,
                    errors=watch.errors, unavailable=watch.unavailable, ambiguous=ambiguous)
    finally:
        if not shared:
            service.stop()
        if deps:
            deps.stop()
        shutil.rmtree(work, ignore_errors=True)


def wait_until(t):
    time.sleep(max(0, t - time.time()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--real", action="store_true", help="a Temporal dev server and PostgreSQL of the bench's own")
    parser.add_argument("--n", type=int, default=0)
    parser.add_argument("--only", default="", help="run only the faults whose name contains this text")
    args = parser.parse_args()
    n = args.n or (20 if args.quick else 100)
    hold = 20 if args.quick else 60
    if not os.path.exists(JAR):
        raise SystemExit("build first: mvn -B -q -DskipTests package")
    redis_port = free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"], stdout=subprocess.DEVNULL)
    state = {"redis": redis}

    def restart_redis():
        state["redis"] = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save",
                                           "", "--appendonly", "no"], stdout=subprocess.DEVNULL)

    def kill_at(offset):
        def inject(service, due, hold_s, reminders):
            wait_until(due + offset)
            service.kill9()
            service.start()
        return inject

    def redis_killed(service, due, hold_s, reminders):
        wait_until(due - 2)
        state["redis"].kill()
        state["redis"].wait()
        time.sleep(hold_s)
        restart_redis()

    def nothing(service, due, hold_s, reminders):
        """The fault is in how the service started (Redis absent): nothing to do meanwhile."""
        wait_until(due + 2)

    def redis_frozen(service, due, hold_s, reminders):
        wait_until(due - 2)
        sig(state["redis"].pid, "SIGSTOP")
        time.sleep(hold_s)
        sig(state["redis"].pid, "SIGCONT")

    def postgres_frozen(service, due, hold_s, reminders):
        wait_until(due - 2)
        pid = service.postgres_pid()
        # The postmaster and every backend: the service's pooled connections freeze too.
        pids = [pid] + [int(p) for p in subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                                                       text=True).stdout.split()]
        for p in pids:
            sig(p, "SIGSTOP")
        time.sleep(hold_s)
        for p in pids:
            sig(p, "SIGCONT")

    def temporal_frozen(service, due, hold_s, reminders):
        wait_until(due - 2)
        pid = service.temporal_pid()
        sig(pid, "SIGSTOP")
        time.sleep(hold_s)
        sig(pid, "SIGCONT")

    def temporal_killed(service, due, hold_s, reminders):
        wait_until(due - 2)
        if service.deps:
            # A server the service does not own: the bench is its supervisor and starts it again after the hold.
            service.deps.kill_temporal()
            time.sleep(hold_s)
            service.deps.start_temporal()
            return
        sig(service.temporal_pid(), "SIGKILL")
        time.sleep(hold_s)

    def temporal_lost(service, due, hold_s, reminders):
        wait_until(due - 4)
        service.stop()
        if service.deps:
            service.deps.kill_temporal()
            os.remove(service.deps.db_file)
            service.deps.start_temporal()
        else:
            os.remove(os.path.join(service.work, "temporal", "temporal.db"))
        service.start({"RECONCILE_AT_START": "true"})

    def twilio_fault(kind, rate):
        """The sandbox fails the way Twilio does (POST /sandbox/faults) for this burst's numbers, then is healed: the
        Twilio faults run side by side on one instance, each on its own numbers."""
        def inject(service, due, hold_s, reminders):
            rules = []
            for _, phone in reminders:
                status, rule = service.call("POST", "/sandbox/faults", {"kind": kind, "rate": rate, "to": phone})
                if status != 201:
                    raise SystemExit(f"the sandbox refused the fault {kind}: HTTP {status}")
                rules.append(rule["id"])
            wait_until(due + hold_s)
            for rule in rules:
                service.call("DELETE", f"/sandbox/faults/{rule}")
        return inject

    faults = [
        ("kill -9 before due", kill_at(-4)),
        ("kill -9 mid-send", kill_at(0.5)),
        ("kill -9 during callbacks", kill_at(2.5)),
        ("Redis killed", redis_killed),
        ("Redis frozen (SIGSTOP)", redis_frozen),
        ("Redis absent at start", nothing),
        (f"PostgreSQL frozen {hold} s", postgres_frozen),
        (f"Temporal server frozen {hold} s", temporal_frozen),
        ("Temporal server killed" + (" (restarted by its supervisor)" if args.real else " (restarted by the service)"),
         temporal_killed),
        ("Temporal state lost, then reconcile", temporal_lost),
    ]
    # Twilio's faults leave the service alone: they share one instance.
    twilio_faults = [
        ("Twilio 429 at 20 %", twilio_fault("429", 0.2)),
        ("Twilio 500 at 20 %", twilio_fault("500", 0.2)),
        ("Twilio 503 at 20 %", twilio_fault("503", 0.2)),
        ("Twilio answer lost after accept (timeout) at 20 %", twilio_fault("timeout", 0.2)),
        ("callbacks duplicated x3", twilio_fault("duplicated", 1.0)),
        ("callbacks shuffled", twilio_fault("shuffled", 1.0)),
        ("callbacks never sent", twilio_fault("never", 1.0)),
    ]
    rows = []
    shared_work = tempfile.mkdtemp(prefix="norns-faults-shared-")
    shared = None
    cleanup = []
    def instance():
        """One service (and with --real its dependencies) for every fault after another: each fault's burst is
        settled and counted on its own before the next; kill -9 and a lost Temporal state restart it in place."""
        nonlocal shared
        if shared is None:
            shared_deps = RealDeps(shared_work) if args.real else None
            if shared_deps:
                shared_deps.start()
                cleanup.append(shared_deps.stop)
            shared = Service(shared_work, redis_port, shared_deps)
            shared.start()
        return shared

    try:
        for name, inject in faults:
            if args.only and args.only.lower() not in name.lower():
                continue
            if name == "Redis absent at start":
                # A service of its own, started pointed at a port nothing listens on.
                row = scenario(name, n, free_port(), inject, hold, None, args.real)
            else:
                row = scenario(name, n, redis_port, inject, hold, instance())
            rows.append(row)
            print_row(row, header=len(rows) == 1)
        chosen = [(name, inject) for name, inject in twilio_faults
                  if not args.only or args.only.lower() in name.lower()]
        if chosen:
            shared = instance()
            with concurrent.futures.ThreadPoolExecutor(len(chosen)) as pool:
                results = list(pool.map(lambda fault: scenario(fault[0], n, redis_port, fault[1], hold, shared),
                                        chosen))
            for row in results:
                rows.append(row)
                print_row(row, header=len(rows) == 1)
    finally:
        if shared:
            shared.stop()
        for stop in cleanup:
            stop()
        shutil.rmtree(shared_work, ignore_errors=True)
        state["redis"].kill()
    failed = [r for r in rows if verdict(r) != "ok"]
    print(f"\n{len(rows) - len(failed)}/{len(rows)} faults met every target (0 lost, 0 sent twice, 0 stuck, no 500)")
    sys.exit(1 if failed else 0)


def verdict(row):
    return "ok" if row["lost"] == 0 and row["twice"] == 0 and row["stuck"] == 0 and row["errors"] == 0 else "MISSED"


def print_row(row, header):
    if header:
        print(f"{'fault':<52} {'sched':>5}  {'final by status':<34} {'lost':>4} {'twice':>5} {'stuck':>5} "
              f"{'ambig':>5} {'500s':>4} {'503s':>4}  verdict")
    final = ", ".join(f"{k} {v}" for k, v in sorted(row["final"].items()))
    print(f"{row['fault']:<52} {row['scheduled']:>5}  {final:<34} {row['lost']:>4} {row['twice']:>5} "
          f"{row['stuck']:>5} {row['ambiguous']:>5} {row['errors']:>4} {row['unavailable']:>4}  {verdict(row)}",
          flush=True)


if __name__ == "__main__":
    main()
