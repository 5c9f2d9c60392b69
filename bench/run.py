#!/usr/bin/env python3
"""The benchmark: each of issue 13's targets measured on the embedded default (the real Temporal dev server, embedded
PostgreSQL, sandbox Twilio) and printed beside its target: scenario | target | measured | ratio | verdict, then the
CPU and memory of the service and of the Temporal server in each scenario. Exits 0 whatever it measured (a benchmark
reports, it does not assert); `short` rows say where the service stands.

Usage: bench/run.sh [--quick] [--keep] [--profile DIR] [--write docs/performance.md]   (build first: mvn -B -q
       -DskipTests package)
  --quick   the everyday run (about 3 minutes): 600-reminder bursts, 6 s of webhooks, 10 s of steady load, 1,000
            pending (the burst beside them is the two instances' one)
  default   the full run: the 10,000-reminder burst, 5 minutes of steady load, 100,000 pending reminders, and the
            uncapped pair again with the sandbox answering in 200 ms, as Twilio does (SANDBOX_LATENCY)
  --keep    keep each instance's folder (service.log, PostgreSQL and Temporal data) and print where it is
  --profile DIR   profile the first instance's JVM over each burst's sending phase with async-profiler (its agent
            taken from Maven, attached with jcmd): DIR/<burst>.html (a flame graph) and .collapsed, and a line on
            stderr with the libraries the CPU went to. JFR is no substitute here: a recording slowed a burst 3-4x.
Each burst also says (stderr) how long its workflows took to start, against the lead it was given.
"""
import argparse, base64, hashlib, hmac, http.client, json, os, platform, re, shutil, subprocess, sys, tempfile
import threading, time, urllib.parse, uuid, zipfile
from concurrent.futures import ThreadPoolExecutor

from service import JAR, ROOT, Service

KEY = "bench-key-0123456789abcdef"
ACCOUNT = "AC" + hashlib.md5(b"norns-bench").hexdigest()
TOKEN = hashlib.sha1(b"norns-bench-token").hexdigest()
CLIENTS = 16
KEEP = False  # --keep: the instances' folders (logs, data) stay for a look afterwards
PROFILE = None  # --profile: (async-profiler's agent library, the folder its output goes to)
ASYNC_PROFILER = "tools.profiler:async-profiler:4.1"


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


class Http:
    """One keep-alive connection per thread, as a real client pool would use."""

    def __init__(self, port):
        self.port, self.local = port, threading.local()

    def request(self, method, path, body=None, headers=None):
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        start = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError):
            self.local.conn = None
            return 0, None, time.perf_counter() - start
        return response.status, data, time.perf_counter() - start

    def api(self, method, path, payload=None):
        status, data, seconds = self.request(method, path, json.dumps(payload) if payload is not None else None,
                                             {"X-API-Key": KEY, "Content-Type": "application/json"})
        return status, (json.loads(data) if data else None), seconds


class Usage:
    """CPU seconds and RSS of the service and its Temporal server over one scenario."""

    def __init__(self, service):
        self.service = service
        self.start, self.t0 = self.sample(), time.time()

    def pids(self):
        return {"service": self.service.proc.pid, "temporal": self.service.pid_file("temporal", "temporal.pid")}

    @staticmethod
    def cpu(pid):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, TypeError, IndexError):
            return 0.0

    @staticmethod
    def rss(pid):
        try:
            with open(f"/proc/{pid}/status") as f:
                return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) // 1024
        except (OSError, TypeError, AttributeError):
            return 0

    def sample(self):
        return {name: self.cpu(pid) for name, pid in self.pids().items()}

    def done(self, scenario):
        end, seconds = self.sample(), max(0.001, time.time() - self.t0)
        pids = self.pids()
        return dict(scenario=scenario, seconds=seconds,
                    **{f"{name}_cpu": 100 * (end[name] - self.start[name]) / seconds for name in end},
                    **{f"{name}_rss": self.rss(pid) for name, pid in pids.items()})


def row(scenario, target, measured, value, goal, higher_is_better=True, unit=""):
    ratio = value / goal if goal else float("nan")
    meets = value >= goal if higher_is_better else value <= goal
    return dict(scenario=scenario, target=target, measured=measured, ratio=ratio, verdict="meets" if meets else "short")


def start_service(work, extra):
    service = Service(work, KEY, dict(SANDBOX_ACCOUNT_SID=ACCOUNT, SANDBOX_AUTH_TOKEN=TOKEN,
                                      REDIS_KEY_PREFIX=f"bench-{uuid.uuid4().hex[:8]}:", REMINDER_READ_TIMEOUT="2m",
                                      REMINDER_CONFIRM_TIMEOUT="2m", **extra), heap="1g")
    service.start()
    return service


def start_beside(service, work, extra):
    """A second instance on the first one's PostgreSQL and Temporal server (no embedded servers of its own; its warm-up
    off: it is measured on dispatch, which it does as a worker)."""
    data = os.path.join(service.work, "postgres")
    with open(os.path.join(data, "postmaster.pid")) as f:
        pg_port = f.read().splitlines()[3].strip()
    with open(os.path.join(data, "norns-password")) as f:
        password = f.read().strip()
    second = Service(work, KEY, dict(SANDBOX_ACCOUNT_SID=ACCOUNT, SANDBOX_AUTH_TOKEN=TOKEN,
                                     REDIS_KEY_PREFIX=service.env["REDIS_KEY_PREFIX"], REMINDER_READ_TIMEOUT="2m",
                                     REMINDER_CONFIRM_TIMEOUT="2m", WARM_UP="false",
                                     DATABASE_URL=f"jdbc:postgresql://127.0.0.1:{pg_port}/postgres",
                                     DATABASE_USER="postgres", DATABASE_PASSWORD=password,
                                     TEMPORAL_ADDRESS=f"127.0.0.1:{service.env['TEMPORAL_EMBEDDED_PORT']}",
                                     TEMPORAL_NAMESPACE="default", **extra), heap="1g")
    second.start()
    return second


class Beside:
    """A second instance beside `service`, started by start() (by the burst it takes part in); close() stops it and
    removes its folder (before the first instance stops: it uses that one's PostgreSQL and Temporal server)."""

    def __init__(self, service, extra, progress):
        self.service, self.extra, self.progress = service, extra, progress
        self.work, self.second = tempfile.mkdtemp(prefix="norns-bench-b-"), None

    def start(self):
        self.progress("starting a second instance beside it" + (f" (its folder kept: {self.work})" if KEEP else ""))
        self.second = start_beside(self.service, self.work, self.extra)
        self.progress("second instance green")

    def close(self):
        if self.second:
            self.second.stop()
            self.second = None
        if not KEEP:
            shutil.rmtree(self.work, ignore_errors=True)


def profiler_agent(into):
    """async-profiler's agent library for this machine, from its Maven artifact (fetched as the build fetches its
    dependencies) unpacked into `into`."""
    arch = {"x86_64": "linux-x64", "aarch64": "linux-arm64"}.get(platform.machine())
    if platform.system() != "Linux" or arch is None:
        raise SystemExit("--profile: async-profiler's agent is taken for Linux on x64 or arm64 only")
    _, artifact, version = ASYNC_PROFILER.split(":")
    subprocess.run(["mvn", "-B", "-q", "dependency:copy", f"-Dartifact={ASYNC_PROFILER}:jar",
                    f"-DoutputDirectory={into}"], check=True)
    jar = os.path.join(into, f"{artifact}-{version}.jar")
    with zipfile.ZipFile(jar) as archive:
        archive.extract(arch + "/libasyncProfiler.so", into)
    return os.path.join(into, arch, "libasyncProfiler.so")


# Where profiled CPU went: each sample counted for the innermost frame of one of these (or the JIT compiler's threads).
OWNERS = [("PostgreSQL driver", "org/postgresql/"), ("JDBI", "org/jdbi/"), ("connection pool", "org/apache/tomcat/"),
          ("Jersey", "org/glassfish/"), ("Jetty", "org/eclipse/jetty/"), ("Temporal SDK", "io/temporal/"),
          ("gRPC", "io/grpc/"), ("twilio-java", "com/twilio/"), ("Jackson", "com/fasterxml/"),
          ("logging", "ch/qos/logback/"), ("metrics", "com/codahale/"), ("JDK HTTP client", "jdk/internal/net/http/"),
          ("Jedis", "redis/clients/"), ("norns-whatsapp", "dev/norns/")]


class Profile:
    """async-profiler on the service's JVM from start to stop() (nothing without --profile)."""

    def __init__(self, service, tag):
        self.service, self.tag = service, tag
        if PROFILE:
            self.agent("start,event=cpu,interval=5ms")

    def agent(self, options):
        # jcmd would read a bare key=value as its own argument: the options go quoted.
        subprocess.run(["jcmd", str(self.service.proc.pid), "JVMTI.agent_load", PROFILE[0], f'"{options}"'],
                       check=True, capture_output=True)

    def stop(self):
        if not PROFILE:
            return
        base = os.path.join(PROFILE[1], self.tag)
        self.agent(f"dump,collapsed,file={base}.collapsed")
        self.agent(f"stop,file={base}.html")
        owners, total = {}, 0
        with open(base + ".collapsed") as f:
            for line in f:
                stack, n = line.rsplit(" ", 1)
                frames, n = stack.split(";"), int(n)
                total += n
                owner = next((name for frame in reversed(frames) for name, prefix in OWNERS
                              if frame.startswith(prefix)), None)
                if owner is None:
                    owner = "JIT compiler" if any("Compile" in frame for frame in frames) else "JDK and JVM"
                owners[owner] = owners.get(owner, 0) + n
        top = sorted(owners.items(), key=lambda item: -item[1])[:8]
        print(f"  {self.tag} profiled: " + ", ".join(f"{name} {100 * n / max(1, total):.0f}%" for name, n in top)
              + f" ({base}.html)", file=sys.stderr)


def signed_form(url, params):
    payload = url + "".join(k + params[k] for k in sorted(params))
    signature = base64.b64encode(hmac.new(TOKEN.encode(), payload.encode(), hashlib.sha1).digest()).decode()
    return urllib.parse.urlencode(params), {"X-Twilio-Signature": signature,
                                            "Content-Type": "application/x-www-form-urlencoded"}


def webhook_load_client():
    """The Go load generator (bench/webhookload), built once into a temporary folder; None without a Go toolchain."""
    if not shutil.which("go"):
        return None
    out = os.path.join(tempfile.mkdtemp(prefix="norns-webhookload-"), "webhookload")
    subprocess.run(["go", "build", "-o", out, "."], cwd=os.path.join(ROOT, "bench", "webhookload"), check=True)
    return out


def webhook_from_cold(service, rate, seconds, loader):
    """Inbound webhooks (signature, dedupe, spool hand-off) at `rate`/s from the moment the health check is green."""
    url = f"http://localhost:{service.port}/whatsapp/webhook"
    t0 = service.healthy_at
    if loader:
        out = subprocess.run([loader, "-url", f"http://127.0.0.1:{service.port}/whatsapp/webhook", "-public", url,
                              "-account", ACCOUNT, "-token", TOKEN, "-rate", str(rate), "-seconds", str(seconds),
                              "-start", repr(t0)], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in out.splitlines()]
        latencies = [float(r[1]) for r in rows if r[2] == "200"]
        failures = [r for r in rows if r[2] != "200"]
        client = "Go client"
    else:
        client = "Python client"
        http_client = Http(service.port)
        latencies, failures = [], []

        def one(i):
            time.sleep(max(0.0, t0 + i / rate - time.time()))
            body, headers = signed_form(url, {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": ACCOUNT,
                                              "From": "whatsapp:+1415777%04d" % (i % 10000),
                                              "To": "whatsapp:+14155238886", "Body": "bench hello %d" % i})
            status, _, took = http_client.request("POST", "/whatsapp/webhook", body, headers)
            (latencies if status == 200 else failures).append(took)

        with ThreadPoolExecutor(24) as pool:
            list(pool.map(one, range(rate * seconds)))
    n = rate * seconds
    achieved = n / max(0.001, time.time() - t0)
    p99 = pct(latencies, 99) * 1000
    return [row("webhook p99 from the first green second", f"<= 25 ms at {rate} req/s",
                f"p99 {p99:.1f} ms, p50 {pct(latencies, 50) * 1000:.1f} ms, {achieved:.0f} req/s, "
                f"{len(failures)} failed ({client})", p99, 25, higher_is_better=False)]


def compile_bare_loop():
    """bench/BareSendLoop.java compiled into a temporary folder (its class path with the service jar's)."""
    out = tempfile.mkdtemp(prefix="norns-bare-loop-")
    subprocess.run(["javac", "-cp", JAR, "-d", out, os.path.join(ROOT, "bench", "BareSendLoop.java")], check=True,
                   capture_output=True)
    return out


def create_users(client, count, prefix):
    def one(i):
        status, body, _ = client.api("POST", "/api/users", {"display_name": f"bench {prefix} {i}",
                                                           "phone_number": "+1%d" % (prefix + i),
                                                           # the bench runs at any hour: no quiet hours
                                                           "quiet_hours": {"enabled": False}})
        if status != 201:
            raise SystemExit(f"creating a user answered {status}: {body}")
        return body["user_id"]

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(one, range(count)))


def create_reminders(client, users, dues, names):
    """Reminders through the API, CLIENTS at once; returns when each answered (seconds since the first was sent)."""
    start = time.time()

    def one(i):
        status, body, _ = client.api("POST", "/api/reminders", {
            "user_id": users[i % len(users)], "template_name": "task_reminder", "due_at": iso(dues[i]),
            "variables": {"task_name": names[i], "due_time": "now"}})
        if status != 201:
            raise SystemExit(f"creating a reminder answered {status}: {body}")
        return time.time() - start

    with ThreadPoolExecutor(CLIENTS) as pool:
        return sorted(pool.map(one, range(len(dues))))


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03dZ" % int((t % 1) * 1000)


def sends(service, like):
    """Epoch seconds of every sandbox send whose variables mention `like`."""
    return sorted(float(r[0]) for r in service.sql(
        "SELECT extract(epoch FROM created_at) FROM sandbox_messages WHERE content_variables LIKE '%" + like + "%'"))


def wait_for_sends(service, like, n, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        count = int(service.sql("SELECT count(*) FROM sandbox_messages WHERE content_variables LIKE '%"
                                + like + "%'")[0][0])
        if count >= n:
            return True
        time.sleep(0.25)
    return False


# The dev server starts 60-110 workflows a second here once warm; about 50 in a cold JVM's first minute, or with a
# second instance beside the first (3,000 took 52/s in one full run): the bench assumes 50.
STARTS_PER_SECOND = 50
LEAD_MARGIN = 3  # seconds past the starts, for the last ones' sends to be queued


def lead(n):
    """How long before n reminders created now fall due: long enough for every workflow to start and queue its send,
    as for reminders set the day before. The bench checks it held (unstarted())."""
    return n / STARTS_PER_SECOND + LEAD_MARGIN


def unstarted(service, like):
    """How many reminders whose task name starts with `like` and that fall due within half a second have no workflow."""
    return int(service.sql("SELECT count(*) FROM reminders WHERE workflow_start_at IS NOT NULL "
                           "AND due_at <= now() + interval '0.5 seconds' "
                           "AND variables->>'task_name' LIKE '" + like + "%'")[0][0])


class StartWatch:
    """Watches, on a thread of its own, when the last of n reminders whose task name starts with `like` had its
    workflow started (polled every second until `until`): how much of the bench's lead the starts used."""

    def __init__(self, service, like, n, until):
        self.service, self.like, self.n, self.until, self.done = service, like, n, until, None
        self.thread = threading.Thread(target=self.watch, daemon=True)
        self.thread.start()

    def watch(self):
        while time.time() < self.until:
            time.sleep(1)
            started = int(self.service.sql("SELECT count(*) FROM reminders WHERE workflow_start_at IS NULL "
                                           "AND variables->>'task_name' LIKE '" + self.like + "%'")[0][0])
            if started >= self.n:
                self.done = time.time()
                return

    def report(self, name, created, due):
        """Waits for the watch to end, then says (stderr) when the last workflow started, beside the lead (`created` to
        `due`), or that some had not started by `due`."""
        self.thread.join()
        if self.done:
            print(f"  {name}: all {self.n} workflows started {self.done - created:.1f} s after the first reminder was "
                  f"created (lead {due - created:.0f} s)", file=sys.stderr)
        else:
            print(f"  {name}: some of the {self.n} workflows were not started by the due time", file=sys.stderr)


def await_due(service, like, due, n):
    """Sleeps until `due`, then says (stderr) if some of the n reminders due by then had no workflow yet: their sends
    were then late because of the bench's lead, not the dispatch, and the figures understate it."""
    time.sleep(max(0.0, due - time.time() - 0.5))
    late = unstarted(service, like)
    time.sleep(max(0.0, due - time.time()))
    if late:
        print(f"  note: {late} of {n} reminders '{like}*' had no workflow 0.5 s before they fell due "
              f"(the lead was short)", file=sys.stderr)


def burst(service, client, users, n, mps, tag, beside=None):
    """n reminders due at one instant (created by 16 clients); the sends counted per second in the sandbox. They fall
    due lead(n) after the first is created. `beside` (a Beside) is started first: booting it beside the workflow
    starts slowed both (the second instance green 14-29 s later instead of 4-10 s)."""
    if beside:
        beside.start()
    created = time.time()
    due = created + lead(n)
    watch = StartWatch(service, tag + "-", n, due)
    answered = create_reminders(client, users, [due] * n, [f"{tag}-{i}" for i in range(n)])
    if time.time() > due:
        print(f"  note: scheduling {n} reminders took {answered[-1]:.0f} s, past their due time", file=sys.stderr)
    await_due(service, tag + "-", due, n)
    profile = Profile(service, tag)
    watch.report(tag, created, due)
    wait_for_sends(service, tag + "-", n, n / (mps * 0.5) + 120)
    profile.stop()
    times = sends(service, tag + "-")
    per_second = {}
    for t in times:
        per_second[int(t)] = per_second.get(int(t), 0) + 1
    last = times[-1] if times else due
    check_stamps(service, per_second)
    rate = len(times) / max(0.001, last - due)
    lateness = [t - due for t in times]
    return dict(n=n, sent=len(times), rate=rate, max_second=max(per_second.values()) if per_second else 0,
                p50=pct(lateness, 50), p99=pct(lateness, 99))


def timed_burst(usage, label, service, client, users, n, mps, tag, beside=None):
    """A burst (above) with the service's and its Temporal server's CPU and memory over it, added to `usage` as
    `label`."""
    u = Usage(service)
    b = burst(service, client, users, n, mps, tag, beside=beside)
    usage.append(u.done(label))
    return b


def check_stamps(service, per_second):
    """Says (stderr) if the sandbox stamped more arrivals in some second than the service had sends in flight in it
    (send_flight: each send from passing its rate gate to its answer, on the database's clock): an arrival stamped
    outside its send's flight is a measurement error, and the sends-per-second rows would be wrong."""
    if not per_second:
        return
    # Seconds before the oldest flight kept (the service forgets them 10 minutes after they landed) are not checked.
    rows = service.sql(
        "SELECT extract(epoch FROM s)::bigint, count(f.id) FROM generate_series(greatest(to_timestamp(%d), "
        "(SELECT date_trunc('second', min(granted_at)) FROM send_flight)), to_timestamp(%d), interval '1 second') s "
        "LEFT JOIN send_flight f ON f.granted_at < s + interval '1 second' "
        "AND coalesce(f.landed_by, now()) >= s GROUP BY s" % (min(per_second), max(per_second)))
    in_flight = {int(second): int(n) for second, n in rows}
    outside = {second: n - in_flight[second] for second, n in per_second.items()
               if second in in_flight and n > in_flight[second]}
    if outside:
        print(f"  note: the sandbox stamped arrivals outside their sends' flights (second: how many more than in "
              f"flight): {outside}", file=sys.stderr)


def steady(service, client, users, per_second, seconds):
    """per_second reminders falling due every second for `seconds`; lateness of each from the sandbox."""
    n = per_second * seconds
    # Like a burst's, the lead covers creating them all (at the scheduling target, 200/s) and starting every workflow,
    # as for reminders set ahead: the row measures what happens at the due times. (A lead for the first 5 seconds'
    # worth alone, counting on the starter to stay ahead, held on a fast machine and not on a slow one: p99 24.5 s
    # with the starts running beside the sends.)
    created = time.time()
    start = created + n / 200 + lead(n)
    watch = StartWatch(service, "steady-", n, start)
    dues = [start + i / per_second for i in range(n)]
    create_reminders(client, users, dues, [f"steady-{i}-" for i in range(n)])
    await_due(service, "steady-", start, n)
    watch.report("steady", created, start)
    time.sleep(max(0.0, dues[-1] - time.time()))
    wait_for_sends(service, "steady-", n, 120)
    rows = service.sql("SELECT content_variables, extract(epoch FROM created_at) FROM sandbox_messages "
                       "WHERE content_variables LIKE '%steady-%'")
    lateness = []
    for variables, at in rows:
        i = int(re.search(r"steady-(\d+)-", variables).group(1))
        lateness.append(float(at) - dues[i])
    p99 = pct(lateness, 99)
    return [row(f"steady: {per_second}/s falling due for {seconds} s", "lateness p99 <= 1 s",
                f"p99 {p99:.2f} s, p50 {pct(lateness, 50):.2f} s, {len(lateness)}/{n} sent", p99, 1.0,
                higher_is_better=False)]


def settle(service, quiet=0.25, at_most=180):
    """Waits until the service and its Temporal server together use under `quiet` of a core over a second (at most
    `at_most` seconds): what a burst left behind (status callbacks, workflow tasks) is done. Returns the seconds waited."""
    usage, began = Usage(service), time.time()
    last = usage.sample()
    while time.time() - began < at_most:
        time.sleep(1)
        now = usage.sample()
        if sum(now.values()) - sum(last.values()) < quiet:
            break
        last = now
    return time.time() - began


def heap_after_gc(service):
    subprocess.run(["jcmd", str(service.proc.pid), "GC.run"], capture_output=True)
    out = subprocess.run(["jcmd", str(service.proc.pid), "GC.heap_info"], capture_output=True, text=True).stdout
    # The heap's spaces, summed: one line under G1, a young and an old generation under the parallel or serial
    # collector (Metaspace's lines carry no "total").
    used = [int(k) for k in re.findall(r"total \d+K, used (\d+)K", out)]
    return sum(used) / 1024 if used else float("nan")


LATENCY = "200ms"
LATENCY_THREADS = 16  # REMINDER_DISPATCH_THREADS of both instances: set, so the row says what they ran with
LATENCY_INSTANCE = {"TWILIO_SENDER_MPS": "1000", "SANDBOX_LATENCY": LATENCY,
                    "REMINDER_DISPATCH_THREADS": str(LATENCY_THREADS)}  # both instances of the latency pair


def latency_pair(service, beside, n, usage, progress):
    """The pair again, with each instance's sandbox taking Twilio's time to answer a send (SANDBOX_LATENCY): an
    instance is then bound by its sends in flight (REMINDER_DISPATCH_THREADS), as against Twilio, instead of by the
    cores that the instant sandbox lets it fill. Both instances are warmed by an untimed pair burst of n; the pair
    is timed, then this instance alone (the second stopped). The same cap out of the way (MPS 1000)."""
    client = Http(service.port)
    users = create_users(client, n, 4154000000)
    second = beside(LATENCY_INSTANCE)
    burst(service, client, users, n, 1000, "latencywarm", beside=second)
    progress(f"settled in {settle(service):.0f} s")
    b2 = timed_burst(usage, f"burst of {n}, {LATENCY} latency, two instances (first one's figures)",
                     service, client, users, n, 1000, "latencypair")
    second.close()
    progress("second instance stopped")
    progress(f"settled in {settle(service):.0f} s")
    b = timed_burst(usage, f"burst of {n}, {LATENCY} latency", service, client, users, n, 1000, "latencyalone")
    return row(f"two instances, MPS raised, {LATENCY} answers", ">= 1.6 x one",
               f"{b2['rate']:.0f}/s vs one {b['rate']:.0f}/s = {b2['rate'] / b['rate']:.2f} x "
               f"({LATENCY_THREADS} sends in flight each)", b2["rate"] / b["rate"], 1.6)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--write", help="write the results as markdown to this file (the full run: docs/performance.md)")
    parser.add_argument("--keep", action="store_true", help="keep each instance's folder (its log, PostgreSQL and "
                        "Temporal data) and print where it is")
    parser.add_argument("--pending", type=int, default=None, help="pending reminders for the held-set scenario")
    parser.add_argument("--profile", metavar="DIR", help="profile each burst's sending phase with async-profiler "
                        "into DIR (<burst>.html, <burst>.collapsed)")
    args = parser.parse_args()
    global KEEP, PROFILE
    KEEP = args.keep
    if args.profile:
        os.makedirs(args.profile, exist_ok=True)
        PROFILE = (profiler_agent(os.path.abspath(args.profile)), os.path.abspath(args.profile))
    if not os.path.exists(JAR):
        raise SystemExit("build first: mvn -B -q -DskipTests package")
    quick = args.quick
    burst_n = 600 if quick else 10000
    steady_s = 10 if quick else 300
    pending = args.pending if args.pending is not None else (1000 if quick else 100000)
    mps = 80
    results, usage = [], []
    began = time.time()

    def progress(what):
        print(f"bench: +{time.time() - began:5.0f} s  {what}", file=sys.stderr, flush=True)

    stopping = []

    def scenario(extra, body, stop_behind=False):
        """Runs body(service, beside) on a new instance; beside(extra) makes a Beside that is closed before the
        instance stops. stop_behind: stopped on a thread of its own while the bench goes on (joined at the end)."""
        work = tempfile.mkdtemp(prefix="norns-bench-")
        progress("starting an instance " + (" ".join(f"{k}={v}" for k, v in extra.items()) or "(defaults)"))
        service = start_service(work, extra)
        progress("green")
        besides = []

        def beside(beside_extra):
            besides.append(Beside(service, beside_extra, progress))
            return besides[-1]

        def stop():
            for b in besides:
                b.close()
            service.stop()
            if not KEEP:
                shutil.rmtree(work, ignore_errors=True)
            progress("stopped" + (f" (its folder kept: {work})" if KEEP else ""))

        try:
            return body(service, beside)
        finally:
            if stop_behind:
                stopping.append(threading.Thread(target=stop))
                stopping[-1].start()
            else:
                stop()

    # Built before the first instance starts (its warm-up is timed by the health check), side by side.
    with ThreadPoolExecutor(1) as compiling:
        bare_classes = compiling.submit(compile_bare_loop)
        loader = webhook_load_client()
        bare_classes = bare_classes.result()

    # 1. One instance with the cap out of the way (MPS 1000), with its warm-up (the default): webhooks from its first
    #    green second, a bare twilio-java loop on the same sandbox, an uncapped burst with a second instance, then the
    #    same burst on this instance alone, which the end-to-end row sets against the bare loop.
    def uncapped(service, beside):
        u = Usage(service)
        webhook = webhook_from_cold(service, 300, 6 if quick else 10, loader)
        usage.append(u.done("webhook from cold"))
        progress("webhook row done")
        client = Http(service.port)
        n = 600 if quick else 3000
        users = create_users(client, n, 4153000000)
        # The yardstick first, on a machine as quiet as a burst starts on (the webhooks' processing done): a bare
        # twilio-java loop sending to the sandbox inside the service, timed after an untimed pass of n / 2 sends. The
        # service's own untimed pass is the pair's burst: after 300 (the quick run) its JIT compilers still take about
        # a fifth of its CPU (--profile; docs/performance.md has the bursts of a fresh JVM).
        progress(f"settled in {settle(service):.0f} s")
        out = subprocess.run(["java", "-cp", JAR + os.pathsep + bare_classes, "BareSendLoop",
                              f"http://127.0.0.1:{service.port}", ACCOUNT, TOKEN, str(n), str(CLIENTS), str(n // 2)],
                             capture_output=True, text=True)
        m = re.search(r"sent (\d+) in ([\d.]+) s", out.stdout)
        if m and int(m.group(1)) == 0:
            m = None
        if not m:
            raise SystemExit("the bare loop failed: " + out.stdout + out.stderr)
        bare = int(m.group(1)) / float(m.group(2))
        progress("bare loop done")
        # Two instances first (the second started, green, before the burst is scheduled), then this one alone: its
        # send path compiled by then, as the bare loop's was when it was timed.
        # The quick run's pair burst is half as large: the row sets rates against each other, and the pair's is short
        # on 2 cores in any case.
        pair_n = n // 2 if quick else n
        second = beside({"TWILIO_SENDER_MPS": "1000"})
        b2 = timed_burst(usage, f"uncapped burst of {pair_n}, two instances (first one's figures)",
                         service, client, users, pair_n, 1000, "pairuncapped", beside=second)
        # Stopped while the next burst's reminders are created and started (a stopping instance needs little CPU).
        closing = threading.Thread(target=second.close)
        closing.start()
        # What the pair's burst leaves behind (status callbacks, workflow tasks) would slow the next burst's starts:
        # 274 of 3,000 reminders had no workflow at their due time without this wait in a full run, and 63 of 600 in
        # a quick one on a slow machine. The quick run waits 5 s at most: its pair of 300 leaves less (one instance alone
        # was busy for 7 s after an uncapped 300), and the rest is done within the next lead (the 600 then started in
        # 8.7-9.8 s of their 15 s in three quick runs; 6.6-11.8 s with a 10 s wait).
        progress(f"settled in {settle(service, at_most=5 if quick else 180):.0f} s")
        b = timed_burst(usage, f"uncapped burst of {n}", service, client, users, n, 1000, "alone")
        closing.join()
        progress("second instance stopped")
        e2e = row("end to end vs a bare twilio-java loop (uncapped)", ">= 0.5 x bare",
                  f"{b['rate']:.0f}/s vs bare {bare:.0f}/s = {b['rate'] / bare:.2f} x "
                  f"(warmed: service {pair_n}, bare {n // 2} sends)",
                  b["rate"] / bare, 0.5)
        progress("uncapped burst done")
        pair = row("two instances, MPS raised: dispatch vs one", ">= 1.6 x one",
                   f"{b2['rate']:.0f}/s vs one {b['rate']:.0f}/s = {b2['rate'] / b['rate']:.2f} x "
                   f"(both on these {os.cpu_count()} cores)", b2["rate"] / b["rate"], 1.6)
        return webhook, e2e, pair

    webhook, e2e, pair = scenario({"TWILIO_SENDER_MPS": "1000"}, uncapped, stop_behind=True)

    # 2. One instance at 80 msg/s: the burst at the sender's limit, steady load, the pending set (the first 1,000 of
    #    them time the scheduling), then a second instance beside it. It starts without the warm-up, which compiles the
    #    webhook and API paths (measured on the first instance, and here once the burst has run them), not dispatch.
    def at_mps(service, beside):
        client = Http(service.port)
        users = create_users(client, burst_n, 4152000000)
        progress(f"{burst_n:,} users created")
        b = timed_burst(usage, f"the burst of {burst_n}", service, client, users, burst_n, mps, "burst")
        results.append(row(f"burst: {burst_n:,} due at once, MPS {mps}", f">= {0.9 * mps:.0f}/s",
                           f"{b['rate']:.1f}/s, {b['sent']}/{burst_n} sent", b["rate"], 0.9 * mps))
        results.append(row("burst: sends in any one second", f"<= {mps}", f"max {b['max_second']}",
                           b["max_second"], mps, higher_is_better=False))
        bound = burst_n / (0.9 * mps) + 5
        results.append(row("burst: lateness p99", f"<= {bound:.0f} s", f"p99 {b['p99']:.1f} s, p50 {b['p50']:.1f} s",
                           b["p99"], bound, higher_is_better=False))
        progress("burst done")
        u = Usage(service)
        results.extend(steady(service, client, users, 50, steady_s))
        usage.append(u.done(f"steady 50/s for {steady_s} s"))
        progress("steady load done")
        u = Usage(service)
        far = time.time() + 7 * 86400
        answered = create_reminders(client, users, [far] * pending, [f"pending-{i}" for i in range(pending)])
        took, first = answered[-1], answered[:1000]
        scheduling = len(first) / max(0.001, first[-1])
        results.insert(0, row(f"scheduling: {len(first):,} reminders, {CLIENTS} clients", ">= 200/s",
                              f"{scheduling:.0f}/s ({first[-1]:.1f} s)", scheduling, 200))
        heap = heap_after_gc(service)
        results.append(row(f"{pending:,} pending reminders (due next week)", "<= 512 MB worker heap",
                           f"{heap:.0f} MB heap after GC (created in {took:.0f} s)", heap, 512,
                           higher_is_better=False))
        usage.append(u.done(f"{pending:,} pending"))
        progress(f"{pending:,} pending created")
        if not quick:
            b2 = timed_burst(usage, f"burst of {burst_n} beside the pending set",
                             service, client, users, burst_n, mps, "heldburst")
            results.append(row(f"burst beside {pending:,} pending", f">= {0.9 * b['rate']:.1f}/s (0.9 x alone)",
                               f"{b2['rate']:.1f}/s, p99 {b2['p99']:.1f} s", b2["rate"], 0.9 * b["rate"]))
        # A second instance beside this one (same PostgreSQL and Temporal server, same cap): together at most MPS.
        # In the quick run this burst is also the one beside the pending set.
        second = beside({"TWILIO_SENDER_MPS": str(mps)})
        b2 = timed_burst(usage, f"burst of {burst_n}, two instances (first one's figures)",
                         service, client, users, burst_n, mps, "pairburst", beside=second)
        results.append(row(f"two instances, MPS {mps}: sends in any one second", f"<= {mps} together",
                           f"max {b2['max_second']}, {b2['rate']:.1f}/s, {b2['sent']}/{burst_n} sent",
                           b2["max_second"], mps, higher_is_better=False))
        if quick:
            results.append(row(f"burst beside {pending:,} pending (two instances)",
                               f">= {0.9 * b['rate']:.1f}/s (0.9 x alone)", f"{b2['rate']:.1f}/s, p99 "
                               f"{b2['p99']:.1f} s", b2["rate"], 0.9 * b["rate"]))

    scenario({"TWILIO_SENDER_MPS": str(mps), "WARM_UP": "false"}, at_mps)
    # 3. The full run only: the uncapped pair with the sandbox answering as slowly as Twilio does.
    latency = None
    if not quick:
        latency = scenario(dict(LATENCY_INSTANCE, WARM_UP="false"),
                           lambda service, beside: latency_pair(service, beside, 3000, usage, progress))
    for thread in stopping:
        thread.join()
    shutil.rmtree(bare_classes, ignore_errors=True)
    results[:0] = webhook
    results.extend([e2e, pair] + ([latency] if latency else []))

    lines = table(results, usage, time.time() - began, quick)
    print("\n".join(lines))
    if args.write:
        with open(args.write, "w") as f:
            f.write(markdown(lines, quick))


def table(results, usage, seconds, quick):
    lines = [f"{'scenario':<48} {'target':<28} {'measured':<56} {'ratio':>6}  verdict", "-" * 150]
    for r in results:
        ratio = "" if r["ratio"] != r["ratio"] else f"{r['ratio']:.2f}"
        lines.append(f"{r['scenario']:<48} {r['target']:<28} {r['measured']:<56} {ratio:>6}  {r['verdict']}")
    lines += ["", f"{'scenario':<48} {'seconds':>8} {'service CPU':>12} {'service RSS':>12} {'Temporal CPU':>13} "
                  f"{'Temporal RSS':>13}", "-" * 112]
    for u in usage:
        lines.append(f"{u['scenario']:<48} {u['seconds']:>8.0f} {u['service_cpu']:>11.0f}% {u['service_rss']:>9} MiB "
                     f"{u['temporal_cpu']:>12.0f}% {u['temporal_rss']:>10} MiB")
    lines.append("")
    lines.append(f"{'quick' if quick else 'full'} run in {seconds / 60:.1f} min on {os.cpu_count()} cores "
                 f"(CPU % is of one core)")
    return lines


def markdown(lines, quick):
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = re.search(r"model name\s*:\s*(.*)", f.read()).group(1)
    except (OSError, AttributeError):
        pass
    with open("/proc/meminfo") as f:
        mem = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1)) // (1024 * 1024)
    command = " ".join(["bench/run.sh"] + sys.argv[1:])
    return "\n".join([
        "# Performance", "",
        f"The last {'quick' if quick else 'full'} run of `{command}` on {time.strftime('%Y-%m-%d')}: "
        f"{os.cpu_count()} cores ({cpu}), {mem} GiB, {platform.system()} {platform.release()}, Java "
        + subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.split('"')[1] + ".", "",
        "```", *lines, "```", ""])


if __name__ == "__main__":
    main()
