// SPDX-License-Identifier: GPL-2.0
/*
 * A sched program with a global function, and an extension (freplace)
 * program that would replace it: the extension needs the privilege the
 * sched program needed, CAP_SYS_ADMIN.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

int ext_calls;

__noinline int sched_safety_decide(int pid)
{
	return pid < 0;
}

SEC("sched/cfs_check_preempt_wakeup")
int BPF_PROG(with_global, struct task_struct *curr, struct task_struct *p)
{
	return sched_safety_decide(p->pid);
}

SEC("?freplace/sched_safety_decide")
int replace_decide(int pid)
{
	ext_calls++;
	return 0;
}

/*
 * An extension is held to its target's rules, maps included: deleting an
 * element frees its timer, which queues work.
 */
struct timer_elem {
	struct bpf_timer t;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct timer_elem);
} timers SEC(".maps");

SEC("?freplace/sched_safety_decide")
int replace_with_map(int pid)
{
	int key = 0;

	return bpf_map_delete_elem(&timers, &key);
}

char _license[] SEC("license") = "GPL";
