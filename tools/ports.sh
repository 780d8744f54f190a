# shellcheck shell=bash
# Loopback ports for the scripts that start servers (run.sh, tools/postgres/pg.sh, bench/scale.sh). Sourced, not run.

# True when nothing accepts connections on 127.0.0.1:$1.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Prints a free port between 20000 and 31999, below Linux's ephemeral range so the kernel does not hand it out to a
# client meanwhile, and none of the ports given as arguments (chosen before, or about to be taken).
free_port() {
  local candidate
  for _ in $(seq 1 200); do
    candidate=$(( 20000 + RANDOM % 12000 ))
    [[ " $* " == *" $candidate "* ]] && continue
    if port_free "$candidate"; then echo "$candidate"; return 0; fi
  done
  echo "found no free port between 20000 and 32000" >&2
  return 1
}
