// SPDX-License-Identifier: GPL-2.0
/* Wakeup-preemption decisions for one chosen wakee (prog_tests/sched_wakeup_preempt.c). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

int wakee_tid;		/* the task the programs decide for */
int decision_a;		/* what decide_a returns for it */
int decision_b;		/* what decide_b returns for it */
__u64 calls_a, decided_a;
__u64 calls_b, decided_b;

static __always_inline int decide(struct task_struct *p, __u64 *calls,
				  __u64 *decided, int decision)
{
	__sync_fetch_and_add(calls, 1);
	if (p->pid != wakee_tid)
		return 0;
	__sync_fetch_and_add(decided, 1);
	return decision;
}

SEC("sched/cfs_check_preempt_wakeup")
int BPF_PROG(decide_a, struct task_struct *curr, struct task_struct *p)
{
	return decide(p, &calls_a, &decided_a, decision_a);
}

SEC("sched/cfs_check_preempt_wakeup")
int BPF_PROG(decide_b, struct task_struct *curr, struct task_struct *p)
{
	return decide(p, &calls_b, &decided_b, decision_b);
}

char _license[] SEC("license") = "GPL";
