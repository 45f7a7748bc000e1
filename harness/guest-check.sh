#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest for make check: the CI test_progs (only the tests of
# harness/ci-tests), optionally filtered, one test_progs run per test under a
# watchdog. Leaves in the results share: json/<test>.json (test_progs'
# summaries) and guest (one "OK|FAIL what" line per check of this script).
# Usage: guest-check.sh [test_progs -t filter | scx]
# Environment: SELFTESTS (the test_progs folder), WATCHDOG_S (guest seconds
# a test may run, 120; ten times that with SCHED_STRESS_SOAK=1),
# TEST_PROGS_VERBOSE (non-empty: test_progs -v).
out=${SCHED_BPF_OUT:?not in the guest}
cd "${SELFTESTS:-build/selftests-ci}" || exit 1
limit=${WATCHDOG_S:-120}
[ "${SCHED_STRESS_SOAK:-0}" = 1 ] && limit=$((limit * 10))
rm -rf "$out/json"
mkdir -p "$out/json"
: > "$out/guest"

# watch NAME LIMIT CMD...: run CMD in its own session; if it still runs
# after LIMIT seconds, log every task's stack (sysrq-t, on the console and
# in watchdog-NAME.txt), kill its session and return 124. A test that hangs
# thus fails with its name and the run goes on.
watch() {
	local name=$1 limit=$2 t=0 pid
	shift 2
	setsid "$@" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$t" -ge "$limit" ]; then
			echo "watchdog: $name still runs after $limit s: killed; stacks (sysrq-t) in console.log"
			echo t > /proc/sysrq-trigger
			dmesg > "$out/watchdog-$name.txt"
			kill -KILL -- "-$pid" 2>/dev/null
			# Do not wait for a task that cannot die (D state).
			for t in 1 2 3 4 5 6 7 8 9 10; do
				kill -0 "$pid" 2>/dev/null || break
				sleep 1
			done
			kill -0 "$pid" 2>/dev/null || wait "$pid" 2>/dev/null
			echo "FAIL $name: hung, killed by the watchdog after $limit s" >> "$out/guest"
			return 124
		fi
		sleep 1
		t=$((t + 1))
	done
	wait "$pid"
}

# The watchdog itself must catch a hang: a stand-in test that sleeps.
{
	watch watchdog-selftest 2 sleep 60 > "$out/watchdog-selftest.log"
	if [ $? = 124 ] && grep -q '^watchdog: watchdog-selftest still runs' "$out/watchdog-selftest.log" &&
	   grep -q '^FAIL watchdog-selftest: hung' "$out/guest"; then
		echo "OK watchdog: a test still running after its limit is killed and named" > "$out/guest"
	else
		echo "FAIL watchdog: a stand-in hanging test was not caught" > "$out/guest"
	fi
	rm -f "$out/watchdog-watchdog-selftest.txt"
}

# A filter naming subtests runs as one test_progs; otherwise each test
# runs alone, so that a hang costs only that test.
if [ "${1:-}" = scx ]; then
	tests=()
elif [ "${1:-}" != "${1#*/}" ]; then
	tests=("$1")
else
	# (no process substitution: the guest has no /dev/fd)
	mapfile -t tests <<< "$(./test_progs -l ${1:+-t "$1"})"
fi
echo "guest-check: ${#tests[@]} tests, at most $limit s each"
rc=0
for name in "${tests[@]}"; do
	sel=(-a "$name")
	[ "$name" = "${name#*/}" ] || sel=(-t "$name")
	start=$SECONDS
	# sched_stress runs five scenarios of load (81 s of guest time).
	case $name in sched_stress*) lim=$((limit * 3)) ;; *) lim=$limit ;; esac
	watch "${name%%/*}" "$lim" ./test_progs ${TEST_PROGS_VERBOSE:+-v} "${sel[@]}" \
		--json-summary "$out/json/${name%%/*}.json" || rc=1
	echo "guest-check: $name took $((SECONDS - start)) s"
done

# The tree's own sched_ext selftests, on this kernel (a filter naming
# "scx" runs them alone). Results in scx.txt, as "ok|not ok N name".
if [ -z "${1:-}" ] || [ "$1" = scx ]; then
	start=$SECONDS
	# Line-buffered: the tests fork, and would repeat a full stdio buffer.
	watch scx-selftests $((limit * 5)) stdbuf -oL scx_runner -q > "$out/scx.txt" 2>&1 || rc=1
	echo "guest-check: the sched_ext selftests took $((SECONDS - start)) s:" \
		"$(grep -E '^(PASSED|SKIPPED|FAILED):' "$out/scx.txt" | tr -s ' \n' ' ')"
	grep -E '^not ok ' "$out/scx.txt"
fi
exit $rc
