#!/usr/bin/env bash
# Benchmark: N reminders due at the same instant on the embedded default (sandbox Twilio, the embedded Temporal dev
# server and PostgreSQL). Prints due->sent lateness percentiles, send throughput, webhook latency, memory of the
# service and of the Temporal server. JAR and CONFIG choose another build (e.g. an older commit's) to compare.
# Usage: bench/reminders.sh [N=200] [lead seconds, default 20 + N/2: every reminder must exist before it is due]   (build first: mvn -B -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
LEAD=${2:-$((20 + N / 2))}
JAR=${JAR:-server/target/norns-whatsapp.jar}
CONFIG=${CONFIG:-config.yml}
[ -f "$JAR" ] || { echo "build first: mvn -B -q -DskipTests package"; exit 1; }
WORK=$(mktemp -d)
PORT=18080 ADMIN=18081 TPORT=17233
export NORNS_API_KEY=bench-key-0123456789 PORT ADMIN_PORT=$ADMIN TEMPORAL_EMBEDDED_PORT=$TPORT TWILIO_SENDER_MPS=${MPS:-80} \
  EMBEDDED_POSTGRES_DIR="$WORK/postgres" INBOUND_SPOOL_DIR="$WORK/spool" REDIS_KEY_PREFIX="bench-$$:" \
  REMINDER_READ_TIMEOUT=1m TEMPORAL_DATA_DIR="$WORK/temporal" TEMPORAL_UI_PORT=off
java -Xmx1g -jar "$JAR" server "$CONFIG" > "$WORK/service.log" 2>&1 &
PID=$!
trap 'rc=$?; kill $PID 2>/dev/null; wait $PID 2>/dev/null || true; rm -rf "$WORK"; exit $rc' EXIT
START=$(date +%s.%N)
until curl -sf "http://localhost:$ADMIN/healthcheck" >/dev/null 2>&1; do
  sleep 0.2
  kill -0 $PID 2>/dev/null || { cat "$WORK/service.log"; exit 1; }
done
READY=$(date +%s.%N)
API=http://localhost:$PORT
H=(-H "X-API-Key: bench-key-0123456789" -H 'Content-Type: application/json')
DUE=$(date -u -d "+$LEAD seconds" +%Y-%m-%dT%H:%M:%SZ)
: > "$WORK/ids"
for i in $(seq 1 "$N"); do
  U=$(curl -sf -X POST "$API/api/users" "${H[@]}" -d "{\"display_name\":\"bench $i\",\"phone_number\":\"+1415555$(printf %04d "$i")\",\"quiet_hours\":{\"enabled\":false}}" | sed -E 's/.*"user_id":"([^"]+)".*/\1/')
  curl -sf -X POST "$API/api/reminders" "${H[@]}" -d "{\"user_id\":\"$U\",\"template_name\":\"task_reminder\",\"variables\":{\"task_name\":\"t$i\",\"due_time\":\"now\"},\"due_at\":\"$DUE\"}" \
    | sed -E 's/.*"reminder_id":"([^"]+)".*/\1/' >> "$WORK/ids"
done
SCHEDULED=$(date +%s.%N)
if [ "$(date +%s)" -ge "$(date -u -d "$DUE" +%s)" ]; then
  echo "scheduling outran the due time: give a longer lead (second argument)"; exit 1
fi
echo "scheduled $N reminders due $DUE (scheduling took $(python3 -c "print(round($SCHEDULED-$READY,1))") s)"
DUE_EPOCH=$(date -u -d "$DUE" +%s)
while [ "$(date +%s)" -lt $((DUE_EPOCH + 5)) ]; do sleep 1; done
for _ in $(seq 1 120); do
  PENDING=$(curl -sf "$API/api/reminders?status=SCHEDULED&limit=1000" "${H[@]}" | grep -o reminder_id | wc -l || true)
  SENDING=$(curl -sf "$API/api/reminders?status=SENDING&limit=1000" "${H[@]}" | grep -o reminder_id | wc -l || true)
  [ "$PENDING" -eq 0 ] && [ "$SENDING" -eq 0 ] && break
  sleep 1
done
curl -sf "$API/api/reminders?limit=1000" "${H[@]}" > "$WORK/reminders.json"
curl -sf "http://localhost:$ADMIN/prometheus" > "$WORK/metrics.txt"
RSS=$(ps -o rss= -p $PID)
TRSS=0
[ -f "$WORK/temporal/temporal.pid" ] && TRSS=$(ps -o rss= -p "$(cat "$WORK/temporal/temporal.pid")" || echo 0)
python3 - "$WORK/reminders.json" "$WORK/metrics.txt" "$N" "$READY" "$START" "$RSS" "$TRSS" "$SCHEDULED" <<'PY'
import json, sys, re
from datetime import datetime
rows = json.load(open(sys.argv[1])); n = int(sys.argv[3])
def t(s): return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
sent = [r for r in rows if r.get("sent_at")]
late = sorted(t(r["sent_at"]) - t(r["due_at"]) for r in sent)
def pct(p): return late[min(len(late) - 1, int(round(p / 100 * (len(late) - 1))))] if late else float("nan")
span = (max(t(r["sent_at"]) for r in sent) - min(t(r["due_at"]) for r in sent)) if sent else float("nan")
metrics = open(sys.argv[2]).read()
def m(name):
    return sum(float(v) for v in re.findall(r'(?m)^' + re.escape(name) + r'(?:\{[^}]*\})? ([0-9.eE+-]+)$', metrics))
wc, ws = m("whatsapp_webhook_seconds_count"), m("whatsapp_webhook_seconds_sum")
heap = m("jvm_memory_used_bytes") / 2**20
statuses = {}
for r in rows: statuses[r["status"]] = statuses.get(r["status"], 0) + 1
print(f"startup to healthy:        {float(sys.argv[4]) - float(sys.argv[5]):.1f} s")
print(f"reminders sent:            {len(sent)}/{n}   statuses: {statuses}")
print(f"due -> sent lateness:      p50 {pct(50):.2f} s   p95 {pct(95):.2f} s   max {pct(100):.2f} s")
print(f"send throughput:           {len(sent) / span:.1f} reminders/s (due time to last send)")
print(f"webhook latency (mean):    {1000 * ws / wc:.1f} ms over {int(wc)} callbacks" if wc else "webhook latency: no callbacks")
print(f"scheduling:                {1000 * (float(sys.argv[8]) - float(sys.argv[4])) / n:.0f} ms per reminder (user + reminder, one client)")
print(f"JVM memory used:           {heap:.0f} MiB (all pools)   process RSS {int(sys.argv[6]) / 1024:.0f} MiB")
print(f"Temporal server RSS:       {int(sys.argv[7]) / 1024:.0f} MiB" + ("" if int(sys.argv[7]) else " (in process)"))
PY
