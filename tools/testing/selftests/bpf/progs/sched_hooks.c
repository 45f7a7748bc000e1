// SPDX-License-Identifier: GPL-2.0
/*
 * Decisions on the preemption, pick and eligibility hooks, and counts on
 * the enqueue/dequeue notifications (prog_tests/sched_hooks.c). Each
 * program decides for two chosen processes, A and B, or for a group
 * entity with a chosen tag (as for A), and returns ret_other for
 * everything else.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/libbpf_sched.h>

int pid_a, pid_b;	/* tgids of the chosen processes, 0 for none */
s64 group_tag_a;	/* a group entity with this tag counts as A, if != 0 */
int ret_a, ret_b, ret_other;
int armed;		/* count enqueues and dequeues once both programs run */

__u64 calls, calls_a, calls_b;
__u64 calls_no_curr;
__u64 enqueued_a, dequeued_a;
__u64 enqueued_b;	/* by enqueue_b */
__u64 requeued_a;	/* enqueues that found it queued: a delayed dequeue ended */

static __always_inline int which(struct sched_entity *se)
{
	struct task_struct *p = bpf_sched_entity_to_task(se);
	struct task_group *tg;

	if (!p) {
		if (!group_tag_a)
			return 0;
		tg = bpf_sched_entity_to_tg(se);
		return tg && bpf_sched_tg_tag_of(tg) == group_tag_a;
	}
	if (pid_a && p->tgid == pid_a)
		return 1;
	if (pid_b && p->tgid == pid_b)
		return 2;
	return 0;
}

static __always_inline int decide(int who)
{
	__sync_fetch_and_add(&calls, 1);
	if (who == 1) {
		__sync_fetch_and_add(&calls_a, 1);
		return ret_a;
	}
	if (who == 2) {
		__sync_fetch_and_add(&calls_b, 1);
		return ret_b;
	}
	return ret_other;
}

/* For the running entity: reschedule (> 0) or keep (< 0). */
SEC("sched/cfs_check_preempt_tick")
int BPF_PROG(tick, struct sched_entity *curr, unsigned long delta_exec)
{
	return decide(which(curr));
}

/* For the waking entity: preempt (> 0) or not (< 0). */
SEC("sched/cfs_wakeup_preempt_entity")
int BPF_PROG(entity, struct sched_entity *curr, struct sched_entity *se)
{
	return decide(which(se));
}

/* For the waking task, at task level: preempt (> 0) or not (< 0). */
SEC("sched/cfs_check_preempt_wakeup")
int BPF_PROG(wakeup, struct task_struct *curr, struct task_struct *p)
{
	if (pid_a && p->tgid == pid_a)
		return decide(1);
	if (pid_b && p->tgid == pid_b)
		return decide(2);
	return decide(0);
}

/* For the running entity: keep it (> 0). */
SEC("sched/cfs_tag_pick_next_entity")
int BPF_PROG(pick, struct sched_entity *curr, struct sched_entity *next)
{
	if (!curr)
		return 0;
	return decide(which(curr));
}

/* Keep curr (> 0) always, also when there is none to keep. */
SEC("sched/cfs_tag_pick_next_entity")
int BPF_PROG(pick_always, struct sched_entity *curr, struct sched_entity *next)
{
	__sync_fetch_and_add(&calls, 1);
	if (!curr)
		__sync_fetch_and_add(&calls_no_curr, 1);
	return 1;
}

/* For any entity: eligible (> 0), not (< 0), EEVDF's test (0). */
SEC("sched/cfs_tag_entity_eligible")
int BPF_PROG(eligible, struct sched_entity *se)
{
	return decide(which(se));
}

SEC("sched/cfs_enqueue_task")
int BPF_PROG(enqueue, struct rq *rq, struct task_struct *p)
{
	if (armed && pid_a && p->tgid == pid_a) {
		__sync_fetch_and_add(&enqueued_a, 1);
		if (p->on_rq == 1)	/* TASK_ON_RQ_QUEUED */
			__sync_fetch_and_add(&requeued_a, 1);
	}
	return 0;
}

/* A second program on the void hook: every program runs. */
SEC("sched/cfs_enqueue_task")
int BPF_PROG(enqueue_b, struct rq *rq, struct task_struct *p)
{
	if (armed && pid_a && p->tgid == pid_a)
		__sync_fetch_and_add(&enqueued_b, 1);
	return 0;
}

SEC("sched/cfs_dequeue_task")
int BPF_PROG(dequeue, struct rq *rq, struct task_struct *p)
{
	if (armed && pid_a && p->tgid == pid_a)
		__sync_fetch_and_add(&dequeued_a, 1);
	return 0;
}

char _license[] SEC("license") = "GPL";
