/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * For authors of BPF_SCHED policies: the sched kfuncs, the tag convention
 * and small helpers. Include after vmlinux.h and bpf_helpers.h. See
 * Documentation/scheduler/sched-bpf.rst for what each kfunc returns and
 * which programs may call it.
 */
#ifndef __LIBBPF_SCHED_H
#define __LIBBPF_SCHED_H

/* The tag convention of the samples; the kernel gives no value a meaning. */
#define SCHED_TAG_OFFLINE	-1
#define SCHED_TAG_NORMAL	0
#define SCHED_TAG_ONLINE	1

/* Tags: any program that may call sched kfuncs. */
s64 bpf_sched_task_tag_of(struct task_struct *p) __weak __ksym;
s64 bpf_sched_tg_tag_of(struct task_group *tg) __weak __ksym;

/* Setters: sleepable programs only (syscall, sleepable struct_ops). */
int bpf_sched_set_task_tag(struct task_struct *p, s64 tag) __weak __ksym;
int bpf_sched_set_tg_tag(struct task_group *tg, s64 tag) __weak __ksym;
struct task_group *bpf_sched_tg_from_cgroup(struct cgroup *cgrp) __weak __ksym;
void bpf_sched_tg_release(struct task_group *tg) __weak __ksym;

/* Scheduling entities. */
int bpf_sched_entity_is_task(struct sched_entity *se) __weak __ksym;
struct task_struct *bpf_sched_entity_to_task(struct sched_entity *se) __weak __ksym;
struct task_group *bpf_sched_entity_to_tg(struct sched_entity *se) __weak __ksym;

/* CPU state and topology. */
int bpf_sched_cpu_stats_of(int cpu, struct bpf_sched_cpu_stats *stats,
			   u32 stats__sz) __weak __ksym;
int bpf_get_cpumask_info(struct bpf_cpumask_info *info, u32 info__sz) __weak __ksym;
int bpf_init_cpu_topology(struct bpf_map *map__map) __weak __ksym;
int bpf_cpus_share_cache(int src_cpu, int dst_cpu) __weak __ksym;
int bpf_cpumask_op(struct bpf_cpumask_op_args *args, u32 args__sz) __weak __ksym;

/* CPU selection: cfs_select_rq and cfs_select_rq_exit only. */
int bpf_sched_select_mask_set(struct sched_migrate_ctx *ctx, int cpu) __weak __ksym;

/* Load balancing: cfs_calculate_imbalance only. */
int bpf_sched_lb_set_migration_type(struct sched_lb_ctx *ctx, int type) __weak __ksym;

/*
 * BPF_SCHED_CPU(cpu) - what a CPU selection hook returns to name @cpu. A
 * program returning 0 has no opinion, so CPU 0 can only be named this way.
 */
#define BPF_SCHED_CPU(cpu)	(BPF_SCHED_CPU_FLAG | (cpu))

/*
 * for_each_sched_cpu(cpu, nr) - run the body for cpu = 0 .. nr - 1, a loop
 * the verifier accepts whatever nr is (an open-coded numbers iterator).
 */
#define for_each_sched_cpu(cpu, nr) bpf_for(cpu, 0, nr)

/* Whether @cpu is set in @mask, a struct cpumask the kernel filled. */
static __always_inline bool sched_cpumask_test(const struct cpumask *mask, u32 cpu)
{
	u32 bits = sizeof(mask->bits[0]) * 8;

	if (cpu >= sizeof(mask->bits) * 8)
		return false;
	return mask->bits[cpu / bits] & (1UL << (cpu % bits));
}

#endif /* __LIBBPF_SCHED_H */
