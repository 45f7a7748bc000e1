// SPDX-License-Identifier: GPL-2.0
/* The sched kfuncs from a sched hook and from syscall programs (prog_tests/sched_kfuncs.c). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/libbpf_sched.h>

#define ENOENT	2
#define ESRCH	3
#define ENODEV	19

struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
void bpf_task_release(struct task_struct *p) __ksym;
struct cgroup *bpf_cgroup_from_id(u64 cgid) __ksym;
void bpf_cgroup_release(struct cgroup *cgrp) __ksym;

/* Seen on the hook, for the task wakee_tid. */
int wakee_tid;
__u64 seen;
s64 hook_task_tag, hook_tg_tag, hook_parent_tg_tag;
int hook_is_task, hook_to_task_ok, hook_task_to_tg_null;
/* -1 until the group's entity is seen: 0 is an expected answer */
int hook_parent_is_task = -1, hook_parent_to_task_null = -1;
u64 wakee_tg;	/* the wakee's task group, as an address to compare */

/* The CPU kfuncs on the hook, the first time it runs for the wakee. */
int hook_stats_ret, hook_nr_running, hook_share, hook_topo_ret, hook_op_weight;
int hook_info_ret, hook_nr_online;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct bpf_cpumask_info);
} hook_info SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, struct bpf_cpu_topology);
} hook_topo SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct bpf_cpumask_op_args);
} hook_op SEC(".maps");

static void cpu_kfuncs_on_hook(void)
{
	struct bpf_sched_cpu_stats stats;
	struct bpf_cpumask_op_args *op;
	struct bpf_cpumask_info *info;
	int cpu = bpf_get_smp_processor_id();
	u32 zero = 0;

	hook_stats_ret = bpf_sched_cpu_stats_of(cpu, &stats, sizeof(stats));
	hook_nr_running = stats.nr_running;
	hook_share = bpf_cpus_share_cache(cpu, cpu);
	hook_topo_ret = bpf_init_cpu_topology((struct bpf_map *)&hook_topo);
	info = bpf_map_lookup_elem(&hook_info, &zero);
	if (info) {
		hook_info_ret = bpf_get_cpumask_info(info, sizeof(*info));
		hook_nr_online = info->nr_online;
	}
	op = bpf_map_lookup_elem(&hook_op, &zero);
	if (op) {
		op->op = BPF_CPUMASK_WEIGHT;
		op->src1.bits[0] = 0x6;
		hook_op_weight = bpf_cpumask_op(op, sizeof(*op));
	}
}

SEC("sched/cfs_check_preempt_wakeup")
int BPF_PROG(read_on_hook, struct task_struct *curr, struct task_struct *p)
{
	if (p->pid != wakee_tid)
		return 0;
	hook_task_tag = bpf_sched_task_tag_of(p);
	hook_is_task = bpf_sched_entity_is_task(&p->se);
	hook_to_task_ok = bpf_sched_entity_to_task(&p->se) == p;
	hook_task_to_tg_null = !bpf_sched_entity_to_tg(&p->se);
	hook_tg_tag = bpf_sched_tg_tag_of(p->sched_task_group);
	wakee_tg = (u64)p->sched_task_group;
	if (!seen)
		cpu_kfuncs_on_hook();
	__sync_fetch_and_add(&seen, 1);
	return 0;
}

/*
 * p runs in a cpu cgroup: that group's entity is updated on every tick and
 * wakeup. (p->se.parent would name it too, but a pointer walked from the
 * task is one the getters refuse.)
 */
SEC("sched/cfs_update_load_avg")
int BPF_PROG(read_group_entity, struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	struct task_group *tg = bpf_sched_entity_to_tg(se);

	if (!tg || !wakee_tg || (u64)tg != wakee_tg)
		return 0;
	hook_parent_is_task = bpf_sched_entity_is_task(se);
	hook_parent_to_task_null = !bpf_sched_entity_to_task(se);
	hook_parent_tg_tag = bpf_sched_tg_tag_of(tg);
	return 0;
}

/* Arguments and results of the syscall programs. */
struct task_args {
	int pid;
	int set;		/* set the tag to new_tag, after reading it */
	s64 new_tag;
	s64 tag;		/* out */
	int ret;		/* out */
};

SEC("syscall")
int task_tag(struct task_args *args)
{
	struct task_struct *p = bpf_task_from_pid(args->pid);

	if (!p) {
		args->ret = -ESRCH;
		return 0;
	}
	args->tag = bpf_sched_task_tag_of(p);
	args->ret = args->set ? bpf_sched_set_task_tag(p, args->new_tag) : 0;
	bpf_task_release(p);
	return 0;
}

struct tg_args {
	u64 cgid;
	int set;
	s64 new_tag;
	s64 tag;		/* out */
	int ret;		/* out */
};

SEC("syscall")
int tg_tag(struct tg_args *args)
{
	struct task_group *tg;
	struct cgroup *cgrp;

	cgrp = bpf_cgroup_from_id(args->cgid);
	if (!cgrp) {
		args->ret = -ENOENT;
		return 0;
	}
	tg = bpf_sched_tg_from_cgroup(cgrp);
	bpf_cgroup_release(cgrp);
	if (!tg) {
		args->ret = -ENODEV;
		return 0;
	}
	args->tag = bpf_sched_tg_tag_of(tg);
	args->ret = args->set ? bpf_sched_set_tg_tag(tg, args->new_tag) : 0;
	bpf_sched_tg_release(tg);
	return 0;
}

struct cpu_args {
	int cpu;
	int other_cpu;
	int ret_stats;		/* out: the call for cpu */
	int ret_bad_cpu;	/* out: for -1 */
	int ret_big_cpu;	/* out: for nr_cpu_ids */
	int ret_bad_size;	/* out: a short buffer */
	int ret_info;		/* out */
	int ret_topo;		/* out */
	int share_self;		/* out */
	int share_other;	/* out */
	int share_back;		/* out */
	int share_bad;		/* out */
};

/*
 * The kernel's structs hold cpumasks of NR_CPUS bits: user space cannot
 * know their layout, so the results go out as plain numbers.
 */
#define MAX_CPUS 64

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_CPUS);
	__type(key, u32);
	__type(value, struct bpf_cpu_topology);
} topo SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} not_topo SEC(".maps");

/* Too big for the stack where NR_CPUS is large. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct bpf_cpumask_info);
} info_map SEC(".maps");

unsigned int nr_running, cfs_h_nr_running, idle;
unsigned long cfs_util_avg, capacity_orig;
unsigned int nr_cpu_ids, nr_possible, nr_online, nr_active, nr_housekeeping;
u64 online_mask;		/* CPUs 0-63 of info.online */
/* Right shape, but programs may not write it. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_CPUS);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__type(key, u32);
	__type(value, struct bpf_cpu_topology);
} rdonly_topo SEC(".maps");

int ret_not_topo, ret_rdonly_topo;
int topo_cpu[MAX_CPUS], core_id[MAX_CPUS], package_id[MAX_CPUS], self_sibling[MAX_CPUS];

SEC("syscall")
int cpu_state(struct cpu_args *args)
{
	struct bpf_sched_cpu_stats stats, small;
	struct bpf_cpumask_info *info;
	u32 zero = 0, cpu;

	info = bpf_map_lookup_elem(&info_map, &zero);
	if (!info)
		return 0;

	args->ret_stats = bpf_sched_cpu_stats_of(args->cpu, &stats, sizeof(stats));
	nr_running = stats.nr_running;
	cfs_h_nr_running = stats.cfs_h_nr_running;
	idle = stats.idle;
	cfs_util_avg = stats.cfs_util_avg;
	capacity_orig = stats.capacity_orig;
	args->ret_bad_cpu = bpf_sched_cpu_stats_of(-1, &small, sizeof(small));
	args->ret_bad_size = bpf_sched_cpu_stats_of(args->cpu, &small, sizeof(small) - 8);

	args->ret_info = bpf_get_cpumask_info(info, sizeof(*info));
	nr_cpu_ids = info->nr_cpu_ids;
	nr_possible = info->nr_possible;
	nr_online = info->nr_online;
	nr_active = info->nr_active;
	nr_housekeeping = info->nr_housekeeping;
	for_each_sched_cpu(cpu, MAX_CPUS)
		if (sched_cpumask_test(&info->online, cpu))
			online_mask |= 1ULL << cpu;
	args->ret_big_cpu = bpf_sched_cpu_stats_of(nr_cpu_ids, &small, sizeof(small));

	args->ret_topo = bpf_init_cpu_topology((struct bpf_map *)&topo);
	ret_not_topo = bpf_init_cpu_topology((struct bpf_map *)&not_topo);
	ret_rdonly_topo = bpf_init_cpu_topology((struct bpf_map *)&rdonly_topo);
	for_each_sched_cpu(cpu, MAX_CPUS) {
		struct bpf_cpu_topology *t = bpf_map_lookup_elem(&topo, &cpu);

		if (!t || cpu >= MAX_CPUS)
			break;
		topo_cpu[cpu] = t->cpu;
		core_id[cpu] = t->core_id;
		package_id[cpu] = t->package_id;
		self_sibling[cpu] = sched_cpumask_test(&t->thread_siblings, cpu);
	}

	args->share_self = bpf_cpus_share_cache(args->cpu, args->cpu);
	args->share_other = bpf_cpus_share_cache(args->cpu, args->other_cpu);
	args->share_back = bpf_cpus_share_cache(args->other_cpu, args->cpu);
	args->share_bad = bpf_cpus_share_cache(args->cpu, nr_cpu_ids);
	return 0;
}

/* bpf_cpumask_op() on {0, 2} and {2, 3}; results as numbers. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct bpf_cpumask_op_args);
} op_map SEC(".maps");

int op_ret[NR_BPF_CPUMASK_OPS];
__u64 op_dst[NR_BPF_CPUMASK_OPS];	/* CPUs 0-63 of dst */
int op_bad_op, op_bad_cpu, op_bad_size, op_bad_list, op_no_nul;

static int do_op(struct bpf_cpumask_op_args *a, unsigned int op)
{
	a->op = op;
	__builtin_memset(&a->dst, 0, sizeof(a->dst));
	return bpf_cpumask_op(a, sizeof(*a));
}

SEC("syscall")
int mask_ops(int *ctx)
{
	struct bpf_cpumask_op_args *a;
	u32 zero = 0, op;

	a = bpf_map_lookup_elem(&op_map, &zero);
	if (!a)
		return 0;
	a->src1.bits[0] = 0x5;		/* 0, 2 */
	a->src2.bits[0] = 0xc;		/* 2, 3 */
	a->cpu = 0;
	a->start = 0;
	a->wrap = 1;
	__builtin_memcpy(a->str, "0-1,3", 6);
	for (op = 0; op < NR_BPF_CPUMASK_OPS; op++) {
		if (op == BPF_CPUMASK_NEXT_WRAP) {
			a->cpu = 2;	/* a walk that began at 2: around to 0 */
			a->start = 2;
		}
		op_ret[op] = do_op(a, op);
		op_dst[op] = a->dst.bits[0];
		a->cpu = 0;
		a->start = 0;
	}
	op_bad_op = do_op(a, NR_BPF_CPUMASK_OPS);
	a->cpu = -2;
	op_bad_cpu = do_op(a, BPF_CPUMASK_NEXT);
	a->cpu = 0;
	a->op = BPF_CPUMASK_WEIGHT;
	op_bad_size = bpf_cpumask_op(a, sizeof(*a) - 8);
	__builtin_memcpy(a->str, "0-x", 4);
	op_bad_list = do_op(a, BPF_CPUMASK_CPULIST_PARSE);
	__builtin_memset(a->str, 'a', sizeof(a->str));
	op_no_nul = do_op(a, BPF_CPUMASK_CPULIST_PARSE);
	return 0;
}

char _license[] SEC("license") = "GPL";
