/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BPF-programmable fair scheduling: the kernel side of the hooks listed in
 * include/linux/sched_hook_defs.h. See Documentation/scheduler/sched-bpf.rst.
 */
#ifndef _LINUX_BPF_SCHED_H
#define _LINUX_BPF_SCHED_H

#include <linux/cpumask.h>
#include <linux/jump_label.h>
#include <linux/percpu.h>
#include <linux/types.h>

struct bpf_map;
struct bpf_prog;
struct bpf_verifier_log;
struct btf;
struct task_struct;
struct sched_entity;

/*
 * What bpf_sched_cpu_stats_of() reports about one CPU: a snapshot read
 * without the runqueue lock, so fields may be mutually inconsistent.
 */
struct bpf_sched_cpu_stats {
	unsigned int nr_running;	/* all classes */
	unsigned int cfs_nr_running;	/* entities on the root cfs_rq */
	unsigned int cfs_h_nr_running;	/* runnable fair tasks, all levels */
	unsigned int cfs_idle_h_nr_running; /* of those, SCHED_IDLE */
	unsigned int rt_nr_running;
	unsigned int idle;		/* the CPU is idle now */
	unsigned long cfs_load_avg;
	unsigned long cfs_runnable_avg;
	unsigned long cfs_util_avg;
	unsigned long rt_load_avg;
	unsigned long rt_runnable_avg;
	unsigned long rt_util_avg;
	unsigned long irq_load_avg;	/* 0 without CONFIG_HAVE_SCHED_AVG_IRQ */
	unsigned long irq_runnable_avg;
	unsigned long irq_util_avg;
	unsigned long capacity;		/* left for fair tasks */
	unsigned long capacity_orig;	/* of the CPU at its highest frequency */
	u64 avg_idle;			/* ns, see rq->avg_idle */
	u64 idle_stamp;			/* rq clock when it went idle, or 0 */
};

/* What bpf_get_cpumask_info() reports: the CPU masks and their weights. */
struct bpf_cpumask_info {
	unsigned int nr_cpu_ids;
	unsigned int nr_possible;
	unsigned int nr_online;
	unsigned int nr_active;
	unsigned int nr_housekeeping;	/* CPUs not isolated from domains */
	struct cpumask possible;
	struct cpumask online;
	struct cpumask active;
	struct cpumask housekeeping;
};

/* One CPU's entry in the array map that bpf_init_cpu_topology() fills. */
struct bpf_cpu_topology {
	int cpu;
	int core_id;
	int cluster_id;			/* -1 where the arch has none */
	int die_id;			/* -1 where the arch has none */
	int package_id;
	int numa_node;
	struct cpumask thread_siblings;	/* SMT siblings, the CPU included */
	struct cpumask core_siblings;	/* CPUs of its package */
	struct cpumask cluster_siblings;
};

/* The operations of bpf_cpumask_op(), on the masks in its arguments. */
enum bpf_cpumask_op_type {
	BPF_CPUMASK_EMPTY,		/* src1 is empty */
	BPF_CPUMASK_AND,		/* dst = src1 & src2, not empty */
	BPF_CPUMASK_ANDNOT,		/* dst = src1 & ~src2, not empty */
	BPF_CPUMASK_SUBSET,		/* src1 is a subset of src2 */
	BPF_CPUMASK_EQUAL,		/* src1 equals src2 */
	BPF_CPUMASK_TEST_CPU,		/* cpu is in src1 */
	BPF_CPUMASK_COPY,		/* dst = src1 */
	BPF_CPUMASK_WEIGHT,		/* CPUs in src1 */
	BPF_CPUMASK_NEXT,		/* next CPU of src1 after cpu */
	BPF_CPUMASK_NEXT_WRAP,		/* the same, from cpu around to start */
	BPF_CPUMASK_NEXT_AND,		/* next CPU of src1 & src2 after cpu */
	BPF_CPUMASK_CPULIST_PARSE,	/* dst = the CPU list in str */
	NR_BPF_CPUMASK_OPS,
};

#define BPF_CPUMASK_STR_LEN 128

/*
 * The arguments of bpf_cpumask_op(): the masks are held by value, so the
 * kernel never follows a pointer a program wrote.
 */
struct bpf_cpumask_op_args {
	unsigned int op;		/* enum bpf_cpumask_op_type */
	int cpu;			/* TEST_CPU, NEXT* (-1: from the first) */
	int start;			/* NEXT_WRAP */
	int wrap;			/* NEXT_WRAP */
	char str[BPF_CPUMASK_STR_LEN];	/* CPULIST_PARSE, NUL-terminated */
	struct cpumask dst;
	struct cpumask src1;
	struct cpumask src2;
};

/*
 * What cfs_select_rq and cfs_select_rq_exit see (read-only), see
 * include/linux/sched_hook_defs.h.
 */
struct sched_migrate_ctx {
	struct task_struct *task;
	const struct cpumask *cpus_allowed;	/* the task's allowed CPUs */
	struct cpumask *select_mask;	/* bpf_sched_select_mask_set() fills it */
	int prev_cpu;			/* the CPU the task last ran on */
	int curr_cpu;			/* the CPU selecting: the waker's, the forker's */
	int wake_flags;			/* WF_TTWU, WF_FORK, WF_EXEC, WF_SYNC, ... */
	int is_sync;			/* the waker is about to sleep */
	int want_affine;		/* the kernel considers the waker's CPU */
	int sd_flag;			/* the SD_BALANCE_* flag of the selection */
	int new_cpu;			/* cfs_select_rq_exit: the kernel's choice */
};

/* What cfs_wake_affine sees (read-only). */
struct sched_affine_ctx {
	struct task_struct *task;
	int prev_cpu;			/* the CPU the wakee last ran on */
	int curr_cpu;			/* the waker's CPU */
	int is_sync;			/* the waker is about to sleep */
};

/* What the CPU selection hooks return besides a CPU number. */
enum bpf_sched_cpu_ret {
	BPF_SCHED_CPU_DEFAULT = -1,	/* the kernel's choice */
	BPF_SCHED_CPU_IN_MASK = -2,	/* an idle CPU of ctx->select_mask, else the kernel's */
	/*
	 * A program returning 0 has no opinion (see sched_hook_defs.h), so
	 * CPU 0 is named BPF_SCHED_CPU_FLAG | 0; any CPU may be named so.
	 */
	BPF_SCHED_CPU_FLAG = 1 << 30,
};

/*
 * What the load-balance hooks see of a balancing pass (read-only): what
 * the pass has decided when the hook is called. src_cpu is -1 until the
 * busiest CPU is chosen (it is set in cfs_detach_tasks and
 * cfs_can_migrate_task only); migration_type and imbalance are 0 until
 * calculate_imbalance() sets them (from cfs_calculate_imbalance on). This
 * holds on every pass, also on one that sched_balance_rq() redoes without
 * the busiest CPU after finding all of its tasks pinned.
 */
struct sched_lb_ctx {
	int src_cpu;			/* the busiest CPU, -1 until it is chosen */
	int dst_cpu;			/* the CPU pulling */
	const struct cpumask *sd_span;	/* the CPUs of the domain balanced */
	int sd_level;			/* its level, 0 the lowest */
	int idle;			/* enum cpu_idle_type of dst_cpu */
	int migration_type;		/* enum migration_type: load, util, task, misfit */
	long imbalance;			/* in units of migration_type */
	unsigned int nr_balance_failed;	/* of the domain */
	int new_migration_type;		/* bpf_sched_lb_set_migration_type() */
};

/* A group's statistics, as the balancer computed them (read-only). */
struct sched_lb_group_stats {
	const struct cpumask *span;	/* the group's CPUs */
	const struct cpumask *busiest_span; /* the busiest group so far, or NULL */
	unsigned long avg_load;
	unsigned long group_load;
	unsigned long group_capacity;
	unsigned long group_util;
	unsigned long group_runnable;
	unsigned int sum_nr_running;	/* all classes */
	unsigned int sum_h_nr_running;	/* fair tasks */
	unsigned int idle_cpus;
	unsigned int group_weight;
	int group_type;			/* enum group_type */
};

#ifdef CONFIG_BPF_SCHED

/* Per CPU, per hook; moved only while the hook's key is on. */
struct bpf_sched_hook_stats {
	u64 calls;	/* the hook was called */
	u64 changed;	/* and returned other than its DEFAULT */
	u64 rejected;	/* the call site found the decision invalid */
};

/*
 * For each hook NAME: its attach point, the key that is on while at least
 * one program is linked to it, its counters, and whether a value the
 * attach point returned is a program's decision, that is anything but
 * DEFAULT, what the attach point returns by itself.
 */
#define BPF_SCHED_HOOK(RET, DEFAULT, NAME, ...)				\
	RET bpf_sched_##NAME(__VA_ARGS__);				\
	DECLARE_STATIC_KEY_FALSE(bpf_sched_key_##NAME);			\
	DECLARE_PER_CPU(struct bpf_sched_hook_stats, bpf_sched_stats_##NAME); \
	static inline bool bpf_sched_changed_##NAME(long ret)		\
	{								\
		return ret != (DEFAULT);				\
	}
#include <linux/sched_hook_defs.h>
#undef BPF_SCHED_HOOK

/* True while at least one program is attached to hook NAME. */
#define bpf_sched_hook_on(NAME)						\
	static_branch_unlikely(&bpf_sched_key_##NAME)

/*
 * Call hook NAME (only where bpf_sched_hook_on(NAME)) and count the call,
 * and whether a program changed its decision.
 */
#define bpf_sched_call(NAME, ...)					\
({									\
	typeof(bpf_sched_##NAME(__VA_ARGS__)) __ret;			\
									\
	__ret = bpf_sched_##NAME(__VA_ARGS__);				\
	this_cpu_inc(bpf_sched_stats_##NAME.calls);			\
	if (bpf_sched_changed_##NAME(__ret))				\
		this_cpu_inc(bpf_sched_stats_##NAME.changed);		\
	__ret;								\
})

/* Call notification hook NAME, which returns nothing, and count the call. */
#define bpf_sched_notify(NAME, ...)					\
do {									\
	bpf_sched_##NAME(__VA_ARGS__);					\
	this_cpu_inc(bpf_sched_stats_##NAME.calls);			\
} while (0)

/* The call site of hook NAME refused what the program returned. */
#define bpf_sched_reject(NAME)						\
	this_cpu_inc(bpf_sched_stats_##NAME.rejected)

/*
 * The starvation guard (kernel/sched/fair.c): while a hook that can hold a
 * task back has a program (and the kill switch is 1), a runnable fair task
 * that waited longer than kernel.sched_bpf_max_wait_ms is picked regardless
 * of the programs.
 */
DECLARE_STATIC_KEY_FALSE(bpf_sched_key_guard);
DECLARE_PER_CPU(u64, bpf_sched_guard_overrides);
/* Tree nodes the guard's picks visited, to show what finding a waiter costs. */
DECLARE_PER_CPU(u64, bpf_sched_guard_steps);
/* The bound in ns. */
extern u64 bpf_sched_max_wait_ns;

#define bpf_sched_guard_on()	static_branch_unlikely(&bpf_sched_key_guard)

int bpf_sched_verify_prog(struct bpf_verifier_log *vlog,
			  const struct bpf_prog *prog);
void bpf_sched_prog_linked(const struct bpf_prog *prog, bool linked);
bool bpf_sched_kfunc_allowed(const struct btf *btf, u32 kfunc_id);
int bpf_sched_check_map(struct bpf_verifier_log *log, struct bpf_map *map);

/* Tags: kernel/sched/bpf_sched_tag.c */
struct cred;
int bpf_sched_tag_permitted(const struct cred *cred, struct task_struct *p);
int bpf_sched_write_task_tag(const struct cred *cred, struct task_struct *p,
			     s64 tag, bool process);

#else /* !CONFIG_BPF_SCHED */

#define bpf_sched_hook_on(...)		false

/*
 * No hook is ever on, so the calls below are dead code. Their arguments
 * still go to a function: a variable built only to be passed to a hook
 * then counts as used.
 */
static inline int bpf_sched_call_off(const char *hook, ...)
{
	return 0;
}

#define bpf_sched_call(NAME, ...)	bpf_sched_call_off(#NAME, __VA_ARGS__)
#define bpf_sched_notify(NAME, ...)	((void)bpf_sched_call_off(#NAME, __VA_ARGS__))
#define bpf_sched_reject(...)		do { } while (0)
#define bpf_sched_guard_on()		false

/* Unreachable: without CONFIG_BPF_SCHED the program type is not registered. */
static inline int bpf_sched_verify_prog(struct bpf_verifier_log *vlog,
					const struct bpf_prog *prog)
{
	return -EOPNOTSUPP;
}

static inline void bpf_sched_prog_linked(const struct bpf_prog *prog,
					 bool linked)
{
}

static inline bool bpf_sched_kfunc_allowed(const struct btf *btf, u32 kfunc_id)
{
	return true;
}

static inline int bpf_sched_check_map(struct bpf_verifier_log *log,
				      struct bpf_map *map)
{
	return 0;
}

#endif /* CONFIG_BPF_SCHED */
#endif /* _LINUX_BPF_SCHED_H */
