# Shell helpers shared by build.sh and bench/run.sh (sourced, not run).
# PostgreSQL: binaries found or installed with apt-get, clusters started as the postgres user (initdb
# and postgres refuse to run as root, and CI runs as root).

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

apt_install() {
  log "installing $*"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# PostgreSQL binaries: the newest installed major version, installed with apt-get when missing.
pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    apt_install postgresql postgresql-contrib
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$dir"
}

# Creates (if needed) and starts a cluster in $1 on port $2; $3 are extra server settings.
start_cluster() {
  local dir=$1 port=$2 extra=${3:-} bin
  bin=$(pg_bin)
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    chmod 700 "$dir"
    as_pg "$bin/initdb" -D "$dir" -U alliance --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$dir" -w -l "$dir/server.log" \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $extra" start >/dev/null
  fi
}

stop_cluster() {
  local dir=$1 bin
  bin=$(pg_bin)
  [ -f "$dir/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
}

# A port nothing listens on (bash's /dev/tcp connects only when something does), below the kernel's ephemeral range:
# a client's own end can take any port in that range (wrk reconnecting hundreds of thousands of times to a killed
# app even connects a socket to itself), and the app started again would then find its port taken.
free_port() {
  local port low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  [ "$low" -gt 21000 ] 2>/dev/null || low=32768
  while :; do
    port=$(( 20000 + RANDOM % (low - 20000) ))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# Migrates the database of connection string $1 with the pinned dotnet-ef (built Release first).
migrate() {
  local out
  # A long command timeout: some migrations build indexes and rollups over every row (see PrepareDatabaseAsync).
  out=$(dotnet ef database update --no-build --configuration Release --project src/TaobaoAlliance.Data --connection "$1;Command Timeout=1800" 2>&1) \
    || { echo "$out"; return 1; }
}
