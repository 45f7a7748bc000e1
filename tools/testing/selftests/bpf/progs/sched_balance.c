// SPDX-License-Identifier: GPL-2.0
/*
 * Load-balancing decisions for the tasks tagged 5 (prog_tests/sched_balance.c),
 * and a count of their migrations between two calls of cfs_detach_tasks.
 * Each hook also checks the context it is shown: src_cpu, and the imbalance
 * the kernel computed for a balance cfs_find_busiest_group forced.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/libbpf_sched.h>

#define TAG	5
#define NR_SLOTS	4	/* CPUs and domain levels the checks follow */
#define MIGRATE_LOAD	0	/* enum migration_type, kernel/sched/fair.c */
#define GROUP_OVERLOADED 6	/* enum group_type, kernel/sched/fair.c */

int pid_a;		/* cfs_can_migrate_task decides for this one, -1: all */
int can_ret;
int fbg_ret;		/* cfs_find_busiest_group, every pass */
int pick_ret;		/* cfs_update_sd_pick_busiest, every group */
int fbq_cpu = -1;	/* cfs_find_busiest_queue: this CPU when in the group */
int fbq_raw;		/* or this value, if not 0 */
int fbq_bad;		/* or 1: the pulling CPU, 2: one of the domain outside the group */
int imb_ret;		/* cfs_calculate_imbalance */
int imb_type = -1;	/* and the migration type it sets, if >= 0 */
int detach_ret;		/* cfs_detach_tasks */

__u64 calls_can, calls_fbg, calls_pick, calls_imb, calls_fbq, calls_detach;
__u64 calls_load;
__u64 calls_imb_llc0;	/* cfs_calculate_imbalance for the domain of CPUs 0-1 */
__u64 migrations, max_batch;
__u64 not_by_stopper;	/* migrations done other than by a CPU's stopper thread */
__u64 since_detach[NR_SLOTS];	/* by pulling CPU */
__u64 from_cpu[4];
int first_src = -1;

/*
 * src_cpu: -1 in the hooks called before the busiest CPU is chosen, also
 * on a pass sched_balance_rq() redoes; then the CPU the tasks leave.
 */
__u64 src_early_checked, src_early_bad;
int src_early_seen = -1;	/* the last src_cpu wrongly shown */
__u64 src_late_checked, src_late_bad;
__u64 src_task_checked, src_task_bad;

/*
 * A forced balance between overloaded groups: the load of the busiest
 * candidate cfs_update_sd_pick_busiest saw on the pass, by pulling CPU and
 * domain level, and how the imbalance of cfs_calculate_imbalance compares.
 */
__u64 cand_load[NR_SLOTS][NR_SLOTS];
__u64 cand_overloaded[NR_SLOTS][NR_SLOTS];
__u64 imb_checked, imb_over, imb_worst_load;
long imb_worst;

/* bpf_sched_lb_set_migration_type() past either end, and at its last type. */
int check_types;
int type_past_ret = 1, type_neg_ret = 1, type_last_ret = 1;

static __always_inline void check_no_src(struct sched_lb_ctx *lb)
{
	__sync_fetch_and_add(&src_early_checked, 1);
	if (lb->src_cpu != -1) {
		__sync_fetch_and_add(&src_early_bad, 1);
		src_early_seen = lb->src_cpu;
	}
}

SEC("sched/cfs_update_load_avg")
int BPF_PROG(load_avg, struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	__sync_fetch_and_add(&calls_load, 1);
	return 0;
}

SEC("sched/cfs_can_migrate_task")
int BPF_PROG(can_migrate, struct task_struct *p, struct sched_lb_ctx *lb)
{
	/* @p is queued on the busiest CPU, locked: its CPU cannot change. */
	__sync_fetch_and_add(&src_task_checked, 1);
	if (lb->src_cpu != (int)p->thread_info.cpu)
		__sync_fetch_and_add(&src_task_bad, 1);

	if (!pid_a || (pid_a > 0 && p->tgid != pid_a) || p->tag != TAG)
		return 0;
	__sync_fetch_and_add(&calls_can, 1);
	return can_ret;
}

SEC("sched/cfs_find_busiest_group")
int BPF_PROG(busiest_group, struct sched_lb_ctx *lb)
{
	__sync_fetch_and_add(&calls_fbg, 1);
	check_no_src(lb);
	return fbg_ret;
}

SEC("sched/cfs_update_sd_pick_busiest")
int BPF_PROG(pick_busiest, struct sched_lb_ctx *lb, struct sched_lb_group_stats *sgs)
{
	__u32 cpu = lb->dst_cpu, lvl = lb->sd_level;

	__sync_fetch_and_add(&calls_pick, 1);
	check_no_src(lb);
	if (cpu >= NR_SLOTS || lvl >= NR_SLOTS)
		return pick_ret;
	/*
	 * No busiest group yet: the pass's first candidate. The busiest one
	 * will be among those from here on, so their largest load bounds
	 * its load; the kernel takes an overloaded group over any other.
	 */
	if (!sgs->busiest_span) {
		cand_load[cpu][lvl] = 0;
		cand_overloaded[cpu][lvl] = 0;
	}
	if (sgs->group_load > cand_load[cpu][lvl])
		cand_load[cpu][lvl] = sgs->group_load;
	if (sgs->group_type == GROUP_OVERLOADED)
		cand_overloaded[cpu][lvl] = 1;
	return pick_ret;
}

SEC("sched/cfs_calculate_imbalance")
int BPF_PROG(imbalance, struct sched_lb_ctx *lb)
{
	__u32 cpu = lb->dst_cpu, lvl = lb->sd_level;

	__sync_fetch_and_add(&calls_imb, 1);
	check_no_src(lb);

	/*
	 * Forced, with the busiest group overloaded: a load imbalance comes
	 * from the average-load formula, which takes from the busiest group
	 * only what it has above the domain's average. Half its load with
	 * groups of equal capacity; three quarters is a bound with room to
	 * spare, all of it (or a wrapped-around figure) is wrong.
	 */
	if (fbg_ret > 0 && cpu < NR_SLOTS && lvl < NR_SLOTS &&
	    cand_overloaded[cpu][lvl] && lb->migration_type == MIGRATE_LOAD) {
		__u64 load = cand_load[cpu][lvl];

		__sync_fetch_and_add(&imb_checked, 1);
		if (lb->imbalance < 0 || (__u64)lb->imbalance > load - load / 4) {
			__sync_fetch_and_add(&imb_over, 1);
			imb_worst = lb->imbalance;
			imb_worst_load = load;
		}
	}

	/* Without effect: the program returns no imbalance then. */
	if (check_types && !imb_ret) {
		type_past_ret = bpf_sched_lb_set_migration_type(lb, 4);
		type_neg_ret = bpf_sched_lb_set_migration_type(lb, -1);
		type_last_ret = bpf_sched_lb_set_migration_type(lb, 3);
	}

	if (imb_type >= 0)
		bpf_sched_lb_set_migration_type(lb, imb_type);
	/* A pass of the domain of CPUs 0 and 1 alone, the first LLC. */
	if (!sched_cpumask_test(lb->sd_span, 2))
		__sync_fetch_and_add(&calls_imb_llc0, 1);
	return imb_ret;
}

SEC("sched/cfs_find_busiest_queue")
int BPF_PROG(busiest_queue, struct sched_lb_ctx *lb, const struct cpumask *group)
{
	__sync_fetch_and_add(&calls_fbq, 1);
	check_no_src(lb);
	if (fbq_raw)
		return fbq_raw;
	if (fbq_bad == 1)
		return BPF_SCHED_CPU(lb->dst_cpu);
	if (fbq_bad == 2) {
		int cpu;

		for (cpu = 0; cpu < NR_SLOTS; cpu++)
			if (sched_cpumask_test(lb->sd_span, cpu) &&
			    !sched_cpumask_test(group, cpu))
				return BPF_SCHED_CPU(cpu);
	}
	if (fbq_cpu >= 0 && sched_cpumask_test(group, fbq_cpu))
		return BPF_SCHED_CPU(fbq_cpu);
	return -1;
}

SEC("sched/cfs_detach_tasks")
int BPF_PROG(detach, struct sched_lb_ctx *lb)
{
	__u32 dst;

	__sync_fetch_and_add(&calls_detach, 1);
	/* The busiest CPU is chosen: one of the domain, not the puller. */
	__sync_fetch_and_add(&src_late_checked, 1);
	if (lb->src_cpu < 0 || lb->src_cpu == lb->dst_cpu ||
	    !sched_cpumask_test(lb->sd_span, lb->src_cpu))
		__sync_fetch_and_add(&src_late_bad, 1);
	dst = lb->dst_cpu;
	if (dst < NR_SLOTS)
		since_detach[dst] = 0;
	return detach_ret;
}

/* Is the current task a stopper thread, "migration/N" (active balancing)? */
static __always_inline bool by_stopper(void)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	static const char name[] = "migration/";
	int i;

	for (i = 0; i < sizeof(name) - 1; i++)
		if (cur->comm[i] != name[i])
			return false;
	return true;
}

/* A tracing program: no sched kfuncs here, the tag is read directly. */
SEC("tp_btf/sched_migrate_task")
int BPF_PROG(migrate, struct task_struct *p, int dest_cpu)
{
	__u32 src, dst;

	if (p->tag != TAG)
		return 0;
	__sync_fetch_and_add(&migrations, 1);
	if (!by_stopper())
		__sync_fetch_and_add(&not_by_stopper, 1);
	src = p->thread_info.cpu;
	if (src < 4)
		__sync_fetch_and_add(&from_cpu[src], 1);
	if (first_src < 0)
		first_src = src;
	/*
	 * Tasks a pass detached are attached by the CPU that pulls them, one
	 * pass at a time: per CPU, what moved since its last detach_tasks().
	 */
	dst = dest_cpu;
	if (dst < NR_SLOTS && ++since_detach[dst] > max_batch)
		max_batch = since_detach[dst];
	return 0;
}

char _license[] SEC("license") = "GPL";
