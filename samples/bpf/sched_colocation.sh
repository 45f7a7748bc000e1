#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sched_colocation.sh [OUTDIR]: the co-location scenario. An online task
# wakes every millisecond on one CPU beside two offline CPU hogs, under
# each of: no policy, hogs at nice 19, SCHED_IDLE hogs, hogs in a cgroup
# with cpu.idle=1, sched_preempt -W -T, sched_pick_task, and both. Prints
# a table of the online task's wakeup latency (p50/p99/max, us) and the
# hogs' share of the CPU; writes OUTDIR/colocation.csv, the latencies of
# each run, and OUTDIR/colocation.png (with gnuplot).
# Needs sched_colocation, sched_preempt and sched_pick_task in PATH, root,
# cgroup v2 at /sys/fs/cgroup.
out=${1:-.}
cpu=$(($(nproc) - 1))
cg=/sys/fs/cgroup/sched_colocation_idle
mkdir -p "$out" || exit 1

# run LABEL [LOADER ARGS...] -- COLOCATION ARGS...
run() {
	local label=$1 loaders=() pids=() a
	shift
	while [ "$1" != -- ]; do loaders+=("$1"); shift; done
	shift
	for a in "${loaders[@]}"; do
		# shellcheck disable=SC2086 # a loader and its flags
		$a > "$out/$label.loader.${#pids[@]}" 2>&1 &
		pids+=($!)
	done
	# Measure the policy, not its attaching: wait for each loader's
	# "Ctrl-C to stop", printed once all its programs are attached.
	for ((a = 0; a < ${#pids[@]}; a++)); do
		until grep -q 'Ctrl-C to stop' "$out/$label.loader.$a"; do
			kill -0 "${pids[a]}" 2>/dev/null || {
				cat "$out/$label.loader.$a" >&2; return 1; }
			sleep 0.1
		done
	done
	sched_colocation -c "$cpu" -l "$label" -o "$out/$label.lat" "$@" >> "$out/colocation.csv"
	for a in "${pids[@]}"; do kill -INT "$a"; wait "$a"; done
}

echo "label,p50_us,p99_us,max_us,offline_cpu_pct" > "$out/colocation.csv"
grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control ||
	echo +cpu > /sys/fs/cgroup/cgroup.subtree_control || exit 1
mkdir -p "$cg" && echo 1 > "$cg/cpu.idle" || exit 1
run none -- || exit 1
run nice19 -- -N 19
run sched_idle -- -I
run cpu_idle -- -g "$cg"
run preempt_WT "sched_preempt -W -T" -- -t
run pick_task "sched_pick_task" -- -t
run both "sched_preempt -W -T" "sched_pick_task" -- -t
rmdir "$cg"

echo "online wakeup latency beside 2 offline hogs on CPU $cpu ($(nproc) CPUs):"
column -s, -t < "$out/colocation.csv"
if command -v gnuplot > /dev/null; then
	plots=""
	for l in none nice19 sched_idle cpu_idle preempt_WT pick_task both; do
		sort -n "$out/$l.lat" | awk '{ print $1, NR }' > "$out/$l.cdf"
		n=$(wc -l < "$out/$l.cdf")
		plots+="${plots:+, }'$out/$l.cdf' using 1:(1-\$2/$n) with steps title '$l'"
	done
	gnuplot -e "set terminal png size 900,600 noenhanced; set output '$out/colocation.png';
		set logscale xy; set yrange [1e-4:1]; set xlabel 'wakeup latency (us)';
		set ylabel 'fraction of wakeups later than that'; set key top right;
		plot $plots" && echo "plot: $out/colocation.png"
fi
