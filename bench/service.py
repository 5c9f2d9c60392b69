"""The service under test for the bench scripts: started from the built jar on its embedded default (sandbox Twilio,
the embedded Temporal dev server and PostgreSQL) in a private work folder, on free ports."""
import json, os, random, signal, socket, subprocess, threading, time
import urllib.request, urllib.error

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "server", "target", "norns-whatsapp.jar")
SQL_END = "--norns-bench-end--"  # printed by psql after each query's rows


def free_port():
    while True:
        port = random.randint(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                pass


class Service:
    def __init__(self, work, key, env=None, heap="512m"):
        self.work, self.key, self.heap = work, key, heap
        self.port, self.admin = free_port(), free_port()
        self.env = dict(os.environ, NORNS_API_KEY=key, PORT=str(self.port), ADMIN_PORT=str(self.admin),
                        TEMPORAL_EMBEDDED_PORT=str(free_port()), TEMPORAL_UI_PORT="off",
                        TEMPORAL_DATA_DIR=os.path.join(work, "temporal"),
                        EMBEDDED_POSTGRES_DIR=os.path.join(work, "postgres"),
                        INBOUND_SPOOL_DIR=os.path.join(work, "spool"), **(env or {}))
        self.proc = None
        self.healthy_at = None
        self._psql, self._sql_lock = None, threading.Lock()

    def start(self, extra=None):
        env = dict(self.env, **(extra or {}))
        log = open(os.path.join(self.work, "service.log"), "a")
        self.proc = subprocess.Popen(["java", f"-Xmx{self.heap}", "-jar", JAR, "server",
                                      os.path.join(ROOT, "config.yml")],
                                     cwd=self.work, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 90
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("the service exited at start; see " + os.path.join(self.work, "service.log"))
            if self.healthy():
                self.healthy_at = time.time()
                return
            time.sleep(0.05)
        raise SystemExit("the service was not healthy in 90 s")

    def healthy(self):
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{self.admin}/healthcheck", timeout=2).status == 200
        except Exception:
            return False

    def kill9(self):
        self.close_sql()
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.close_sql()
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def call(self, method, path, body=None, timeout=30):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                         headers={"X-API-Key": self.key, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, None
        except Exception:
            return 0, None

    def pid_file(self, *parts):
        try:
            with open(os.path.join(self.work, *parts)) as f:
                return int(f.readline().strip())
        except (OSError, ValueError):
            return None

    def sql(self, query):
        """One query against the embedded PostgreSQL, on one psql session kept open (the password the service keeps in
        its data folder). A psql started per query cost the machine about 40 ms of CPU (its start, a connection and a
        backend forked for it): polled four times a second during a burst, that was 7% of 2 cores taken from the
        service under test and not from the bare loop it is set against. Raises RuntimeError when the query fails."""
        with self._sql_lock:
            if self._psql is None or self._psql.poll() is not None:
                self._psql = self._open_psql()
            psql = self._psql
            psql.stdin.write(query.strip().rstrip(";") + ";\n\\echo " + SQL_END + "\n")
            psql.stdin.flush()
            rows = []
            while True:
                line = psql.stdout.readline()
                if line == "":
                    self._psql = None
                    psql.wait()
                    with open(self._psql_log) as log:
                        raise RuntimeError(f"psql: {query}: {log.read()[-2000:].strip()}")
                line = line.rstrip("\n")
                if line == SQL_END:
                    return rows
                if line:
                    rows.append(line.split("\t"))

    def _open_psql(self):
        data = os.path.join(self.work, "postgres")
        with open(os.path.join(data, "postmaster.pid")) as f:
            port = f.read().splitlines()[3].strip()
        with open(os.path.join(data, "norns-password")) as f:
            password = f.read().strip()
        # -X: no ~/.psqlrc; -q: no command tags; ON_ERROR_STOP: a failed query ends the session, which says why (in a
        # file, which no notice can fill as it could a pipe nobody reads).
        self._psql_log = os.path.join(self.work, "psql.log")
        with open(self._psql_log, "w") as log:
            return subprocess.Popen(["psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "postgres",
                                     "-AtqX", "-F", "\t", "-v", "ON_ERROR_STOP=1"],
                                    env=dict(os.environ, PGPASSWORD=password), stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=log, text=True)

    def close_sql(self):
        """Ends the psql session (before the database stops)."""
        with self._sql_lock:
            if self._psql is not None:
                self._psql.stdin.close()
                try:
                    self._psql.wait(5)
                except subprocess.TimeoutExpired:
                    self._psql.kill()
                self._psql = None
