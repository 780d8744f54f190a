#!/usr/bin/env bash
# A local PostgreSQL 15 for run.sh, test.sh, the scale-out tests and benchmarks: Debian's server binaries, one data
# folder per server, listening on 127.0.0.1 only, on a free port.
#
#   pg.sh start  <datadir> [--database NAME]... [--port P] [--fast]
#   pg.sh status <datadir>            the same lines as start when the server runs; exit 3 when it does not
#   pg.sh stop   <datadir>            pg_ctl stop -m fast; nothing to do is not an error
#   pg.sh psql   <datadir> [ARG]...   psql as the superuser (e.g. -d botsociety -c 'select 1')
#   pg.sh check                       exit 0 when start could run here (binaries, user); else say what is missing
#
# start makes the folder a cluster on first use (initdb, UTF8, C collation) and reuses it afterwards; it starts the
# server (or finds it running), creates each --database that is missing, and prints on stdout, one per line:
#
#   PORT=54321
#   PASSWORD=<the superuser's password>
#   CONNECTION=Host=127.0.0.1;Port=54321;Username=postgres;Password=…[;Database=<first --database>]
#   SERVER=Host=127.0.0.1;Port=54321;Username=postgres;Password=…      (no Database: the superuser's default)
#   DATA=<datadir>
#   LOG=<datadir>/postgres.log
#
# Read a line with e.g.  conn="$(sed -n 's/^CONNECTION=//p' <<<"$out")". Progress and errors go to stderr.
#
#   --port P      listen on P rather than a free port (start fails if P is taken)
#   --fast        fsync, full-page writes and synchronous commit off for this start: for throwaway servers
#                 (tests, benchmarks of the app rather than the disk); a machine crash can then corrupt the folder
#
# Authentication: TCP connections (127.0.0.1 only) need the superuser's password (SCRAM), generated at initdb and kept
# in <datadir>/botsociety.password, so other users of the machine cannot reach the society through the port. The
# Unix socket lives in the data folder itself, which only the folder's owner can enter, and trusts that owner.
#
# Run it as root (the server then runs as the `postgres` system user, which PostgreSQL requires) or as any other
# user (the server runs as that user). BOTSOCIETY_PG_BIN names another folder of PostgreSQL binaries.
set -euo pipefail

bin="${BOTSOCIETY_PG_BIN:-/usr/lib/postgresql/15/bin}"
superuser=postgres
owner_when_root=postgres

usage() { sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'; }
say() { printf 'pg.sh: %s\n' "$*" >&2; }
fail() { printf 'pg.sh: %s\n' "$*" >&2; exit 1; }

command="${1:-}"
case "$command" in
  start|status|stop|psql|check) ;;
  -h|--help|help) usage; exit 0 ;;
  '') usage >&2; exit 2 ;;
  *) say "unknown command '$command' (start, status, stop, psql or check)"; exit 2 ;;
esac
shift
[[ "$command" == check || ( $# -ge 1 && -n "$1" && "$1" != -* ) ]] || { say "$command needs a data folder: pg.sh $command <datadir>"; exit 2; }
data="${1:-}"
[[ "$command" == check ]] || shift
# An absolute path without a trailing slash: the server changes into its folder, and the socket path is built from it.
[[ "$data" == /* || "$command" == check ]] || data="$(pwd)/$data"
data="${data%/}"
[[ "$command" == check || "$data" =~ ^[A-Za-z0-9_./+@:=,-]+$ ]] || { say "use a data folder path without spaces or quotes: $data"; exit 2; }

databases=()
port=""
fast=0
if [[ "$command" == start ]]; then
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --database) [[ $# -ge 2 ]] || { say "--database needs a name"; exit 2; }
        [[ "$2" =~ ^[A-Za-z_][A-Za-z0-9_-]{0,62}$ ]] || { say "--database '$2': use letters, digits, _ and - (at most 63)"; exit 2; }
        databases+=("$2"); shift 2 ;;
      --port) if ! [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || (( $2 < 1 || $2 > 65535 )); then
          say "--port needs a number from 1 to 65535"; exit 2
        fi
        port="$2"; shift 2 ;;
      --fast) fast=1; shift ;;
      *) say "unknown option '$1' for start"; exit 2 ;;
    esac
  done
elif [[ "$command" == check && -n "$data" ]]; then
  say "check takes no arguments; got '$*'"; exit 2
elif [[ "$command" != psql && $# -gt 0 ]]; then
  say "$command takes only the data folder; got '$*'"; exit 2
fi

for tool in initdb pg_ctl postgres psql; do
  [[ -x "$bin/$tool" ]] || fail "PostgreSQL 15 server binaries not found in $bin ($tool is missing); on Debian: apt-get install postgresql-15"
done

# Who runs the server: PostgreSQL refuses root, so root hands it to the postgres system user.
if [[ $(id -u) -eq 0 ]]; then
  id -u "$owner_when_root" >/dev/null 2>&1 \
    || fail "running as root, but there is no '$owner_when_root' user to run the server as (Debian's postgresql-15 package creates it)"
  owner="$owner_when_root"
  as_owner() { (cd / && runuser -u "$owner" -- "$@"); }
else
  owner="$(id -un)"
  as_owner() { "$@"; }
fi

password_file="$data/botsociety.password"
log="$data/postgres.log"

running() { [[ -f "$data/PG_VERSION" ]] && as_owner "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1; }
# The port a running server listens on: line 4 of postmaster.pid.
running_port() { sed -n 4p "$data/postmaster.pid" 2>/dev/null; }
read_password() {
  [[ -r "$password_file" ]] || fail "$data is a cluster without $password_file (not made by pg.sh?); cannot connect to it"
  tr -d '\n' <"$password_file"
}

# shellcheck source=tools/ports.sh
source "$(dirname "${BASH_SOURCE[0]}")/../ports.sh"

print_lines() {
  local p="$1" pw server conn
  pw="$(read_password)"
  server="Host=127.0.0.1;Port=$p;Username=$superuser;Password=$pw"
  conn="$server"
  [[ ${#databases[@]} -gt 0 ]] && conn="$server;Database=${databases[0]}"
  printf 'PORT=%s\nPASSWORD=%s\nCONNECTION=%s\nSERVER=%s\nDATA=%s\nLOG=%s\n' "$p" "$pw" "$conn" "$server" "$data" "$log"
}

# psql over TCP with the password, as any client would connect (so a broken password shows at once).
sql() {
  local p="$1" pw
  shift
  pw="$(read_password)"
  PGPASSWORD="$pw" PGCONNECT_TIMEOUT=10 "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$p" -U "$superuser" -d postgres "$@"
}

# The folder must be reachable by the server's user through every parent folder.
check_reachable() {
  local parent
  parent="$(dirname "$data")"
  while [[ ! -d "$parent" ]]; do parent="$(dirname "$parent")"; done
  as_owner test -x "$parent" -a -r "$parent" 2>/dev/null \
    || fail "the '$owner' user cannot enter $parent, on the way to $data; choose a folder it can reach (every parent needs o+x)"
}

initialise() {
  check_reachable
  if [[ -e "$data" ]]; then
    [[ -d "$data" ]] || fail "$data exists and is not a folder"
    [[ -z "$(ls -A "$data")" ]] || fail "$data is neither empty nor a PostgreSQL data folder (no PG_VERSION); choose another folder"
  fi
  # initdb works beside the target and the result moves into place, so a stopped initdb never leaves a half-made
  # cluster where the next start would try to use it.
  local making="$data.initdb-$$" pwfile
  rm -rf "$making"
  mkdir -p "$making"
  chmod 700 "$making"
  # initdb reads the password from a file its user can open (a pipe of root's is not one).
  pwfile="$(mktemp)"
  trap 'rm -rf "$making" "$pwfile"' EXIT
  [[ "$owner" == "$(id -un)" ]] || chown "$owner:" "$making" "$pwfile"
  head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 >"$pwfile"
  say "making a new PostgreSQL cluster in $data (initdb)"
  local out
  if ! out="$(as_owner "$bin/initdb" -D "$making" -U "$superuser" --pwfile="$pwfile" \
      --encoding=UTF8 --no-locale --auth-local=trust --auth-host=scram-sha-256 2>&1)"; then
    printf '%s\n' "$out" >&2
    fail "initdb failed for $data (output above)"
  fi
  # Settings of every start: only loopback, the socket in the data folder, room for several app instances' pools.
  # The port is given at each start (a free one), so a kept folder never needs a port that is taken now.
  {
    echo ""
    echo "# pg.sh (BotSociety): a local server for run.sh and the tests"
    echo "listen_addresses = '127.0.0.1'"
    echo "max_connections = 300"
    echo "logging_collector = off"
  } | as_owner tee -a "$making/postgresql.conf" >/dev/null
  as_owner cp "$pwfile" "$making/botsociety.password"
  as_owner chmod 600 "$making/botsociety.password"
  if [[ -d "$data" ]]; then rmdir "$data"; fi
  mv "$making" "$data"
  rm -f "$pwfile"
  trap - EXIT
}

start() {
  if [[ ! -f "$data/PG_VERSION" ]]; then
    initialise
  elif [[ "$(cat "$data/PG_VERSION")" != 15 ]]; then
    fail "$data holds a PostgreSQL $(cat "$data/PG_VERSION") cluster; these are PostgreSQL 15 binaries"
  else
    check_reachable
    local folder_owner
    folder_owner="$(stat -c %U "$data")"
    [[ "$folder_owner" == "$owner" ]] \
      || fail "$data belongs to '$folder_owner', but the server would run as '$owner'; run pg.sh as $folder_owner (or root for postgres)"
  fi

  local p
  if running; then
    p="$(running_port)"
    [[ -z "$port" || "$port" == "$p" ]] || fail "the server in $data already runs on port $p, not $port; stop it first"
    say "PostgreSQL already runs in $data on port $p"
  else
    # The socket path (folder + /.s.PGSQL.<port>) must fit in 107 bytes; a deeper folder runs without a socket.
    local sockets="'$data'"
    if (( ${#data} > 90 )); then sockets="''"; fi
    local options=()
    if [[ $fast -eq 1 ]]; then options+=(-c fsync=off -c full_page_writes=off -c synchronous_commit=off); fi
    local attempt started=0
    for attempt in 1 2 3 4 5; do
      p="${port:-$(free_port)}" || fail "no free port for PostgreSQL"
      if [[ -n "$port" ]] && ! port_free "$p"; then fail "port $p on 127.0.0.1 is taken"; fi
      # pg_ctl writes the server's log; -w waits until it accepts connections (or gives up after 60 s).
      if as_owner "$bin/pg_ctl" start -D "$data" -l "$log" -w -t 60 -s \
          -o "-p $p -c unix_socket_directories=$sockets ${options[*]:-}" >/dev/null 2>&1; then
        started=1
        break
      fi
      # Another process took the port between the check and the bind: try another one.
      if [[ -z "$port" ]] && tail -20 "$log" 2>/dev/null | grep -q 'could not bind\|Address already in use'; then
        say "port $p was taken meanwhile; trying another (attempt $attempt)"
        continue
      fi
      break
    done
    if [[ $started -eq 0 ]]; then
      tail -15 "$log" >&2 2>/dev/null || true
      fail "PostgreSQL did not start in $data (its log: $log)"
    fi
    say "PostgreSQL started in $data on 127.0.0.1:$p"
  fi

  local name exists
  for name in "${databases[@]}"; do
    exists="$(sql "$p" -tAc "select 1 from pg_database where datname = '$name'")" \
      || fail "could not query the server on port $p (its log: $log)"
    if [[ "$exists" != 1 ]]; then
      sql "$p" -c "create database \"$name\"" || fail "could not create the database $name (its log: $log)"
      say "created the database $name"
    fi
  done
  print_lines "$p"
}

case "$command" in
  check) ;;
  start) start ;;
  status)
    if running; then print_lines "$(running_port)"; else say "no server runs in $data"; exit 3; fi ;;
  stop)
    if running; then
      as_owner "$bin/pg_ctl" stop -D "$data" -m fast -w -t 60 -s || fail "pg_ctl stop failed for $data (its log: $log)"
      say "PostgreSQL stopped ($data)"
    fi ;;
  psql)
    running || fail "no server runs in $data (pg.sh start $data)"
    PGPASSWORD="$(read_password)" exec "$bin/psql" -X -h 127.0.0.1 -p "$(running_port)" -U "$superuser" "$@" ;;
esac
