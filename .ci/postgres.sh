# Installs (from Debian's packages when missing) and starts a throwaway
# PostgreSQL on 127.0.0.1, exporting DYNOFORM_TEST_PG for the tests.
start_postgres() {
  local bindir
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
    bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  fi
  id postgres >/dev/null 2>&1 || useradd -r -m postgres
  # The first free port from 54329 up: another server (or an earlier run) may hold one.
  local port="${DYNOFORM_PG_PORT:-54329}"
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  local dir
  dir="$(mktemp -d /tmp/dynoform-pg.XXXXXX)"
  chown postgres "$dir"
  su postgres -s /bin/sh -c "$bindir/initdb -D '$dir/data' -A trust -U postgres >/dev/null"
  if ! su postgres -s /bin/sh -c "$bindir/pg_ctl -D '$dir/data' -o '-c listen_addresses=127.0.0.1 -p $port -k $dir' -l '$dir/log' -w start >/dev/null"; then
    cat "$dir/log" >&2
    return 1
  fi
  export DYNOFORM_TEST_PG="postgres://postgres@127.0.0.1:$port/postgres"
  export DYNOFORM_TEST_PG_DATA="$dir/data"
  echo "postgres ready on 127.0.0.1:$port"
}

stop_postgres() {
  local bindir
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "${DYNOFORM_TEST_PG_DATA:-}" ] && [ -n "$bindir" ]; then
    su postgres -s /bin/sh -c "$bindir/pg_ctl -D '$DYNOFORM_TEST_PG_DATA' -m fast stop >/dev/null" || true
  fi
}
