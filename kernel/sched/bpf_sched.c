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
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/sysctl.h>

/*
 * The attach points. They must stay real calls with their arguments intact
 * for the trampoline: noinline, outside the scheduler's translation units,
 * and the return value hidden from the optimizer so that no caller can
 * assume it is DEFAULT.
 */
#define BPF_SCHED_HOOK(RET, DEFAULT, NAME, ...)				\
noinline RET bpf_sched_##NAME(__VA_ARGS__)				\
{									\
	RET __ret = DEFAULT;						\
									\
	OPTIMIZER_HIDE_VAR(__ret);					\
	return __ret;							\
}									\
DEFINE_STATIC_KEY_FALSE(bpf_sched_key_##NAME);
#include <linux/sched_hook_defs.h>
#undef BPF_SCHED_HOOK

DEFINE_PER_CPU(struct bpf_sched_hook_stats[NR_BPF_SCHED_HOOKS], bpf_sched_stats);

/* The verifier's allowlist, in the order of enum bpf_sched_hook_id. */
BTF_ID_LIST(bpf_sched_hook_btf_ids)
#define BPF_SCHED_HOOK(RET, DEFAULT, NAME, ...) BTF_ID(func, bpf_sched_##NAME)
#include <linux/sched_hook_defs.h>
#undef BPF_SCHED_HOOK

static const char * const bpf_sched_hook_names[] = {
#define BPF_SCHED_HOOK(RET, DEFAULT, NAME, ...) #NAME,
#include <linux/sched_hook_defs.h>
#undef BPF_SCHED_HOOK
};

static struct static_key_false * const bpf_sched_keys[] = {
#define BPF_SCHED_HOOK(RET, DEFAULT, NAME, ...) &bpf_sched_key_##NAME,
#include <linux/sched_hook_defs.h>
#undef BPF_SCHED_HOOK
};

/*
 * Serialises the per-hook program counts, the kill switch and the key flips
 * that follow from them. Taken only from process context (link creation and
 * release, sysctl writes), never under a scheduler lock: flipping a static
 * key takes cpus_read_lock() and patches text.
 */
static DEFINE_MUTEX(bpf_sched_mutex);
static unsigned int bpf_sched_nr_progs[NR_BPF_SCHED_HOOKS];
static int sysctl_sched_bpf_enabled = 1;

static int bpf_sched_hook_id(u32 btf_id)
{
	int i;

	for (i = 0; i < NR_BPF_SCHED_HOOKS; i++)
		if (bpf_sched_hook_btf_ids[i] == btf_id)
			return i;
	return -ENOENT;
}

/* Called with bpf_sched_mutex held. */
static void bpf_sched_update_key(int id)
{
	if (sysctl_sched_bpf_enabled && bpf_sched_nr_progs[id])
		static_branch_enable(bpf_sched_keys[id]);
	else
		static_branch_disable(bpf_sched_keys[id]);
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

static const struct bpf_func_proto *
bpf_sched_func_proto(enum bpf_func_id func_id, const struct bpf_prog *prog)
{
	return tracing_prog_func_proto(func_id, prog);
}

const struct bpf_prog_ops bpf_sched_prog_ops = {
};

const struct bpf_verifier_ops bpf_sched_verifier_ops = {
	.get_func_proto	= bpf_sched_func_proto,
	.is_valid_access = btf_ctx_access,
};

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

static struct ctl_table bpf_sched_sysctls[] = {
	{
		.procname	= "sched_bpf_enabled",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= bpf_sched_enabled_handler,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
};

/* /sys/kernel/debug/sched/bpf: per-hook programs and counters. */
static int bpf_sched_stats_show(struct seq_file *m, void *v)
{
	int id, cpu;

	seq_printf(m, "enabled %d\n", READ_ONCE(sysctl_sched_bpf_enabled));
	seq_printf(m, "%-32s %5s %16s %16s %16s\n",
		   "hook", "progs", "calls", "changed", "rejected");
	for (id = 0; id < NR_BPF_SCHED_HOOKS; id++) {
		struct bpf_sched_hook_stats sum = {};

		for_each_possible_cpu(cpu) {
			struct bpf_sched_hook_stats *st;

			st = &per_cpu(bpf_sched_stats, cpu)[id];
			sum.calls += READ_ONCE(st->calls);
			sum.changed += READ_ONCE(st->changed);
			sum.rejected += READ_ONCE(st->rejected);
		}
		seq_printf(m, "%-32s %5u %16llu %16llu %16llu\n",
			   bpf_sched_hook_names[id],
			   READ_ONCE(bpf_sched_nr_progs[id]),
			   sum.calls, sum.changed, sum.rejected);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bpf_sched_stats);

static int __init bpf_sched_init(void)
{
	struct dentry *dir;

	register_sysctl_init("kernel", bpf_sched_sysctls);

	/* kernel/sched/debug.c makes "sched" at late_initcall time. */
	dir = debugfs_lookup("sched", NULL);
	if (dir) {
		debugfs_create_file("bpf", 0444, dir, NULL, &bpf_sched_stats_fops);
		dput(dir);
	} else {
		dir = debugfs_create_dir("sched", NULL);
		debugfs_create_file("bpf", 0444, dir, NULL, &bpf_sched_stats_fops);
	}
	return 0;
}
late_initcall_sync(bpf_sched_init);
