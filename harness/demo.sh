#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run, inside the guest: the cfs_check_preempt_wakeup hook at work.
# A task that wakes every millisecond shares one CPU with two busy loops;
# its wakeup latency is measured alone, beside them, and beside them with
# samples/bpf/sched_preempt favouring it.
cpu=$(($(nproc) - 1))
probe() { sched_latprobe -c "$cpu" -n 2000 -i 1000; }

echo "== $(uname -r), $(nproc) CPUs; workload on CPU $cpu"
printf '%-34s' "alone:"; probe

for i in 1 2; do taskset -c "$cpu" bash -c 'while :; do :; done' & done
sleep 0.2
printf '%-34s' "beside two busy loops:"; probe

(sleep 0.5; exec sched_latprobe -c "$cpu" -n 2000 -i 1000) > /tmp/probe.out &
pid=$!
sched_preempt -W -p "$pid" > /tmp/loader.out &
loader=$!
wait "$pid"
printf '%-34s' "beside them, with sched_preempt:"; cat /tmp/probe.out
# Listed after the measurement: bpftool loads and attaches programs of its
# own, and that text patching stalls the guest's CPUs under TCG.
echo "== bpftool prog show / link show (while sched_preempt runs)"
bpftool prog show | grep -A1 ': sched ' | sed 's/^/   /'
bpftool link show | grep -A1 'sched' | sed 's/^/   /'
kill -INT "$loader"; wait "$loader"; tail -n 1 /tmp/loader.out
echo "== /sys/kernel/debug/sched/bpf"
cat /sys/kernel/debug/sched/bpf
kill %1 %2 2>/dev/null
