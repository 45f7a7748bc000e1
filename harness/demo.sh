#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run, inside the guest: the co-location scenario
# (samples/bpf/sched_colocation.sh): an online task's wakeup latency beside
# offline CPU hogs on one CPU, with no policy, the kernel's own tools
# (nice 19, SCHED_IDLE, cpu.idle) and the BPF_SCHED samples. The table,
# CSV and plot land in build/vm/colocation on the host.
out=${SCHED_BPF_OUT:?not in the guest}/colocation
echo "== $(uname -r), $(nproc) CPUs"
samples/bpf/sched_colocation.sh "$out" || exit 1
echo "== /sys/kernel/debug/sched/bpf after the runs"
cat /sys/kernel/debug/sched/bpf
