#!/usr/bin/env bash
# Runs a command and writes to fd 4 what the OS counted for it, background threads included: its
# peak RSS in KB (GNU time), then bash's `times` (the second line is the children's user and system
# CPU, to the millisecond). With BENCH_CGROUP (a cgroup.procs file), the command runs in that cgroup.
if [ -n "${BENCH_CGROUP:-}" ]; then echo $$ >"$BENCH_CGROUP"; fi
rss=$(mktemp)
/usr/bin/time -f %M -o "$rss" "$@"
status=$?
cat "$rss" >&4
rm -f "$rss"
times >&4
exit $status
