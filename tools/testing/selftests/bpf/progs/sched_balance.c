// SPDX-License-Identifier: GPL-2.0
/*
 * Load-balancing decisions for the tasks tagged 5 (prog_tests/sched_balance.c),
 * and a count of their migrations between two calls of cfs_detach_tasks.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/libbpf_sched.h>

#define TAG	5

int pid_a;		/* cfs_can_migrate_task decides for this one, -1: all */
int can_ret;
int fbg_ret;		/* cfs_find_busiest_group, every pass */
int pick_ret;		/* cfs_update_sd_pick_busiest, every group */
int fbq_cpu = -1;	/* cfs_find_busiest_queue: this CPU when in the group */
int fbq_raw;		/* or this value, if not 0 */
int imb_ret;		/* cfs_calculate_imbalance */
int imb_type = -1;	/* and the migration type it sets, if >= 0 */
int detach_ret;		/* cfs_detach_tasks */

__u64 calls_can, calls_fbg, calls_pick, calls_imb, calls_fbq, calls_detach;
__u64 calls_load;
__u64 migrations, since_detach, max_batch;
__u64 from_cpu[4];
int first_src = -1;

SEC("sched/cfs_update_load_avg")
int BPF_PROG(load_avg, struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	__sync_fetch_and_add(&calls_load, 1);
	return 0;
}

SEC("sched/cfs_can_migrate_task")
int BPF_PROG(can_migrate, struct task_struct *p, struct sched_lb_ctx *lb)
{
	if (!pid_a || (pid_a > 0 && p->tgid != pid_a) || p->tag != TAG)
		return 0;
	__sync_fetch_and_add(&calls_can, 1);
	return can_ret;
}

SEC("sched/cfs_find_busiest_group")
int BPF_PROG(busiest_group, struct sched_lb_ctx *lb)
{
	__sync_fetch_and_add(&calls_fbg, 1);
	return fbg_ret;
}

SEC("sched/cfs_update_sd_pick_busiest")
int BPF_PROG(pick_busiest, struct sched_lb_ctx *lb, struct sched_lb_group_stats *sgs)
{
	__sync_fetch_and_add(&calls_pick, 1);
	return pick_ret;
}

SEC("sched/cfs_calculate_imbalance")
int BPF_PROG(imbalance, struct sched_lb_ctx *lb)
{
	__sync_fetch_and_add(&calls_imb, 1);
	if (imb_type >= 0)
		bpf_sched_lb_set_migration_type(lb, imb_type);
	return imb_ret;
}

SEC("sched/cfs_find_busiest_queue")
int BPF_PROG(busiest_queue, struct sched_lb_ctx *lb, const struct cpumask *group)
{
	__sync_fetch_and_add(&calls_fbq, 1);
	if (fbq_raw)
		return fbq_raw;
	if (fbq_cpu >= 0 && sched_cpumask_test(group, fbq_cpu))
		return BPF_SCHED_CPU(fbq_cpu);
	return -1;
}

SEC("sched/cfs_detach_tasks")
int BPF_PROG(detach, struct sched_lb_ctx *lb)
{
	__sync_fetch_and_add(&calls_detach, 1);
	since_detach = 0;
	return detach_ret;
}

/* A tracing program: no sched kfuncs here, the tag is read directly. */
SEC("tp_btf/sched_migrate_task")
int BPF_PROG(migrate, struct task_struct *p, int dest_cpu)
{
	__u32 src;

	if (p->tag != TAG)
		return 0;
	__sync_fetch_and_add(&migrations, 1);
	src = p->thread_info.cpu;
	if (src < 4)
		__sync_fetch_and_add(&from_cpu[src], 1);
	if (first_src < 0)
		first_src = src;
	if (++since_detach > max_batch)
		max_batch = since_detach;
	return 0;
}

char _license[] SEC("license") = "GPL";
