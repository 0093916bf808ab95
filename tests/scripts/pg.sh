# A throwaway PostgreSQL server for tests that need a real central database:
# a fresh cluster per test run, reachable only on 127.0.0.1 and with trust
# auth, so nothing outside the test machine can reach it and no password is
# ever needed. Sourced, not run:
#
#   . tests/scripts/pg.sh
#   dir=$(mktemp -d); trap 'pg_stop' EXIT
#   pg_start "$dir" || exit 1
#   psql "$PG_URL" -c 'select 1'
#
# pg_start exports PG_URL (role and database "sayso") and PG_DIR; the server
# log is $PG_DIR/pg.log. Prints nothing on success; on failure says why on
# stderr, with the end of the log, and returns non-zero. Every command that
# could hang is under a timeout so a broken machine fails the test instead of
# stalling CI. Safe under `set -euo pipefail`.

# pg_start DIR: initdb a new cluster in DIR/pgdata and start it.
pg_start() {
  local dir=${1:-} bin user='' port='' try size started=''

  [ -n "$dir" ] || { echo "pg.sh: usage: pg_start DIR" >&2; return 1; }
  unset PG_URL
  bin=$(_pg_bindir) || {
    echo "pg.sh: PostgreSQL server binaries not found (install postgresql)" >&2
    return 1
  }
  if [ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/pgdata/postmaster.pid" ]; then
    echo "pg.sh: a server from $PG_DIR is still running; pg_stop it first" >&2
    return 1
  fi
  case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
  _pg_short "$dir" || return 1
  mkdir -p "$dir" && dir=$(CDPATH='' cd "$dir" && pwd -P) || {
    echo "pg.sh: cannot use $1 as the server directory" >&2; return 1; }
  _pg_short "$dir" || return 1
  if [ -e "$dir/pgdata" ]; then
    # Never reuse or wipe an existing cluster: the caller may have passed the
    # wrong directory, and a fresh cluster is the point.
    echo "pg.sh: $dir/pgdata already exists; pg_start needs a fresh directory" >&2
    return 1
  fi
  PG_DIR=$dir
  export PG_DIR

  if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root, and CI runs as root.
    user=$(_pg_user) || return 1
    # The server, running as $user, must reach DIR by path, but mktemp -d
    # makes its directories mode 700. Search permission (o+x) on each parent
    # it cannot pass is enough: it lets the server through without letting
    # anyone list or read what the caller keeps there.
    _pg_traverse "$user" "$dir" || return 1
  fi

  mkdir -m 700 "$dir/pgdata" "$dir/sock" && : >"$dir/pg.log" || {
    echo "pg.sh: cannot create $dir/pgdata, $dir/sock or $dir/pg.log" >&2; return 1; }
  if [ -n "$user" ]; then
    chown "$user": "$dir/pgdata" "$dir/sock" "$dir/pg.log" || {
      echo "pg.sh: cannot hand $dir over to $user" >&2; return 1; }
  fi

  # Locale C with UTF-8, not whatever the CI image happens to have: SQL_ASCII
  # (what a bare container gives) would accept text the real server rejects.
  _pg_as "$user" 120 "$bin/initdb" -D "$dir/pgdata" -U postgres -E UTF8 \
    --locale=C --auth=trust >>"$dir/pg.log" 2>&1 || {
    _pg_fail "initdb failed"; return 1; }

  # Only what isolates the server; the rest stays at the defaults, fsync
  # included, so timings measured against it are honest.
  {
    printf "listen_addresses = '127.0.0.1'\n"
    printf "unix_socket_directories = '%s'\n" "${dir//\'/\'\'}/sock"
    printf "fsync = on\n"
  } >>"$dir/pgdata/postgresql.conf" &&
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' \
    >"$dir/pgdata/pg_hba.conf" || {
    _pg_fail "cannot write the server configuration"; return 1; }

  # A port that looks free can be taken before the server binds it (other
  # tests start servers in parallel), so on a bind failure pick another.
  for try in $(seq 8); do
    port=$(_pg_free_port) || { _pg_fail "no free TCP port in 20000-40000"; return 1; }
    size=$(stat -c %s "$dir/pg.log")
    if _pg_as "$user" 40 "$bin/pg_ctl" -D "$dir/pgdata" -l "$dir/pg.log" \
        -o "-p $port" -w -t 30 start >>"$dir/pg.log" 2>&1; then
      started=1; break
    fi
    case $(tail -c +$((size + 1)) "$dir/pg.log") in
      *'could not bind'*) [ "$try" -lt 8 ] && continue ;;
    esac
    break
  done
  if [ -z "$started" ]; then
    _pg_fail "the server did not start"
    pg_stop   # pg_ctl may have given up on a server that is still starting
    return 1
  fi

  if ! _pg_as "$user" 30 "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/sock" \
      -p "$port" -U postgres -d postgres \
      -c 'CREATE ROLE sayso LOGIN' -c 'CREATE DATABASE sayso OWNER sayso' \
      >>"$dir/pg.log" 2>&1; then
    _pg_fail "cannot create role and database sayso"
    pg_stop
    return 1
  fi

  PG_URL="postgresql://sayso@127.0.0.1:$port/sayso"
  export PG_URL
}

# pg_stop: stop the server pg_start started. Quiet, always returns 0 and does
# nothing the second time, so it can sit in an EXIT trap that may run after a
# failed or partial pg_start.
pg_stop() {
  local dir=${PG_DIR:-} bin user='' pid kids=()
  [ -n "$dir" ] && [ -f "$dir/pgdata/postmaster.pid" ] || return 0
  pid=$(head -n 1 "$dir/pgdata/postmaster.pid" 2>/dev/null) || pid=''
  case $pid in '' | *[!0-9]*) pid='' ;; esac
  bin=$(_pg_bindir) || bin=''
  # Work out the user from the cluster itself, so pg_stop needs nothing but
  # PG_DIR (it may run in another shell than pg_start did).
  [ "$(id -u)" = 0 ] && user=$(stat -c %U "$dir/pgdata" 2>/dev/null || echo root)
  [ "$user" = root ] && user=''
  if [ -n "$bin" ]; then
    _pg_as "$user" 40 "$bin/pg_ctl" -D "$dir/pgdata" -w -t 30 stop -m fast \
      >/dev/null 2>&1 ||
    _pg_as "$user" 20 "$bin/pg_ctl" -D "$dir/pgdata" -w -t 10 stop -m immediate \
      >/dev/null 2>&1 || true
  fi
  # pg_ctl returns once postmaster.pid is gone, a moment before the
  # postmaster has exited. Wait for it, so a caller that checks right after
  # (or starts another server on the same files) sees nothing left; and kill
  # it if pg_ctl could not stop it, as a stray postmaster would hold its port
  # for the rest of the CI job.
  if [ -n "$pid" ]; then
    for _ in $(seq 50); do _pg_running "$pid" || break; sleep 0.1; done
    if _pg_running "$pid"; then
      # Each backend is its own session leader, so only its parent PID ties
      # it to this server; collect them before the postmaster goes.
      read -ra kids <<<"$(_pg_children "$pid")"
      kill -KILL "$pid" "${kids[@]}" 2>/dev/null || true
      for _ in $(seq 50); do
        _pg_running "$pid" || _pg_any_running "${kids[@]}" || break
        sleep 0.1
      done
      rm -f "$dir/pgdata/postmaster.pid" 2>/dev/null || true
    fi
  fi
  return 0
}

# _pg_running PID: PID is a live postgres (not a zombie, not a reused PID).
# Reads /proc because minimal images have no ps.
_pg_running() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  case $stat in
    *' (postgres) Z '*) return 1 ;;
    *' (postgres) '*) return 0 ;;
  esac
  return 1
}

_pg_any_running() {
  local p
  for p in "$@"; do _pg_running "$p" && return 0; done
  return 1
}

# _pg_children PID: the PIDs whose parent is PID.
_pg_children() {
  local f stat rest
  for f in /proc/[0-9]*/stat; do
    stat=$(cat "$f" 2>/dev/null) || continue
    rest=${stat##*) }            # "S PPID ..." after the command name
    rest=${rest#* }
    [ "${rest%% *}" = "$1" ] && printf '%s ' "${stat%% *}"
  done
  return 0
}

# The socket path (DIR/sock/.s.PGSQL.NNNNN) must fit in sun_path, 107 bytes,
# or the server won't start; saying so up front beats a line in pg.log.
_pg_short() {
  [ $((${#1} + 20)) -le 107 ] && return 0
  echo "pg.sh: $1 is too long for a Unix socket path; use a shorter directory" >&2
  return 1
}

# Newest installed server version: Debian can have several side by side.
_pg_bindir() {
  local d
  d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/psql" ] || return 1
  printf '%s\n' "$d"
}

# The unprivileged user to run the server as when we are root.
_pg_user() {
  if timeout 10 getent passwd postgres >/dev/null; then echo postgres; return 0; fi
  if ! timeout 10 getent passwd sayso-test >/dev/null; then
    # Another test may be creating it at the same moment; only the user's
    # existence afterwards matters.
    timeout 30 useradd --system --no-create-home --shell /usr/sbin/nologin \
      sayso-test >/dev/null 2>&1 || true
  fi
  timeout 10 getent passwd sayso-test >/dev/null && { echo sayso-test; return 0; }
  echo "pg.sh: cannot create the system user sayso-test to run PostgreSQL as" >&2
  return 1
}

# _pg_traverse USER DIR: give USER search permission on DIR and its parents.
_pg_traverse() {
  local user=$1 d=$2
  while [ -n "$d" ] && [ "$d" != / ]; do
    if ! timeout 10 runuser -u "$user" -- test -x "$d" 2>/dev/null; then
      chmod o+x "$d" 2>/dev/null || true
    fi
    d=${d%/*}
  done
  timeout 10 runuser -u "$user" -- test -x "$2" 2>/dev/null && return 0
  echo "pg.sh: user $user cannot reach $2; use a directory under /tmp" >&2
  return 1
}

# _pg_as USER SECONDS COMMAND...: run as USER ('' = ourselves), bounded.
# From / because the server user may not be able to enter our working
# directory, which makes initdb and pg_ctl fail oddly.
_pg_as() {
  local user=$1 secs=$2; shift 2
  if [ -n "$user" ]; then
    (cd / && runuser -u "$user" -- timeout -k 5 "$secs" "$@")
  else
    (cd / && timeout -k 5 "$secs" "$@")
  fi
}

# A port in 20000-40000 nothing listens on right now.
_pg_free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 20001))
    if command -v ss >/dev/null; then
      [ -z "$(timeout 5 ss -Hltn "sport = :$port" 2>/dev/null)" ] || continue
    else
      # No ss in a minimal image: a connect that succeeds means it's taken.
      ! timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null || continue
    fi
    echo "$port"; return 0
  done
  return 1
}

_pg_fail() {
  echo "pg.sh: $1 (log: $PG_DIR/pg.log)" >&2
  tail -n 15 "$PG_DIR/pg.log" 2>/dev/null | sed 's/^/    /' >&2 || true
}
