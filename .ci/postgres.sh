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
  local port="${DYNOFORM_PG_PORT:-54329}"
  local dir
  dir="$(mktemp -d /tmp/dynoform-pg.XXXXXX)"
  chown postgres:postgres "$dir" 2>/dev/null || { useradd -r postgres 2>/dev/null || true; chown postgres "$dir"; }
  su postgres -s /bin/sh -c "$bindir/initdb -D '$dir/data' -A trust -U postgres >/dev/null"
  su postgres -s /bin/sh -c "$bindir/pg_ctl -D '$dir/data' -o '-c listen_addresses=127.0.0.1 -p $port -k $dir' -l '$dir/log' -w start >/dev/null"
  export DYNOFORM_TEST_PG="postgres://postgres@127.0.0.1:$port/postgres"
  echo "postgres ready on 127.0.0.1:$port"
}
