// SPDX-License-Identifier: GPL-2.0
/*
 * A chaos policy (prog_tests/sched_stress.c): a program on every hook,
 * returning at random what a hook may get from a buggy or hostile policy:
 * "no opinion", either decision, INT_MAX and INT_MIN, plain and flagged
 * CPU numbers in and far out of range, random bits; the selection and
 * balancing programs also call their setters with random arguments. The
 * kernel must validate every one of them where it is used.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/libbpf_sched.h>

__u64 calls;

static __always_inline int chaos(void)
{
	__u32 r = bpf_get_prandom_u32();

	__sync_fetch_and_add(&calls, 1);
	switch (r & 7) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return -1;
	case 3:
		return 0x7fffffff;
	case 4:
		return -0x7fffffff - 1;	/* INT_MIN */
	case 5:
		return BPF_SCHED_CPU((r >> 8) % 64);
	case 6:
		return (r >> 8) % 8;
	default:
		return (int)r;
	}
}

static __always_inline int chaos_cpu(void)
{
	return (int)(bpf_get_prandom_u32() % 80) - 8;
}

SEC("sched/cfs_check_preempt_wakeup")
int BPF_PROG(c_wakeup, struct task_struct *curr, struct task_struct *p)
{
	return chaos();
}

SEC("sched/cfs_check_preempt_tick")
int BPF_PROG(c_tick, struct sched_entity *curr, unsigned long delta_exec)
{
	return chaos();
}

SEC("sched/cfs_wakeup_preempt_entity")
int BPF_PROG(c_entity, struct sched_entity *curr, struct sched_entity *se)
{
	return chaos();
}

SEC("sched/cfs_tag_pick_next_entity")
int BPF_PROG(c_pick, struct sched_entity *curr, struct sched_entity *next)
{
	return chaos();
}

SEC("sched/cfs_tag_entity_eligible")
int BPF_PROG(c_eligible, struct sched_entity *se)
{
	return chaos();
}

SEC("sched/cfs_enqueue_task")
int BPF_PROG(c_enqueue, struct rq *rq, struct task_struct *p)
{
	chaos();
	return 0;
}

SEC("sched/cfs_dequeue_task")
int BPF_PROG(c_dequeue, struct rq *rq, struct task_struct *p)
{
	chaos();
	return 0;
}

SEC("sched/cfs_select_rq")
int BPF_PROG(c_select, struct sched_migrate_ctx *mctx)
{
	if (bpf_get_prandom_u32() & 1)
		bpf_sched_select_mask_set(mctx, chaos_cpu());
	return chaos();
}

SEC("sched/cfs_wake_affine")
int BPF_PROG(c_affine, struct sched_affine_ctx *actx)
{
	return chaos();
}

SEC("sched/cfs_select_rq_exit")
int BPF_PROG(c_select_exit, struct sched_migrate_ctx *mctx)
{
	return chaos();
}

SEC("sched/cfs_update_load_avg")
int BPF_PROG(c_load, struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	chaos();
	return 0;
}

SEC("sched/cfs_can_migrate_task")
int BPF_PROG(c_can_migrate, struct task_struct *p, struct sched_lb_ctx *lctx)
{
	return chaos();
}

SEC("sched/cfs_find_busiest_group")
int BPF_PROG(c_busiest_group, struct sched_lb_ctx *lctx)
{
	if (bpf_get_prandom_u32() & 1)
		bpf_sched_lb_set_migration_type(lctx, chaos_cpu());
	return chaos();
}

SEC("sched/cfs_update_sd_pick_busiest")
int BPF_PROG(c_pick_busiest, struct sched_lb_ctx *lctx, struct sched_lb_group_stats *sgs)
{
	return chaos();
}

SEC("sched/cfs_calculate_imbalance")
int BPF_PROG(c_imbalance, struct sched_lb_ctx *lctx)
{
	if (bpf_get_prandom_u32() & 1)
		bpf_sched_lb_set_migration_type(lctx, chaos_cpu());
	return chaos();
}

SEC("sched/cfs_find_busiest_queue")
int BPF_PROG(c_busiest_queue, struct sched_lb_ctx *lctx, const struct cpumask *group)
{
	return chaos();
}

SEC("sched/cfs_detach_tasks")
int BPF_PROG(c_detach, struct sched_lb_ctx *lctx)
{
	return chaos();
}

/*
 * Not loaded unless asked for (storm and scx do): kept attached while the
 * chaos programs come and go, it has no opinion but keeps a program on a
 * hook that can hold a task back, and so the starvation guard on.
 */
SEC("?sched/cfs_tag_entity_eligible")
int BPF_PROG(keep_guard_on, struct sched_entity *se)
{
	return 0;
}

char _license[] SEC("license") = "GPL";
