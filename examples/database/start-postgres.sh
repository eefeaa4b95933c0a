#!/usr/bin/env bash
# A throw-away PostgreSQL for the database example: a cluster in DIR (default /tmp/tributary-pg) with
# wal_level=logical, on 127.0.0.1:PORT (default 5433), a role `tributary` with REPLICATION, a database
# `shop` and its `houses` table. Needs the Debian `postgresql` package (.ci/run installs it).
# Stop it with: pg_ctl -D DIR/data stop   (as the postgres user when run as root)
set -euo pipefail
dir=${1:-/tmp/tributary-pg}
port=${2:-5433}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg=()
if [ "$(id -u)" = 0 ]; then
  as_pg=(runuser -u postgres --)   # initdb refuses to run as root
fi
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
if [ ! -d "$dir/data" ]; then
  "${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
fi
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
  "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c wal_level=logical" start
psql=("$bin/psql" -h 127.0.0.1 -p "$port" -v ON_ERROR_STOP=1 -q)
"${psql[@]}" -U postgres -d postgres -c "CREATE ROLE tributary LOGIN REPLICATION" 2>/dev/null || true
"${psql[@]}" -U postgres -d postgres -c "CREATE DATABASE shop OWNER tributary" 2>/dev/null || true
"${psql[@]}" -U tributary -d shop -f "$(dirname "$0")/houses.sql"
echo "PostgreSQL on 127.0.0.1:$port: database shop, role tributary, table houses"
