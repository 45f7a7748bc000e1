// SPDX-License-Identifier: GPL-2.0
/*
 * A tag-aware load balancer for co-location: the balancer counts only
 * online work (tag > 0) when it looks for the busiest group and queue,
 * balances where online tasks wait behind each other even if the load
 * looks even, never pulls an online task onto a CPU where another online
 * task is runnable, and lets offline work (tag < 0) fill whatever is
 * left, the kernel's way. With sched_pick_task, each online task then has a CPU of
 * its own while there are CPUs enough.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sched_online.bpf.h"

int nr_cpus = SCHED_MAX_CPUS;	/* set by the loader */

__u64 nr_busiest_online, nr_queue_online, nr_kept_apart, nr_pulled_online;

/* Keep the online counts up to date for tasks whose tag changed while runnable. */
SEC("sched/cfs_update_load_avg")
int BPF_PROG(balance_load_avg, struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	entity_tag_seen(se);
	return 0;
}

/* Online tasks of @span that wait behind another online task on their CPU. */
static __always_inline int online_waiting(const struct cpumask *span)
{
	int cpu, n = 0, nr = nr_cpus < SCHED_MAX_CPUS ? nr_cpus : SCHED_MAX_CPUS;

	bpf_for(cpu, 0, nr) {
		if (sched_cpumask_test(span, cpu) && online_on(cpu) > 1)
			n += online_on(cpu) - 1;
	}
	return n;
}

/* The busier group is the one with more online work waiting. */
SEC("sched/cfs_update_sd_pick_busiest")
int BPF_PROG(balance_busiest, struct sched_lb_ctx *lb, struct sched_lb_group_stats *sgs)
{
	int mine = online_waiting(sgs->span);

	if (mine > 0 && (!sgs->busiest_span || mine > online_waiting(sgs->busiest_span))) {
		__sync_fetch_and_add(&nr_busiest_online, 1);
		return 1;
	}
	return 0;
}

/* Pull from the CPU of the group with the most online tasks, if two wait. */
SEC("sched/cfs_find_busiest_queue")
int BPF_PROG(balance_queue, struct sched_lb_ctx *lb, const struct cpumask *group)
{
	int cpu, best = -1, most = 1, nr = nr_cpus < SCHED_MAX_CPUS ? nr_cpus : SCHED_MAX_CPUS;

	bpf_for(cpu, 0, nr) {
		if (cpu != lb->dst_cpu && sched_cpumask_test(group, cpu) &&
		    online_on(cpu) > most) {
			most = online_on(cpu);
			best = cpu;
		}
	}
	if (best < 0)
		return -1;
	__sync_fetch_and_add(&nr_queue_online, 1);
	return BPF_SCHED_CPU(best);
}

/* Online work waits in the domain and the pulling CPU has none: balance. */
static __always_inline bool online_to_spread(struct sched_lb_ctx *lb)
{
	return online_on(lb->dst_cpu) == 0 && online_waiting(lb->sd_span) > 0;
}

SEC("sched/cfs_find_busiest_group")
int BPF_PROG(balance_group, struct sched_lb_ctx *lb)
{
	return online_to_spread(lb) ? 1 : 0;
}

/* Move one online task at a time, counted in tasks. */
SEC("sched/cfs_calculate_imbalance")
int BPF_PROG(balance_imbalance, struct sched_lb_ctx *lb)
{
	if (!online_to_spread(lb))
		return 0;
	bpf_sched_lb_set_migration_type(lb, 2);	/* migrate_task */
	return 1;
}

/*
 * An online task moves only to a CPU without online work; while online
 * tasks wait on the source, offline ones stay so that an online one goes.
 */
SEC("sched/cfs_can_migrate_task")
int BPF_PROG(balance_can_migrate, struct task_struct *p, struct sched_lb_ctx *lb)
{
	if (bpf_sched_task_tag_of(p) <= 0)
		return lb->src_cpu >= 0 && online_on(lb->src_cpu) > 1 ? -1 : 0;
	if (online_on(lb->dst_cpu) > 0) {
		__sync_fetch_and_add(&nr_kept_apart, 1);
		return -1;
	}
	__sync_fetch_and_add(&nr_pulled_online, 1);
	return 1;
}

char _license[] SEC("license") = "GPL";
