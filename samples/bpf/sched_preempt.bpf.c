// SPDX-License-Identifier: GPL-2.0
/*
 * Wakeup preemption for latency-critical processes: a favoured process
 * preempts whatever else runs when it wakes up, and is not preempted by
 * the wakeups of others. Everything else is left to EEVDF.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, pid_t);	/* tgid */
	__type(value, __u8);
} favoured SEC(".maps");

__u64 nr_preempt, nr_kept;

static bool is_favoured(struct task_struct *p)
{
	pid_t tgid = p->tgid;

	return bpf_map_lookup_elem(&favoured, &tgid);
}

SEC("sched/cfs_check_preempt_wakeup")
int BPF_PROG(sched_preempt_wakeup, struct task_struct *curr, struct task_struct *p)
{
	if (is_favoured(p)) {
		__sync_fetch_and_add(&nr_preempt, 1);
		return 1;
	}
	if (is_favoured(curr)) {
		__sync_fetch_and_add(&nr_kept, 1);
		return -1;
	}
	return 0;
}

char _license[] SEC("license") = "GPL";
