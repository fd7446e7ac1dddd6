#!/usr/bin/env bash
# The only entry points: ./build.sh run | cluster N | test | bench | stop
#   run    installs what is missing, starts a local PostgreSQL under .data/, migrates, seeds, serves :5080
#   cluster N [--replica]  the same PostgreSQL, Redis, N nodes on :5081.. and HAProxy on :5080 (scripts/cluster.sh);
#              --replica: and a streaming replica the nodes read reports from
#   test   restores, builds (warnings are errors), runs every test project on a throwaway cluster
#   bench  runs the benchmarks in bench/ and writes docs/performance.md (--scale: and the reports on 10 M clicks)
#   stop   stops what `run` or `cluster` started
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
RUN_PORT=${ALLIANCE_PG_PORT:-5433}
APP_URL=http://localhost:5080

# shellcheck source=scripts/common.sh
. "$ROOT/scripts/common.sh"
# shellcheck source=scripts/cluster.sh
. "$ROOT/scripts/cluster.sh"

# The run cluster lives under .data/; when the postgres user cannot reach the checkout (e.g. under
# /root), the data goes to /var/tmp and .data/pg points there.
run_cluster_dir() {
  mkdir -p "$ROOT/.data"
  if [ -e "$ROOT/.data/pg" ]; then readlink -f "$ROOT/.data/pg"; return; fi
  if [ "$(id -u)" != 0 ] || runuser -u postgres -- test -x "$ROOT/.data"; then
    echo "$ROOT/.data/pg"
  else
    local dir="/var/tmp/taobaoalliance-$(echo "$ROOT" | sha1sum | cut -c1-8)/pg"
    mkdir -p "$(dirname "$dir")"
    ln -sfn "$dir" "$ROOT/.data/pg"
    echo "$dir"
  fi
}

dotnet_tools() { dotnet tool restore >/dev/null; }

ensure_chromium() {
  command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || apt_install chromium
  # A Chinese font, so the browser tests' screenshots show 中文 rather than empty boxes.
  fc-list :lang=zh 2>/dev/null | grep -q . || apt_install fonts-wqy-zenhei
}

ensure_npm_assets() {
  # axe-core for the accessibility checks of the browser tests (npm registry, no CDN at run time).
  if [ -f tests/TaobaoAlliance.Browser.Tests/package.json ] && [ ! -d tests/TaobaoAlliance.Browser.Tests/node_modules ]; then
    (cd tests/TaobaoAlliance.Browser.Tests && npm ci --no-audit --no-fund --silent)
  fi
}

# The run database (started and created if needed), exported as ConnectionStrings__Alliance, unless one is set.
run_database() {
  if [ -z "${ConnectionStrings__Alliance:-}" ]; then
    local dir; dir=$(run_cluster_dir)
    log "PostgreSQL on port $RUN_PORT (data in $dir)"
    start_cluster "$dir" "$RUN_PORT"
    "$(pg_bin)/psql" -h 127.0.0.1 -p "$RUN_PORT" -U alliance -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname='alliance'" | grep -q 1 \
      || "$(pg_bin)/createdb" -h 127.0.0.1 -p "$RUN_PORT" -U alliance alliance
    export ConnectionStrings__Alliance="Host=127.0.0.1;Port=$RUN_PORT;Database=alliance;Username=alliance"
  fi
}

cmd_run() {
  dotnet_tools
  run_database
  log "serving $APP_URL (Ctrl-C stops the app; ./build.sh stop stops PostgreSQL)"
  ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development} \
    dotnet run --project src/TaobaoAlliance.Web -c Release --urls "$APP_URL" --no-launch-profile
}

cmd_stop() {
  cluster_stop
  [ -e "$ROOT/.data/pg" ] && stop_cluster "$(readlink -f "$ROOT/.data/pg")" && log "PostgreSQL stopped" || true
}

cmd_test() {
  dotnet_tools
  log "restore and build (warnings are errors)"
  dotnet build TaobaoAlliance.sln -c Release -warnaserror -nologo -v quiet
  ensure_chromium
  ensure_npm_assets

  local dir port results
  dir=$(mktemp -d /tmp/alliance-test-pg.XXXXXX)
  port=$(free_port)
  results="$ROOT/.test-results"
  rm -rf "$results"; mkdir -p "$results"
  trap "stop_cluster '$dir/pg'; rm -rf '$dir'" EXIT
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  log "throwaway PostgreSQL on port $port"
  # Durability is irrelevant for a throwaway cluster; these settings make it much faster.
  start_cluster "$dir/pg" "$port" "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"

  local server="Host=127.0.0.1;Port=$port;Username=alliance"
  "$(pg_bin)/createdb" -h 127.0.0.1 -p "$port" -U alliance alliance_template
  log "migrating the template database"
  migrate "$server;Database=alliance_template"

  export ALLIANCE_TEST_SERVER="$server" ALLIANCE_TEST_TEMPLATE=alliance_template
  local status=0 project
  for project in tests/*.Tests/*.csproj; do
    log "testing $(basename "$project" .csproj)"
    dotnet test "$project" --no-build -c Release --nologo \
      --logger "trx;LogFileName=$(basename "$project" .csproj).trx" --logger "console;verbosity=minimal" \
      --results-directory "$results" || status=1
  done
  summarize "$results"
  return $status
}

# Adds up the counters of every .trx file into the line CI reads.
summarize() {
  local passed=0 failed=0 skipped=0 f p fl t e
  for f in "$1"/*.trx; do
    [ -f "$f" ] || continue
    p=$(grep -o 'passed="[0-9]*"' "$f" | head -1 | tr -dc 0-9)
    fl=$(grep -o 'failed="[0-9]*"' "$f" | head -1 | tr -dc 0-9)
    t=$(grep -o 'total="[0-9]*"' "$f" | head -1 | tr -dc 0-9)
    e=$(grep -o 'executed="[0-9]*"' "$f" | head -1 | tr -dc 0-9)
    passed=$((passed + ${p:-0})); failed=$((failed + ${fl:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
  done
  echo "$passed passed, $failed failed, $skipped skipped"
}

# ./build.sh bench [--scale] [--clicks N]: the arguments go to bench/run.sh.
cmd_bench() {
  dotnet_tools
  if [ -x bench/run.sh ]; then bench/run.sh "$@"; else echo "no benchmarks yet"; fi
}

case "${1:-}" in
  run) cmd_run ;;
  cluster) shift; dotnet_tools; cluster_start "${1:-}" "${2:-}" ;;
  test) cmd_test ;;
  bench) shift; cmd_bench "$@" ;;
  stop) cmd_stop ;;
  *) echo "usage: ./build.sh run | cluster N [--replica] | test | bench | stop" >&2; exit 2 ;;
esac
