/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BPF-programmable fair scheduling: the kernel side of the hooks listed in
 * include/linux/sched_hook_defs.h. See Documentation/scheduler/sched-bpf.rst.
 */
#ifndef _LINUX_BPF_SCHED_H
#define _LINUX_BPF_SCHED_H

#include <linux/jump_label.h>
#include <linux/percpu.h>
#include <linux/types.h>

struct bpf_prog;
struct bpf_verifier_log;
struct task_struct;
struct sched_entity;

#ifdef CONFIG_BPF_SCHED

enum bpf_sched_hook_id {
#define BPF_SCHED_HOOK(RET, DEFAULT, NAME, ...) BPF_SCHED_HOOK_ID_##NAME,
#include <linux/sched_hook_defs.h>
#undef BPF_SCHED_HOOK
	NR_BPF_SCHED_HOOKS
};

/* The attach points, the value each returns by itself, and their keys. */
#define BPF_SCHED_HOOK(RET, DEFAULT, NAME, ...)				\
	RET bpf_sched_##NAME(__VA_ARGS__);				\
	enum { BPF_SCHED_DEFAULT_##NAME = (DEFAULT) };			\
	DECLARE_STATIC_KEY_FALSE(bpf_sched_key_##NAME);
#include <linux/sched_hook_defs.h>
#undef BPF_SCHED_HOOK

/* Per CPU, per hook; moved only while the hook's key is on. */
struct bpf_sched_hook_stats {
	u64 calls;	/* the hook was called */
	u64 changed;	/* and returned other than its DEFAULT */
	u64 rejected;	/* the call site found the decision invalid */
};

DECLARE_PER_CPU(struct bpf_sched_hook_stats[NR_BPF_SCHED_HOOKS], bpf_sched_stats);

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
	this_cpu_inc(bpf_sched_stats[BPF_SCHED_HOOK_ID_##NAME].calls);	\
	if (__ret != BPF_SCHED_DEFAULT_##NAME)				\
		this_cpu_inc(bpf_sched_stats[BPF_SCHED_HOOK_ID_##NAME].changed);\
	__ret;								\
})

/* The call site of hook NAME refused what the program returned. */
#define bpf_sched_reject(NAME)						\
	this_cpu_inc(bpf_sched_stats[BPF_SCHED_HOOK_ID_##NAME].rejected)

int bpf_sched_verify_prog(struct bpf_verifier_log *vlog,
			  const struct bpf_prog *prog);
void bpf_sched_prog_linked(const struct bpf_prog *prog, bool linked);

/* Tags: kernel/sched/bpf_sched_tag.c */
int bpf_sched_write_task_tag(struct task_struct *p, s64 tag, bool process);

#else /* !CONFIG_BPF_SCHED */

#define bpf_sched_hook_on(NAME)		false
#define bpf_sched_call(NAME, ...)	0
#define bpf_sched_reject(NAME)		do { } while (0)

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

#endif /* CONFIG_BPF_SCHED */
#endif /* _LINUX_BPF_SCHED_H */
