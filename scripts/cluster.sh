# ./build.sh cluster N and the cluster half of ./build.sh stop (sourced by build.sh, after common.sh).
# N web nodes on ports 5081..508N, each with a co-hosted Orleans silo (membership in Redis; silo ports
# 11111+i, gateway ports 30000+i), on the one PostgreSQL that ./build.sh run uses, behind HAProxy on :5080
# (round robin, /health checks). Pids and logs live in .data/cluster/. With --replica, a streaming replica of that
# PostgreSQL on the next port, which the nodes read reports and dashboards from (ConnectionStrings:AllianceReplica).
# bench/run.sh starts the same cluster on its own database, folder and ports (ConnectionStrings__Alliance,
# ALLIANCE_CLUSTER_DIR, ALLIANCE_FRONT_PORT).

CLUSTER_DIR=${ALLIANCE_CLUSTER_DIR:-$ROOT/.data/cluster}
REDIS_PORT=${ALLIANCE_REDIS_PORT:-6390}
FRONT_PORT=${ALLIANCE_FRONT_PORT:-5080}
REPLICA_PORT=$((${RUN_PORT:-5433} + 1))
REPLICA_CONNECTION=""

cluster_wait_healthy() {
  local url=$1 log=$2 i
  for i in $(seq 1 120); do
    curl -fsS -o /dev/null "$url/health" 2>/dev/null && return 0
    sleep 1
  done
  echo "no answer from $url/health after 120 s; the end of $log:" >&2
  tail -n 40 "$log" >&2
  return 1
}

# Starts one node ($1 = 1..N); the first migrates and seeds, the others find the database ready.
cluster_start_node() {
  local i=$1 first=false
  [ "$i" = 1 ] && first=true
  (
    cd "$ROOT/src/TaobaoAlliance.Web"
    ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development} \
    Database__MigrateOnStart=$first Database__SeedOnStart=$first \
    ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT" \
    Orleans__Clustering=Redis Orleans__SiloPort=$((11110 + i)) Orleans__GatewayPort=$((30000 + i)) \
    Clicks__SpoolDirectory="$CLUSTER_DIR/spool-node$i" \
    Proxy__TrustedAddresses__0=127.0.0.1 \
    ConnectionStrings__AllianceReplica="$REPLICA_CONNECTION" \
      setsid nohup dotnet bin/Release/net10.0/TaobaoAlliance.Web.dll --urls "http://127.0.0.1:$((FRONT_PORT + i))" \
      >"$CLUSTER_DIR/node$i.log" 2>&1 &
    echo $! >"$CLUSTER_DIR/node$i.pid"
  )
}

# A fresh base backup of the run PostgreSQL (-R: standby.signal and primary_conninfo), started as a hot standby on
# REPLICA_PORT. Fresh at every start: without a replication slot an old copy may lack WAL the primary has recycled.
cluster_start_replica() {
  local dir bin connections
  dir="$(dirname "$(run_cluster_dir)")/replica"
  bin=$(pg_bin)
  stop_cluster "$dir"
  rm -rf "$dir"
  # (It warns that it skips the primary's socket file, which lives in its data directory.)
  as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$RUN_PORT" -U alliance -D "$dir" -R -X stream 2> >(grep -v 'skipping special file' >&2)
  # A hot standby refuses to start with fewer connections than its primary allows.
  connections=$("$bin/psql" -h 127.0.0.1 -p "$RUN_PORT" -U alliance -d postgres -tAc 'SHOW max_connections')
  as_pg "$bin/pg_ctl" -D "$dir" -w -l "$dir/replica.log" \
    -o "-p $REPLICA_PORT -k $dir -c listen_addresses=127.0.0.1 -c max_connections=$connections" start >/dev/null
  echo "$dir" >"$CLUSTER_DIR/replica.dir"
  REPLICA_CONNECTION="Host=127.0.0.1;Port=$REPLICA_PORT;Database=alliance;Username=alliance"
}

cluster_start() {
  local n=${1:-} replica=${2:-}
  local usage="usage: ./build.sh cluster N [--replica] (N nodes, 1 to 9)"
  case "$n" in ''|*[!0-9]*) echo "$usage" >&2; exit 2 ;; esac
  if [ "$n" -lt 1 ] || [ "$n" -gt 9 ]; then echo "$usage" >&2; exit 2; fi
  case "$replica" in ''|--replica) ;; *) echo "$usage" >&2; exit 2 ;; esac
  if ls "$CLUSTER_DIR"/*.pid >/dev/null 2>&1; then echo "a cluster is already running: ./build.sh stop first" >&2; exit 1; fi
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  command -v haproxy >/dev/null 2>&1 || apt_install haproxy
  command -v curl >/dev/null 2>&1 || apt_install curl
  mkdir -p "$CLUSTER_DIR"

  # build.sh's run database, unless the caller names one (bench/run.sh does).
  [ -n "${ConnectionStrings__Alliance:-}" ] || run_database
  if [ "$replica" = --replica ]; then
    log "streaming replica of PostgreSQL on port $REPLICA_PORT (report and dashboard reads)"
    cluster_start_replica
  fi
  log "building the web app (Release)"
  dotnet build src/TaobaoAlliance.Web -c Release -nologo -v quiet >/dev/null

  log "Redis (cluster membership only) on 127.0.0.1:$REDIS_PORT"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$CLUSTER_DIR/redis.pid" --logfile "$CLUSTER_DIR/redis.log" --dir "$CLUSTER_DIR"
  # No persistence (--save ''): every start begins with an empty membership table, no dead silos to probe.

  local i
  log "node 1 on :$((FRONT_PORT + 1)) (migrates and seeds)"
  cluster_start_node 1
  cluster_wait_healthy "http://127.0.0.1:$((FRONT_PORT + 1))" "$CLUSTER_DIR/node1.log"
  for i in $(seq 2 "$n"); do
    log "node $i on :$((FRONT_PORT + i))"
    cluster_start_node "$i"
  done
  for i in $(seq 2 "$n"); do cluster_wait_healthy "http://127.0.0.1:$((FRONT_PORT + i))" "$CLUSTER_DIR/node$i.log"; done

  {
    cat <<CFG
global
    daemon
    pidfile $CLUSTER_DIR/haproxy.pid
    # Each connection takes two descriptors (client and node side): this stays within the open-file limit.
    maxconn 4096

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s

frontend alliance
    bind 127.0.0.1:$FRONT_PORT
    default_backend nodes

backend nodes
    balance roundrobin
    # The shopper's address for the nodes (per-IP click limit, rate limits); they trust it from 127.0.0.1 only.
    ${ALLIANCE_HAPROXY_FORWARDFOR:-option forwardfor}
    option httpchk GET /health
    http-check expect status 200
CFG
    for i in $(seq 1 "$n"); do echo "    server node$i 127.0.0.1:$((FRONT_PORT + i)) check inter 1s fall 2 rise 2"; done
  } >"$CLUSTER_DIR/haproxy.cfg"
  log "HAProxy on :$FRONT_PORT"
  haproxy -f "$CLUSTER_DIR/haproxy.cfg"
  cluster_wait_healthy "http://127.0.0.1:$FRONT_PORT" "$CLUSTER_DIR/haproxy.cfg"
  log "serving http://localhost:$FRONT_PORT through HAProxy to $n nodes (logs in .data/cluster/node*.log; ./build.sh stop stops it all)"
}

# Stops the process of pid file $1 (SIGTERM, then SIGKILL after 30 s) and removes the file; false when there was none.
cluster_stop_pidfile() {
  local f=$1 pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$f"
}

# Stops node $1: it drains its clicks and leaves the Orleans cluster; HAProxy's checks take it out of the rotation.
cluster_stop_node() { cluster_stop_pidfile "$CLUSTER_DIR/node$1.pid" || true; }

cluster_stop() {
  [ -d "$CLUSTER_DIR" ] || return 0
  local f
  # The balancer first (no new requests), then the nodes (each drains its clicks), then Redis.
  for f in "$CLUSTER_DIR"/haproxy.pid "$CLUSTER_DIR"/node*.pid "$CLUSTER_DIR"/redis.pid; do
    cluster_stop_pidfile "$f" && log "$(basename "$f" .pid) stopped"
  done
  if [ -f "$CLUSTER_DIR/replica.dir" ]; then
    stop_cluster "$(cat "$CLUSTER_DIR/replica.dir")" && log "replica stopped"
    rm -f "$CLUSTER_DIR/replica.dir"
  fi
  return 0
}
