#!/usr/bin/env bash
# ./build.sh bench → here. Builds Release, starts a throwaway PostgreSQL cluster with DEFAULT durability
# (fsync on: the click and CPC paths are measured with real commits), migrates it, starts the real app
# (Development: demo data seeded), runs bench/TaobaoAlliance.Bench against it and rewrites docs/performance.md.
# Everything it starts is stopped on exit. About 4 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# shellcheck source=../scripts/common.sh
. "$ROOT/scripts/common.sh"

BIN=$(pg_bin)
PSQL_OPTS=(-X -q -t -A -v ON_ERROR_STOP=1)

log "building Release (warnings are errors)"
dotnet build src/TaobaoAlliance.Web/TaobaoAlliance.Web.csproj -c Release -nologo -v quiet
dotnet build bench/TaobaoAlliance.Bench/TaobaoAlliance.Bench.csproj -c Release -nologo -v quiet

WORK=$(mktemp -d /tmp/alliance-bench.XXXXXX)
PGDATA_DIR="$WORK/pg"
PG_PORT=$(free_port)
APP_PID=
cleanup() {
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  stop_cluster "$PGDATA_DIR"
  rm -rf "$WORK"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] && chown postgres "$WORK"
chmod 755 "$WORK"
# Default durability; track_wal_io_timing only adds the time of WAL flushes to pg_stat_wal (read by the bench).
log "throwaway PostgreSQL on port $PG_PORT, default durability (fsync, synchronous_commit, full_page_writes on)"
start_cluster "$PGDATA_DIR" "$PG_PORT" "-c track_wal_io_timing=on"
"$BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U alliance alliance
CONN="Host=127.0.0.1;Port=$PG_PORT;Database=alliance;Username=alliance"
psql_q() { "$BIN/psql" "${PSQL_OPTS[@]}" -h 127.0.0.1 -p "$PG_PORT" -U alliance -d alliance -c "$1"; }

log "migrating with dotnet-ef"
migrate "$CONN"

APP_PORT=$(free_port)
APP_URL="http://127.0.0.1:$APP_PORT"
log "starting the app on $APP_URL (Development: demo data seeded; Serilog at Warning)"
# Content root = the project folder, as with `dotnet run`: appsettings*.json, wwwroot and ../../seeds are found there.
( cd src/TaobaoAlliance.Web && exec env \
    ASPNETCORE_ENVIRONMENT=Development \
    ASPNETCORE_URLS="$APP_URL" \
    ConnectionStrings__Alliance="$CONN" \
    Serilog__MinimumLevel__Default=Warning \
    dotnet bin/Release/net10.0/TaobaoAlliance.Web.dll ) >"$WORK/app.log" 2>&1 9>&- &
APP_PID=$!

for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "$APP_URL/health" 2>/dev/null; then break; fi
  if ! kill -0 "$APP_PID" 2>/dev/null; then echo "the app stopped:"; tail -40 "$WORK/app.log"; exit 1; fi
  sleep 0.5
done
curl -fsS -o /dev/null "$APP_URL/health" || { echo "the app did not become healthy:"; tail -40 "$WORK/app.log"; exit 1; }

ZONE=$(psql_q "SELECT id FROM ad_zones WHERE name = '智能推广位 Smart banner'")
[ -n "$ZONE" ] || { echo "demo smart zone not found"; exit 1; }
# The demo budgets (¥200 and ¥100 a day) would run out after a few hundred clicks: raise them for the run.
psql_q "UPDATE campaigns SET daily_budget_fen = 100000000000; UPDATE campaign_daily_spends SET budget_fen = 100000000000;"
BUDGET_NOTE="the demo campaigns' daily budgets were raised to ¥1,000,000,000 with SQL before the run (\`UPDATE campaigns SET daily_budget_fen = 100000000000\`), so no click is refused for budget; wallets keep their seeded deposits (seller1 ¥50,000, seller2 ¥30,000). Smart zone id $ZONE, found with \`SELECT id FROM ad_zones WHERE name = '智能推广位 Smart banner'\`."

log "load: /health, /c/gF7kQ2xA, /z/$ZONE, /z/click/{token}; auction micro-benchmark"
dotnet bench/TaobaoAlliance.Bench/bin/Release/net10.0/TaobaoAlliance.Bench.dll suite \
  --app "$APP_URL" --db "$CONN" --zone "$ZONE" --out docs/performance.md \
  --warmup 3 --seconds 10 --command "./build.sh bench" --budget-note "$BUDGET_NOTE" 9>&-

# Serilog's console lines read "[HH:mm:ss ERR] …": show any error the app logged during the run.
if grep -qE ' (ERR|FTL)\]' "$WORK/app.log"; then
  log "the app logged errors during the run:"
  grep -m 20 -E ' (ERR|FTL)\]' "$WORK/app.log" || true
fi
log "docs/performance.md rewritten"
