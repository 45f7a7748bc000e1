// SPDX-License-Identifier: GPL-2.0
/*
 * BPF-programmable fair scheduling.
 *
 * A BPF_PROG_TYPE_SCHED program attaches, through a BPF trampoline with
 * modify-return semantics, to one of the attach points generated below from
 * include/linux/sched_hook_defs.h, and its return value becomes that hook's
 * decision. Each hook has a static key that is on only while a program is
 * linked to it (and the kernel.sched_bpf_enabled kill switch is 1), so a
 * kernel that never attaches anything pays one patched-out branch per call
 * site. See Documentation/scheduler/sched-bpf.rst.
 */
#include <linux/bpf.h>
#include <linux/bpf_sched.h>
#include <linux/bpf_verifier.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/debugfs.h>
#include <linux/filter.h>
#include <linux/mmu_context.h>
#include <linux/mutex.h>
#include <linux/sched/isolation.h>
#include <linux/seq_file.h>
#include <linux/sysctl.h>
#include "sched.h"

/* The verifier's allowlist: the hooks' BTF ids, in list order. */
BTF_ID_LIST(bpf_sched_hook_btf_ids)

/*
 * For each hook: its key, its counters, its BTF id in the verifier's
 * allowlist (BTF_ID() adds it to the list above, in list order) and its
 * attach point. The attach points must stay real calls with their
 * arguments intact for the trampoline: noinline, outside the scheduler's
 * translation units, and the return value hidden from the optimizer so
 * that no caller can assume it is DEFAULT. The cast is a no-op for the
 * hooks that return a decision and discards the value for the
 * notifications, which return void.
 */
#define BPF_SCHED_HOOK(RET, DEFAULT, NAME, ...)				\
DEFINE_STATIC_KEY_FALSE(bpf_sched_key_##NAME);				\
DEFINE_PER_CPU(struct bpf_sched_hook_stats, bpf_sched_stats_##NAME);	\
BTF_ID(func, bpf_sched_##NAME)						\
									\
noinline RET bpf_sched_##NAME(__VA_ARGS__)				\
{									\
	long __ret = (DEFAULT);						\
									\
	OPTIMIZER_HIDE_VAR(__ret);					\
	return (RET)__ret;						\
}

#include <linux/sched_hook_defs.h>
#undef BPF_SCHED_HOOK

/* The hooks in list order; a hook's id is its index here. */
static const struct bpf_sched_hook {
	const char *name;
	struct static_key_false *key;
	struct bpf_sched_hook_stats __percpu *stats;
	bool notify;			/* returns void: programs only observe */
	bool holds;			/* can hold a task back: the guard's */
	long dflt;			/* what the attach point returns */
} bpf_sched_hooks[] = {
#define __BPF_SCHED_HOOK_ENTRY(RET, DEFAULT, NAME, HOLDS)		\
	{								\
		.name = #NAME,						\
		.key = &bpf_sched_key_##NAME,				\
		.stats = &bpf_sched_stats_##NAME,			\
		.notify = __same_type(RET, void),			\
		.holds = (HOLDS),					\
		.dflt = (DEFAULT),					\
	},
#define BPF_SCHED_HOOK(RET, DEFAULT, NAME, ...)				\
	__BPF_SCHED_HOOK_ENTRY(RET, DEFAULT, NAME, false)
#define BPF_SCHED_HOOK_HOLD(RET, DEFAULT, NAME, ...)			\
	__BPF_SCHED_HOOK_ENTRY(RET, DEFAULT, NAME, true)
#include <linux/sched_hook_defs.h>
#undef BPF_SCHED_HOOK_HOLD
#undef BPF_SCHED_HOOK
#undef __BPF_SCHED_HOOK_ENTRY
};

#define NR_BPF_SCHED_HOOKS	ARRAY_SIZE(bpf_sched_hooks)

/*
 * Serialises the per-hook program counts, the kill switch and the key flips
 * that follow from them. Taken only from process context (link creation and
 * release, sysctl writes), never under a scheduler lock: flipping a static
 * key takes cpus_read_lock() and patches text.
 */
static DEFINE_MUTEX(bpf_sched_mutex);
static unsigned int bpf_sched_nr_progs[NR_BPF_SCHED_HOOKS];
static int sysctl_sched_bpf_enabled = 1;

/*
 * The starvation guard. Its key is on while a hook that can hold a task
 * back (BPF_SCHED_HOOK_HOLD) has a program: fair.c then looks at each tick
 * for a task that waited longer than the bound. fair.c keeps every task's
 * wait whether the key is on or not, so the guard is right from the start.
 */
#define BPF_SCHED_MAX_WAIT_MS_DEFAULT	1000
#define BPF_SCHED_MAX_WAIT_MS_MAX	10000
static unsigned int sysctl_sched_bpf_max_wait_ms = BPF_SCHED_MAX_WAIT_MS_DEFAULT;
static unsigned int bpf_sched_max_wait_ms_max = BPF_SCHED_MAX_WAIT_MS_MAX;
u64 bpf_sched_max_wait_ns = BPF_SCHED_MAX_WAIT_MS_DEFAULT * NSEC_PER_MSEC;
DEFINE_STATIC_KEY_FALSE(bpf_sched_key_guard);
DEFINE_PER_CPU(u64, bpf_sched_guard_overrides);
DEFINE_PER_CPU(u64, bpf_sched_guard_steps);

static int bpf_sched_hook_id(u32 btf_id)
{
	int i;

	for (i = 0; i < NR_BPF_SCHED_HOOKS; i++)
		if (bpf_sched_hook_btf_ids[i] == btf_id)
			return i;
	return -ENOENT;
}

/*
 * Called with bpf_sched_mutex held. The guard comes on before a hook that
 * can hold a task back and goes after it, so that no program holds a task
 * back without it.
 */
static void bpf_sched_update_key(int id)
{
	bool on = sysctl_sched_bpf_enabled && bpf_sched_nr_progs[id];
	bool guard = false;
	int i;

	/* Observers and placement cannot keep a task waiting: no guard. */
	for (i = 0; i < NR_BPF_SCHED_HOOKS; i++)
		guard |= sysctl_sched_bpf_enabled && bpf_sched_nr_progs[i] &&
			 bpf_sched_hooks[i].holds;
	if (guard)
		static_branch_enable(&bpf_sched_key_guard);
	if (on)
		static_branch_enable(bpf_sched_hooks[id].key);
	else
		static_branch_disable(bpf_sched_hooks[id].key);
	if (!guard)
		static_branch_disable(&bpf_sched_key_guard);
}

int bpf_sched_verify_prog(struct bpf_verifier_log *vlog,
			  const struct bpf_prog *prog)
{
	if (!prog->gpl_compatible) {
		bpf_log(vlog, "sched programs must have a GPL compatible license\n");
		return -EINVAL;
	}
	if (!btf_is_kernel(prog->aux->attach_btf) ||
	    btf_is_module(prog->aux->attach_btf) ||
	    bpf_sched_hook_id(prog->aux->attach_btf_id) < 0) {
		bpf_log(vlog,
			"%s is not a sched hook: sched programs attach to bpf_sched_<hook>, see include/linux/sched_hook_defs.h\n",
			prog->aux->attach_func_name);
		return -EINVAL;
	}
	return 0;
}

/*
 * A program was linked to (@linked) or unlinked from its hook's trampoline.
 * Called from process context, outside any scheduler lock.
 */
void bpf_sched_prog_linked(const struct bpf_prog *prog, bool linked)
{
	int id;

	if (prog->type != BPF_PROG_TYPE_SCHED)
		return;
	id = bpf_sched_hook_id(prog->aux->attach_btf_id);
	if (WARN_ON_ONCE(id < 0))
		return;

	mutex_lock(&bpf_sched_mutex);
	if (linked)
		bpf_sched_nr_progs[id]++;
	else if (!WARN_ON_ONCE(!bpf_sched_nr_progs[id]))
		bpf_sched_nr_progs[id]--;
	bpf_sched_update_key(id);
	mutex_unlock(&bpf_sched_mutex);
}

/*
 * A sched program runs with a runqueue lock (or a task's pi_lock) held and
 * interrupts off. It gets what tracing programs get, but for the helpers
 * that may wake a task (and so take a runqueue lock: an AA deadlock when it
 * is this CPU's) or write memory that is not the program's:
 *
 * - bpf_timer_*: a timer's callback runs later in softirq context, and
 *   freeing an element that holds a timer queues a work item, which wakes
 *   a kworker; maps with timers are refused too, see bpf_sched_check_map();
 * - bpf_send_signal, bpf_send_signal_thread, bpf_probe_write_user: they
 *   act on whatever task happens to be current, in a scheduler hook a
 *   bystander (signals are deferred through irq_work there, but a policy
 *   has no business killing or writing into the task it interrupted);
 * - bpf_get_func_ret on a notification hook: its trampoline keeps no return
 *   value, and the helper would read the word above the arguments.
 *
 * The kfuncs with the same hazards are refused in bpf_sched_kfunc_allowed().
 * The list is in Documentation/scheduler/sched-bpf.rst.
 */
static const struct bpf_func_proto *
bpf_sched_func_proto(enum bpf_func_id func_id, const struct bpf_prog *prog)
{
	switch (func_id) {
	case BPF_FUNC_timer_init:
	case BPF_FUNC_timer_set_callback:
	case BPF_FUNC_timer_start:
	case BPF_FUNC_timer_cancel:
	case BPF_FUNC_send_signal:
	case BPF_FUNC_send_signal_thread:
	case BPF_FUNC_probe_write_user:
		return NULL;
	case BPF_FUNC_get_func_ret:
		if (!prog->aux->attach_func_proto ||
		    !prog->aux->attach_func_proto->type)
			return NULL;
		return tracing_prog_func_proto(func_id, prog);
	default:
		return tracing_prog_func_proto(func_id, prog);
	}
}

/*
 * The context is the hook's arguments, which the trampoline saved on its
 * stack. Programs only read it: a value stored there would read back as an
 * argument of the hook's BTF type (a trusted pointer from a scalar), and
 * the next program on the hook would see it.
 */
static bool bpf_sched_is_valid_access(int off, int size,
				      enum bpf_access_type type,
				      const struct bpf_prog *prog,
				      struct bpf_insn_access_aux *info)
{
	if (type != BPF_READ) {
		bpf_log(info->log,
			"sched programs cannot write their context (the hook's arguments)\n");
		return false;
	}
	return bpf_tracing_btf_ctx_access(off, size, type, prog, info);
}

const struct bpf_prog_ops bpf_sched_prog_ops = {
};

const struct bpf_verifier_ops bpf_sched_verifier_ops = {
	.get_func_proto	= bpf_sched_func_proto,
	.is_valid_access = bpf_sched_is_valid_access,
};

/*
 * Helper kfuncs, named as in the openEuler API so that policies written
 * for it stay close to source compatible. Getters are KF_RCU: they take
 * trusted pointers (hook arguments, the tasks of the hooks' contexts) or
 * RCU-protected ones (a task's sched_task_group, what the entity helpers
 * return, which are KF_RCU_PROTECTED), never a pointer walked from memory
 * the verifier cannot vouch for. Their NULL tests are for callers the
 * verifier does not see through. Setters take locks and walk task lists: they are
 * KF_SLEEPABLE, so that the verifier refuses them in sched programs, which
 * run under the runqueue lock, and in non-sleepable struct_ops callbacks.
 */
__bpf_kfunc_start_defs();

/**
 * bpf_sched_task_tag_of - the tag of a task
 * @p: the task
 *
 * Return: @p's tag; 0 when @p is NULL.
 */
__bpf_kfunc s64 bpf_sched_task_tag_of(struct task_struct *p)
{
	return p ? READ_ONCE(p->tag) : 0;
}

/**
 * bpf_sched_tg_tag_of - the tag of a task group
 * @tg: the task group
 *
 * Return: @tg's tag; 0, the root group's, when @tg is NULL.
 */
__bpf_kfunc s64 bpf_sched_tg_tag_of(struct task_group *tg)
{
#ifdef CONFIG_CGROUP_SCHED
	return tg ? READ_ONCE(tg->tag) : 0;
#else
	return 0;
#endif
}

/**
 * bpf_sched_set_task_tag - set the tag of one task
 * @p: the task, trusted (e.g. from bpf_task_from_pid())
 * @tag: the new tag
 *
 * The caller needs what a write to /proc/<pid>/tag needs, see
 * bpf_sched_tag_permitted(): loading a syscall program takes only CAP_BPF.
 *
 * Return: 0; -EPERM (or the LSM's error) if the caller may not.
 */
__bpf_kfunc int bpf_sched_set_task_tag(struct task_struct *p, s64 tag)
{
	return bpf_sched_write_task_tag(current_cred(), p, tag, false);
}

/**
 * bpf_sched_set_tg_tag - set the tag of a group, its descendants and tasks
 * @tg: the task group, trusted (from bpf_sched_tg_from_cgroup())
 * @tag: the new tag
 *
 * The same propagation, and the same permission, as a write to cpu.tag.
 *
 * Return: 0; -EPERM if the caller may not (see bpf_sched_tag_permitted());
 * -EINVAL for the root group; -EOPNOTSUPP without CONFIG_CGROUP_SCHED.
 */
__bpf_kfunc int bpf_sched_set_tg_tag(struct task_group *tg, s64 tag)
{
#ifdef CONFIG_CGROUP_SCHED
	int ret = bpf_sched_tag_permitted(current_cred(), NULL);

	return ret ?: bpf_sched_set_tg_tag_all(tg, tag);
#else
	return -EOPNOTSUPP;
#endif
}

/**
 * bpf_sched_tg_from_cgroup - the cpu controller's task group of a cgroup
 * @cgrp: the cgroup, trusted (e.g. from bpf_cgroup_from_id())
 *
 * Return: a reference to the task group, to be dropped with
 * bpf_sched_tg_release(); NULL if @cgrp has no cpu controller.
 */
__bpf_kfunc struct task_group *bpf_sched_tg_from_cgroup(struct cgroup *cgrp)
{
#ifdef CONFIG_CGROUP_SCHED
	struct cgroup_subsys_state *css;

	css = cgroup_get_e_css(cgrp, &cpu_cgrp_subsys);
	if (!css)
		return NULL;
	if (css->cgroup != cgrp) {	/* an ancestor's: no group of its own */
		css_put(css);
		return NULL;
	}
	return css_tg(css);
#else
	return NULL;
#endif
}

/**
 * bpf_sched_tg_release - drop a reference from bpf_sched_tg_from_cgroup()
 * @tg: the task group
 */
__bpf_kfunc void bpf_sched_tg_release(struct task_group *tg)
{
#ifdef CONFIG_CGROUP_SCHED
	css_put(&tg->css);
#endif
}

/**
 * bpf_sched_entity_is_task - whether a scheduling entity is a task's
 * @se: the entity
 *
 * Return: 1 for a task's entity, 0 for a group's, -EINVAL for NULL.
 */
__bpf_kfunc int bpf_sched_entity_is_task(struct sched_entity *se)
{
	if (!se)
		return -EINVAL;
	return entity_is_task(se);
}

/**
 * bpf_sched_entity_to_task - the task of a task's scheduling entity
 * @se: the entity
 *
 * Return: the task; NULL for a group's entity or NULL @se.
 */
__bpf_kfunc struct task_struct *bpf_sched_entity_to_task(struct sched_entity *se)
{
	if (!se || !entity_is_task(se))
		return NULL;
	return task_of(se);
}

/**
 * bpf_sched_entity_to_tg - the task group a group's scheduling entity runs
 * @se: the entity
 *
 * Return: the group whose runqueue @se stands for; NULL for a task's entity
 * (use the task's sched_task_group) or NULL @se.
 */
__bpf_kfunc struct task_group *bpf_sched_entity_to_tg(struct sched_entity *se)
{
#ifdef CONFIG_FAIR_GROUP_SCHED
	if (se && !entity_is_task(se))
		return group_cfs_rq(se)->tg;
#endif
	return NULL;
}

/**
 * bpf_sched_cpu_stats_of - a snapshot of one CPU's scheduler state
 * @cpu: the CPU
 * @stats: where to put it
 * @stats__sz: sizeof(*@stats)
 *
 * Read without the runqueue lock.
 *
 * Return: 0; -EINVAL for a CPU that is not possible or a wrong size.
 */
__bpf_kfunc int bpf_sched_cpu_stats_of(int cpu, struct bpf_sched_cpu_stats *stats,
				       u32 stats__sz)
{
	struct rq *rq;

	if (stats__sz != sizeof(*stats) || (unsigned int)cpu >= nr_cpu_ids ||
	    !cpu_possible(cpu))
		return -EINVAL;

	rq = cpu_rq(cpu);
	memset(stats, 0, sizeof(*stats));
	stats->nr_running = READ_ONCE(rq->nr_running);
	stats->cfs_nr_running = READ_ONCE(rq->cfs.nr_running);
	stats->cfs_h_nr_running = READ_ONCE(rq->cfs.h_nr_runnable);
	stats->cfs_idle_h_nr_running = READ_ONCE(rq->cfs.idle_h_nr_running);
	stats->rt_nr_running = READ_ONCE(rq->rt.rt_nr_running);
	stats->idle = idle_cpu(cpu);
#ifdef CONFIG_SMP
	stats->cfs_load_avg = READ_ONCE(rq->cfs.avg.load_avg);
	stats->cfs_runnable_avg = READ_ONCE(rq->cfs.avg.runnable_avg);
	stats->cfs_util_avg = READ_ONCE(rq->cfs.avg.util_avg);
	stats->rt_load_avg = READ_ONCE(rq->avg_rt.load_avg);
	stats->rt_runnable_avg = READ_ONCE(rq->avg_rt.runnable_avg);
	stats->rt_util_avg = READ_ONCE(rq->avg_rt.util_avg);
#ifdef CONFIG_HAVE_SCHED_AVG_IRQ
	stats->irq_load_avg = READ_ONCE(rq->avg_irq.load_avg);
	stats->irq_runnable_avg = READ_ONCE(rq->avg_irq.runnable_avg);
	stats->irq_util_avg = READ_ONCE(rq->avg_irq.util_avg);
#endif
	stats->capacity = READ_ONCE(rq->cpu_capacity);
	stats->avg_idle = READ_ONCE(rq->avg_idle);
	stats->idle_stamp = READ_ONCE(rq->idle_stamp);
#else
	stats->capacity = SCHED_CAPACITY_SCALE;
#endif
	stats->capacity_orig = arch_scale_cpu_capacity(cpu);
	return 0;
}

/**
 * bpf_get_cpumask_info - the possible, online, active and housekeeping CPUs
 * @info: where to put them
 * @info__sz: sizeof(*@info)
 *
 * Return: 0; -EINVAL for a wrong size.
 */
__bpf_kfunc int bpf_get_cpumask_info(struct bpf_cpumask_info *info, u32 info__sz)
{
	const struct cpumask *hk = housekeeping_cpumask(HK_TYPE_DOMAIN);

	if (info__sz != sizeof(*info))
		return -EINVAL;
	info->nr_cpu_ids = nr_cpu_ids;
	cpumask_copy(&info->possible, cpu_possible_mask);
	cpumask_copy(&info->online, cpu_online_mask);
	cpumask_copy(&info->active, cpu_active_mask);
	cpumask_and(&info->housekeeping, hk, cpu_possible_mask);
	info->nr_possible = cpumask_weight(&info->possible);
	info->nr_online = cpumask_weight(&info->online);
	info->nr_active = cpumask_weight(&info->active);
	info->nr_housekeeping = cpumask_weight(&info->housekeeping);
	return 0;
}

/**
 * bpf_init_cpu_topology - fill an array map with the CPU topology
 * @map__map: a BPF_MAP_TYPE_ARRAY of struct bpf_cpu_topology, keyed by
 *	      CPU, with at least nr_cpu_ids entries, no special fields and
 *	      writable by programs
 *
 * Entries of CPUs that are not possible are zeroed, their cpu field -1.
 *
 * Return: the number of possible CPUs filled in; -EINVAL for any other map.
 */
__bpf_kfunc int bpf_init_cpu_topology(struct bpf_map *map__map)
{
	struct bpf_map *map = map__map;
	u32 cpu;

	/* The program must be allowed to write the map itself. */
	if (map->map_type != BPF_MAP_TYPE_ARRAY ||
	    (map->map_flags & BPF_F_RDONLY_PROG) ||
	    map->value_size != sizeof(struct bpf_cpu_topology) ||
	    map->max_entries < nr_cpu_ids || !IS_ERR_OR_NULL(map->record))
		return -EINVAL;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct bpf_cpu_topology *t = map->ops->map_lookup_elem(map, &cpu);

		if (!t)
			return -EINVAL;
		memset(t, 0, sizeof(*t));
		t->cpu = -1;
		if (!cpu_possible(cpu))
			continue;
		t->cpu = cpu;
		t->core_id = topology_core_id(cpu);
		t->die_id = topology_die_id(cpu);
		t->cluster_id = topology_cluster_id(cpu);
		t->package_id = topology_physical_package_id(cpu);
		t->numa_node = cpu_to_node(cpu);
		cpumask_copy(&t->thread_siblings, topology_sibling_cpumask(cpu));
		cpumask_copy(&t->core_siblings, topology_core_cpumask(cpu));
		cpumask_copy(&t->cluster_siblings, topology_cluster_cpumask(cpu));
	}
	return num_possible_cpus();
}

/**
 * bpf_cpus_share_cache - whether two CPUs share the last-level cache
 * @src_cpu: one CPU
 * @dst_cpu: the other
 *
 * Return: 1 or 0; -EINVAL for a CPU that is not possible.
 */
__bpf_kfunc int bpf_cpus_share_cache(int src_cpu, int dst_cpu)
{
	if ((unsigned int)src_cpu >= nr_cpu_ids || !cpu_possible(src_cpu) ||
	    (unsigned int)dst_cpu >= nr_cpu_ids || !cpu_possible(dst_cpu))
		return -EINVAL;
	return cpus_share_cache(src_cpu, dst_cpu);
}

/* -1 (from the first CPU) or a CPU below nr_cpu_ids. */
static bool bpf_cpumask_op_cpu_ok(int cpu)
{
	return cpu >= -1 && cpu < (int)nr_cpu_ids;
}

/**
 * bpf_cpumask_op - an operation on CPU masks held in @args
 * @args: the operation, its masks and numbers; dst takes a result mask
 * @args__sz: sizeof(*@args)
 *
 * The NEXT operations return nr_cpu_ids or more when no CPU is left.
 *
 * Return: the operation's result (a boolean, a weight or a CPU) or 0;
 * -EINVAL for an unknown operation, a CPU out of range, a @str without a
 * NUL or a wrong size; what cpulist_parse() returns for a bad list.
 */
__bpf_kfunc int bpf_cpumask_op(struct bpf_cpumask_op_args *args, u32 args__sz)
{
	if (args__sz != sizeof(*args))
		return -EINVAL;

	switch (args->op) {
	case BPF_CPUMASK_EMPTY:
		return cpumask_empty(&args->src1);
	case BPF_CPUMASK_AND:
		return cpumask_and(&args->dst, &args->src1, &args->src2);
	case BPF_CPUMASK_ANDNOT:
		return cpumask_andnot(&args->dst, &args->src1, &args->src2);
	case BPF_CPUMASK_SUBSET:
		return cpumask_subset(&args->src1, &args->src2);
	case BPF_CPUMASK_EQUAL:
		return cpumask_equal(&args->src1, &args->src2);
	case BPF_CPUMASK_TEST_CPU:
		if (args->cpu < 0 || !bpf_cpumask_op_cpu_ok(args->cpu))
			return -EINVAL;
		return cpumask_test_cpu(args->cpu, &args->src1);
	case BPF_CPUMASK_COPY:
		cpumask_copy(&args->dst, &args->src1);
		return 0;
	case BPF_CPUMASK_WEIGHT:
		return cpumask_weight(&args->src1);
	case BPF_CPUMASK_NEXT:
		if (!bpf_cpumask_op_cpu_ok(args->cpu))
			return -EINVAL;
		return cpumask_next(args->cpu, &args->src1);
	case BPF_CPUMASK_NEXT_WRAP:
		if (!bpf_cpumask_op_cpu_ok(args->cpu) || args->start < 0 ||
		    !bpf_cpumask_op_cpu_ok(args->start))
			return -EINVAL;
		return cpumask_next_wrap(args->cpu, &args->src1, args->start,
					 args->wrap);
	case BPF_CPUMASK_NEXT_AND:
		if (!bpf_cpumask_op_cpu_ok(args->cpu))
			return -EINVAL;
		return cpumask_next_and(args->cpu, &args->src1, &args->src2);
	case BPF_CPUMASK_CPULIST_PARSE:
		if (!memchr(args->str, '\0', sizeof(args->str)))
			return -EINVAL;
		return cpulist_parse(args->str, &args->dst);
	default:
		return -EINVAL;
	}
}

/**
 * bpf_sched_select_mask_set - add a CPU to a selection's mask
 * @ctx: the context of cfs_select_rq or cfs_select_rq_exit
 * @cpu: the CPU
 *
 * The mask starts empty at each call of the hook. A program that returns
 * BPF_SCHED_CPU_IN_MASK has the kernel take an idle CPU of it.
 *
 * Return: 0; -EINVAL for a CPU that is not possible.
 */
__bpf_kfunc int bpf_sched_select_mask_set(struct sched_migrate_ctx *ctx, int cpu)
{
	if ((unsigned int)cpu >= nr_cpu_ids || !cpu_possible(cpu) ||
	    !ctx->select_mask)
		return -EINVAL;
	cpumask_set_cpu(cpu, ctx->select_mask);
	return 0;
}

/**
 * bpf_sched_lb_set_migration_type - change what cfs_calculate_imbalance counts
 * @ctx: the context of cfs_calculate_imbalance
 * @type: 0 load, 1 utilization, 2 tasks, 3 a misfit task
 *
 * Takes effect when the program then returns a new imbalance (> 0), which
 * is in units of @type.
 *
 * Return: 0; -EINVAL for an unknown type.
 */
__bpf_kfunc int bpf_sched_lb_set_migration_type(struct sched_lb_ctx *ctx, int type)
{
	/* enum migration_type is fair.c's; sched.h has its bound. */
	if ((unsigned int)type >= NR_MIGRATION_TYPES)
		return -EINVAL;
	ctx->new_migration_type = type;
	return 0;
}

__bpf_kfunc_end_defs();

/* For sched programs, sched_ext and syscall programs alike. */
BTF_KFUNCS_START(bpf_sched_kfunc_ids)
BTF_ID_FLAGS(func, bpf_sched_task_tag_of, KF_RCU)
BTF_ID_FLAGS(func, bpf_sched_tg_tag_of, KF_RCU)
BTF_ID_FLAGS(func, bpf_sched_set_task_tag, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_ID_FLAGS(func, bpf_sched_set_tg_tag, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_ID_FLAGS(func, bpf_sched_tg_from_cgroup, KF_ACQUIRE | KF_RET_NULL | KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, bpf_sched_tg_release, KF_RELEASE)
BTF_ID_FLAGS(func, bpf_sched_entity_is_task, KF_RCU)
BTF_ID_FLAGS(func, bpf_sched_entity_to_task, KF_RCU | KF_RET_NULL | KF_RCU_PROTECTED)
BTF_ID_FLAGS(func, bpf_sched_entity_to_tg, KF_RCU | KF_RET_NULL | KF_RCU_PROTECTED)
BTF_ID_FLAGS(func, bpf_sched_cpu_stats_of)
BTF_ID_FLAGS(func, bpf_get_cpumask_info)
BTF_ID_FLAGS(func, bpf_init_cpu_topology)
BTF_ID_FLAGS(func, bpf_cpus_share_cache)
BTF_ID_FLAGS(func, bpf_cpumask_op)
BTF_ID_FLAGS(func, bpf_sched_select_mask_set, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, bpf_sched_lb_set_migration_type, KF_TRUSTED_ARGS)
BTF_KFUNCS_END(bpf_sched_kfunc_ids)

BTF_ID_LIST(bpf_sched_setter_ids)
BTF_ID(func, bpf_sched_set_task_tag)
BTF_ID(func, bpf_sched_set_tg_tag)

/*
 * The struct_ops hook is shared by every struct_ops type (TCP congestion
 * control among them): of those, only sched_ext's get the kfuncs.
 */
static int bpf_sched_kfunc_filter(const struct bpf_prog *prog, u32 kfunc_id)
{
	const struct btf_type *t = NULL;
	const struct btf *btf;

	if (!btf_id_set8_contains(&bpf_sched_kfunc_ids, kfunc_id) ||
	    resolve_prog_type(prog) != BPF_PROG_TYPE_STRUCT_OPS)
		return 0;
	/*
	 * The setters check the caller's credentials: in a struct_ops
	 * callback those are whichever task's the callback runs in.
	 */
	if (kfunc_id == bpf_sched_setter_ids[0] || kfunc_id == bpf_sched_setter_ids[1])
		return -EACCES;
	/* An extension is judged by the struct_ops program it extends. */
	if (prog->type == BPF_PROG_TYPE_EXT)
		prog = prog->aux->dst_prog;
	/* A struct_ops program's attach_btf_id is the ops type's. */
	btf = prog ? prog->aux->attach_btf : NULL;
	if (btf)
		t = btf_type_by_id(btf, prog->aux->attach_btf_id);
	if (t && btf_is_kernel(btf) && !btf_is_module(btf) &&
	    !strcmp(btf_name_by_offset(btf, t->name_off), "sched_ext_ops"))
		return 0;
	return -EACCES;
}

static const struct btf_kfunc_id_set bpf_sched_kfunc_set = {
	.owner	= THIS_MODULE,
	.set	= &bpf_sched_kfunc_ids,
	.filter	= bpf_sched_kfunc_filter,
};

/*
 * Kfuncs that sched programs may not call although their set is theirs
 * (or every program type's): releasing a cgroup's or a task group's
 * reference may be the last put, which queues the css's release work and
 * so wakes a kworker (a runqueue lock); cgroup v1 lookups and css task
 * iterators take css_set_lock, which is held while tasks are woken (a lock
 * order inversion); bpf_wq starts a work item, which wakes a kworker.
 * Acquiring a cgroup is refused with its release, so that no sched program
 * holds a reference it could not drop.
 */
BTF_SET_START(bpf_sched_kfunc_deny)
#ifdef CONFIG_CGROUPS
BTF_ID(func, bpf_cgroup_acquire)
BTF_ID(func, bpf_cgroup_ancestor)
BTF_ID(func, bpf_cgroup_from_id)
BTF_ID(func, bpf_cgroup_release)
BTF_ID(func, bpf_task_get_cgroup1)
BTF_ID(func, bpf_iter_css_task_new)
#endif
BTF_ID(func, bpf_sched_tg_from_cgroup)
BTF_ID(func, bpf_sched_tg_release)
BTF_ID(func, bpf_wq_init)
BTF_ID(func, bpf_wq_set_callback_impl)
BTF_ID(func, bpf_wq_start)
BTF_SET_END(bpf_sched_kfunc_deny)

/* Called by the verifier for each kfunc call of a sched program. */
bool bpf_sched_kfunc_allowed(const struct btf *btf, u32 kfunc_id)
{
	return !btf_is_kernel(btf) || btf_is_module(btf) ||
	       !btf_id_set_contains(&bpf_sched_kfunc_deny, kfunc_id);
}

/* Whether freeing a map value with this record may wake a task. */
static bool bpf_sched_record_ok(struct bpf_verifier_log *log,
				const struct btf_record *rec, int depth)
{
	const struct btf_field *f;
	const struct btf_type *t;
	const char *name;
	int i;

	if (IS_ERR_OR_NULL(rec))
		return true;
	if (rec->field_mask & (BPF_TIMER | BPF_WORKQUEUE)) {
		bpf_log(log,
			"sched programs cannot use bpf_timer or bpf_wq: they run under the runqueue lock\n");
		return false;
	}
	/* Local objects may hold each other: give up on a deep chain. */
	if (depth > 8) {
		bpf_log(log, "sched programs cannot use maps of objects nested this deep\n");
		return false;
	}
	for (i = 0; i < rec->cnt; i++) {
		f = &rec->fields[i];
		switch (f->type) {
		case BPF_KPTR_REF:
			if (!btf_is_kernel(f->kptr.btf)) {
				const struct btf_struct_meta *meta;

				meta = btf_find_struct_meta(f->kptr.btf, f->kptr.btf_id);
				if (meta && !bpf_sched_record_ok(log, meta->record, depth + 1))
					return false;
				break;
			}
			t = btf_type_by_id(f->kptr.btf, f->kptr.btf_id);
			name = btf_name_by_offset(f->kptr.btf, t->name_off);
			/* Dropping these is safe in any context. */
			if (!strcmp(name, "task_struct") || !strcmp(name, "bpf_cpumask"))
				break;
			bpf_log(log,
				"sched programs cannot use maps holding references to struct %s: dropping one may wake a task\n",
				name);
			return false;
		case BPF_LIST_HEAD:
		case BPF_RB_ROOT:
			if (!bpf_sched_record_ok(log, f->graph_root.value_rec, depth + 1))
				return false;
			break;
		default:
			break;
		}
	}
	return true;
}

/*
 * Called by the verifier for each map a sched program uses. A program may
 * delete or replace a map's elements, which frees what they hold, under
 * the runqueue lock.
 */
int bpf_sched_check_map(struct bpf_verifier_log *log, struct bpf_map *map)
{
	/*
	 * An LPM trie's update takes a spinlock_t and allocates with
	 * GFP_NOWAIT, which may wake kswapd or queue memcg event work.
	 */
	if (map->map_type == BPF_MAP_TYPE_LPM_TRIE) {
		bpf_log(log,
			"sched programs cannot use LPM tries: their updates allocate and take a spinlock_t\n");
		return -EINVAL;
	}
	return bpf_sched_record_ok(log, map->record, 0) ? 0 : -EINVAL;
}

/*
 * kernel.sched_bpf_enabled: 0 turns every hook's key off at once, leaving
 * the programs attached; 1 turns on again the keys of hooks with programs.
 */
static int bpf_sched_enabled_handler(const struct ctl_table *table, int write,
				     void *buffer, size_t *lenp, loff_t *ppos)
{
	struct ctl_table t = *table;
	int enabled, ret, id;

	if (write && !capable(CAP_SYS_ADMIN))
		return -EPERM;

	mutex_lock(&bpf_sched_mutex);
	enabled = sysctl_sched_bpf_enabled;
	t.data = &enabled;
	ret = proc_dointvec_minmax(&t, write, buffer, lenp, ppos);
	if (!ret && write && enabled != sysctl_sched_bpf_enabled) {
		sysctl_sched_bpf_enabled = enabled;
		for (id = 0; id < NR_BPF_SCHED_HOOKS; id++)
			bpf_sched_update_key(id);
	}
	mutex_unlock(&bpf_sched_mutex);
	return ret;
}

/* kernel.sched_bpf_max_wait_ms: the starvation guard's bound, 1 to 10000. */
static int bpf_sched_max_wait_handler(const struct ctl_table *table, int write,
				      void *buffer, size_t *lenp, loff_t *ppos)
{
	int ret;

	if (write && !capable(CAP_SYS_ADMIN))
		return -EPERM;

	mutex_lock(&bpf_sched_mutex);
	ret = proc_douintvec_minmax(table, write, buffer, lenp, ppos);
	if (!ret && write)
		WRITE_ONCE(bpf_sched_max_wait_ns,
			   (u64)sysctl_sched_bpf_max_wait_ms * NSEC_PER_MSEC);
	mutex_unlock(&bpf_sched_mutex);
	return ret;
}

static struct ctl_table bpf_sched_sysctls[] = {
	{
		.procname	= "sched_bpf_enabled",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= bpf_sched_enabled_handler,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{
		.procname	= "sched_bpf_max_wait_ms",
		.data		= &sysctl_sched_bpf_max_wait_ms,
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= bpf_sched_max_wait_handler,
		.extra1		= SYSCTL_ONE,
		.extra2		= &bpf_sched_max_wait_ms_max,
	},
};

/* /sys/kernel/debug/sched/bpf: per-hook programs and counters. */
static int bpf_sched_stats_show(struct seq_file *m, void *v)
{
	u64 overrides = 0, steps = 0;
	int id, cpu;

	for_each_possible_cpu(cpu) {
		overrides += READ_ONCE(per_cpu(bpf_sched_guard_overrides, cpu));
		steps += READ_ONCE(per_cpu(bpf_sched_guard_steps, cpu));
	}
	seq_printf(m, "enabled %d\n", READ_ONCE(sysctl_sched_bpf_enabled));
	seq_printf(m, "max_wait_ms %u\n", READ_ONCE(sysctl_sched_bpf_max_wait_ms));
	seq_printf(m, "guard %d\n", static_key_enabled(&bpf_sched_key_guard));
	seq_printf(m, "guard_overrides %llu\n", overrides);
	seq_printf(m, "guard_steps %llu\n", steps);
	seq_printf(m, "%-32s %5s %12s %12s %12s %7s\n",
		   "hook", "progs", "calls", "changed", "rejected", "default");
	for (id = 0; id < NR_BPF_SCHED_HOOKS; id++) {
		struct bpf_sched_hook_stats sum = {};

		for_each_possible_cpu(cpu) {
			struct bpf_sched_hook_stats *st;

			st = per_cpu_ptr(bpf_sched_hooks[id].stats, cpu);
			sum.calls += READ_ONCE(st->calls);
			sum.changed += READ_ONCE(st->changed);
			sum.rejected += READ_ONCE(st->rejected);
		}
		seq_printf(m, "%-32s %5u %12llu %12llu %12llu",
			   bpf_sched_hooks[id].name,
			   READ_ONCE(bpf_sched_nr_progs[id]),
			   sum.calls, sum.changed, sum.rejected);
		if (bpf_sched_hooks[id].notify)
			seq_printf(m, " %7s\n", "-");
		else
			seq_printf(m, " %7ld\n", bpf_sched_hooks[id].dflt);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bpf_sched_stats);

static int __init bpf_sched_init(void)
{
	struct dentry *dir;
	int ret;

	register_sysctl_init("kernel", bpf_sched_sysctls);

	ret = register_btf_kfunc_id_set(BPF_PROG_TYPE_SCHED, &bpf_sched_kfunc_set);
	ret = ret ?: register_btf_kfunc_id_set(BPF_PROG_TYPE_SYSCALL, &bpf_sched_kfunc_set);
	ret = ret ?: register_btf_kfunc_id_set(BPF_PROG_TYPE_STRUCT_OPS, &bpf_sched_kfunc_set);
	if (ret)
		pr_warn("sched-bpf: kfuncs not registered: %d\n", ret);

	/*
	 * kernel/sched/debug.c makes "sched" at late_initcall time, without
	 * CONFIG_SCHED_DEBUG nobody does. Without CONFIG_DEBUG_FS both calls
	 * return ERR_PTR(-ENODEV), which debugfs_create_file() accepts.
	 */
	dir = debugfs_lookup("sched", NULL);
	if (!IS_ERR_OR_NULL(dir)) {
		debugfs_create_file("bpf", 0444, dir, NULL, &bpf_sched_stats_fops);
		dput(dir);
	} else {
		dir = debugfs_create_dir("sched", NULL);
		debugfs_create_file("bpf", 0444, dir, NULL, &bpf_sched_stats_fops);
	}
	return 0;
}
late_initcall_sync(bpf_sched_init);
