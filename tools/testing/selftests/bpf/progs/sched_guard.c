// SPDX-License-Identifier: GPL-2.0
/*
 * Policies for the starvation guard's tests (prog_tests/sched_guard.c).
 *
 * hold_*: on the test CPU, never give up the CPU: keep the running entity
 * at every tick and every pick, never preempt on wakeup. Everything that
 * waits there runs only when the guard makes it. The eligibility program
 * also calls the task of pid_held ineligible and the others eligible.
 *
 * hold_offline: an eligibility policy as sched_pick_task's, by tag:
 * entities tagged < 0 are never eligible on the test CPU, > 0 always.
 *
 * observe / place: an observer and a placement policy that has no opinion;
 * neither can keep a task waiting.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/libbpf_sched.h>

int cpu = -1;		/* the test CPU; programs decide there only */
int pid_held;		/* the eligibility program holds this task back */
__u64 calls, observed, placed;

static __always_inline bool on_test_cpu(void)
{
	return bpf_get_smp_processor_id() == cpu;
}

SEC("sched/cfs_check_preempt_tick")
int BPF_PROG(hold_tick, struct sched_entity *curr, unsigned long delta_exec)
{
	if (!on_test_cpu())
		return 0;
	__sync_fetch_and_add(&calls, 1);
	return -1;
}

SEC("sched/cfs_check_preempt_wakeup")
int BPF_PROG(hold_wakeup, struct task_struct *curr, struct task_struct *p)
{
	return on_test_cpu() ? -1 : 0;
}

SEC("sched/cfs_wakeup_preempt_entity")
int BPF_PROG(hold_entity, struct sched_entity *curr, struct sched_entity *se)
{
	return on_test_cpu() ? -1 : 0;
}

SEC("sched/cfs_tag_pick_next_entity")
int BPF_PROG(hold_pick, struct sched_entity *curr, struct sched_entity *next)
{
	return on_test_cpu() && curr ? 1 : 0;
}

SEC("sched/cfs_tag_entity_eligible")
int BPF_PROG(hold_eligible, struct sched_entity *se)
{
	struct task_struct *p;

	if (!on_test_cpu() || !pid_held)
		return 0;
	p = bpf_sched_entity_to_task(se);
	if (!p)
		return 0;
	return p->tgid == pid_held ? -1 : 1;
}

/* hold_offline: on the test CPU, entities tagged < 0 are never eligible. */
SEC("sched/cfs_tag_entity_eligible")
int BPF_PROG(hold_offline, struct sched_entity *se)
{
	struct task_struct *p;
	struct task_group *tg;
	__s64 tag;

	if (!on_test_cpu())
		return 0;
	p = bpf_sched_entity_to_task(se);
	if (p) {
		tag = bpf_sched_task_tag_of(p);
	} else {
		tg = bpf_sched_entity_to_tg(se);
		tag = tg ? bpf_sched_tg_tag_of(tg) : 0;
	}
	return tag < 0 ? -1 : tag > 0 ? 1 : 0;
}

SEC("sched/cfs_update_load_avg")
int BPF_PROG(observe, struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	__sync_fetch_and_add(&observed, 1);
	return 0;
}

SEC("sched/cfs_select_rq")
int BPF_PROG(place, struct sched_migrate_ctx *mctx)
{
	__sync_fetch_and_add(&placed, 1);
	return -1;
}

char _license[] SEC("license") = "GPL";
