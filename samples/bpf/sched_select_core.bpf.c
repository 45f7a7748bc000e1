// SPDX-License-Identifier: GPL-2.0
/*
 * CPU selection policies, one per program; the loader attaches the ones
 * asked for.
 *
 *   select_range (-R): a task whose tag has a CPU range runs inside it
 *       while the range has an idle CPU or one with spare capacity (util
 *       below 85% of capacity); else where the kernel would place it.
 *   select_custom (-C): a new task goes to the allowed CPU with the lowest
 *       CFS load; a waking one to its previous CPU if idle, else the first
 *       idle allowed CPU from there on, else its previous CPU.
 *   wake_affine_pull (-W): a wakee is pulled next to its waker (the waker's
 *       CPU becomes the target the kernel searches around, in its cache
 *       domain) unless the waker's CPU is overloaded: producer and consumer
 *       then share a cache.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/libbpf_sched.h>

#define WF_FORK		0x04
#define WF_TTWU		0x08
#define MAX_CPUS	64	/* the ranges are 64-bit CPU masks */

/* tag -> the CPUs of its range, bit n for CPU n */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __s64);
	__type(value, __u64);
} ranges SEC(".maps");

int nr_cpus = MAX_CPUS;	/* set by the loader */

__u64 nr_range_idle, nr_range_spare, nr_range_full;
__u64 nr_fork_least_loaded, nr_wake_prev, nr_wake_idle, nr_wake_busy;
__u64 nr_pulled, nr_not_pulled;

static __always_inline bool cpu_stats(int cpu, struct bpf_sched_cpu_stats *st)
{
	return !bpf_sched_cpu_stats_of(cpu, st, sizeof(*st));
}

static __always_inline bool allowed(struct sched_migrate_ctx *sel, int cpu)
{
	return sched_cpumask_test(sel->cpus_allowed, cpu);
}

SEC("sched/cfs_select_rq")
int BPF_PROG(select_range, struct sched_migrate_ctx *sel)
{
	__s64 tag = bpf_sched_task_tag_of(sel->task);
	struct bpf_sched_cpu_stats st;
	int cpu, spare = -1, nr = nr_cpus < MAX_CPUS ? nr_cpus : MAX_CPUS;
	__u64 *range;

	range = bpf_map_lookup_elem(&ranges, &tag);
	if (!range)
		return -1;
	bpf_for(cpu, 0, nr) {
		if (!(*range & (1ULL << cpu)) || !allowed(sel, cpu) ||
		    !cpu_stats(cpu, &st))
			continue;
		if (st.idle) {
			__sync_fetch_and_add(&nr_range_idle, 1);
			return BPF_SCHED_CPU(cpu);
		}
		if (spare < 0 && st.cfs_util_avg * 100 < st.capacity * 85)
			spare = cpu;
	}
	if (spare >= 0) {
		__sync_fetch_and_add(&nr_range_spare, 1);
		return BPF_SCHED_CPU(spare);
	}
	__sync_fetch_and_add(&nr_range_full, 1);
	return -1;
}

SEC("sched/cfs_select_rq")
int BPF_PROG(select_custom, struct sched_migrate_ctx *sel)
{
	struct bpf_sched_cpu_stats st;
	int cpu, i, best = -1, nr = nr_cpus < MAX_CPUS ? nr_cpus : MAX_CPUS;
	unsigned long best_load = ~0UL;

	if (sel->wake_flags & WF_FORK) {
		bpf_for(cpu, 0, nr) {
			if (!allowed(sel, cpu) || !cpu_stats(cpu, &st))
				continue;
			if (st.cfs_load_avg < best_load) {
				best_load = st.cfs_load_avg;
				best = cpu;
			}
		}
		if (best < 0)
			return -1;
		__sync_fetch_and_add(&nr_fork_least_loaded, 1);
		return BPF_SCHED_CPU(best);
	}
	if (!(sel->wake_flags & WF_TTWU))
		return -1;
	if (cpu_stats(sel->prev_cpu, &st) && st.idle) {
		__sync_fetch_and_add(&nr_wake_prev, 1);
		return BPF_SCHED_CPU(sel->prev_cpu);
	}
	bpf_for(i, 1, nr) {
		cpu = (__u32)(sel->prev_cpu + i) % (__u32)nr;
		if (allowed(sel, cpu) && cpu_stats(cpu, &st) && st.idle) {
			__sync_fetch_and_add(&nr_wake_idle, 1);
			return BPF_SCHED_CPU(cpu);
		}
	}
	__sync_fetch_and_add(&nr_wake_busy, 1);
	return BPF_SCHED_CPU(sel->prev_cpu);
}

SEC("sched/cfs_wake_affine")
int BPF_PROG(wake_affine_pull, struct sched_affine_ctx *aff)
{
	struct bpf_sched_cpu_stats st;

	if (!cpu_stats(aff->curr_cpu, &st) ||
	    st.nr_running > 1 || st.cfs_util_avg * 100 >= st.capacity * 85) {
		__sync_fetch_and_add(&nr_not_pulled, 1);
		return -1;
	}
	__sync_fetch_and_add(&nr_pulled, 1);
	return BPF_SCHED_CPU(aff->curr_cpu);
}

char _license[] SEC("license") = "GPL";
