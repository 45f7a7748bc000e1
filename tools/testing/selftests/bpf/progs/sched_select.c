// SPDX-License-Identifier: GPL-2.0
/*
 * CPU selection decisions for one chosen process and its children
 * (prog_tests/sched_select.c).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/libbpf_sched.h>

#define WF_EXEC		0x02
#define WF_FORK		0x04
#define WF_TTWU		0x08

int pid;		/* tgid of the chosen process */
int ret_select;		/* what cfs_select_rq returns for it */
int ret_exit;		/* cfs_select_rq_exit */
int ret_affine;		/* cfs_wake_affine; 1: the waker's CPU, 2: the wakee's */
int mask_cpu = -1;	/* a CPU to put in the selection mask */
int ret_select_b;	/* what the second cfs_select_rq program returns */

__u64 calls_select, calls_exit, calls_affine, calls_select_b;
__u64 seen_wakeup, seen_fork, seen_exec;
int last_new_cpu = -1;

static __always_inline bool chosen(struct task_struct *p)
{
	return pid && (p->tgid == pid || BPF_CORE_READ(p, real_parent, tgid) == pid);
}

SEC("sched/cfs_select_rq")
int BPF_PROG(select_rq, struct sched_migrate_ctx *sel)
{
	if (!chosen(sel->task))
		return -1;
	__sync_fetch_and_add(&calls_select, 1);
	if (sel->wake_flags & WF_TTWU)
		__sync_fetch_and_add(&seen_wakeup, 1);
	if (sel->wake_flags & WF_FORK)
		__sync_fetch_and_add(&seen_fork, 1);
	if (sel->wake_flags & WF_EXEC)
		__sync_fetch_and_add(&seen_exec, 1);
	if (mask_cpu >= 0)
		bpf_sched_select_mask_set(sel, mask_cpu);
	return ret_select;
}

/* A second program on cfs_select_rq: 0 for other tasks, no opinion. */
SEC("sched/cfs_select_rq")
int BPF_PROG(select_rq_b, struct sched_migrate_ctx *sel)
{
	if (!chosen(sel->task))
		return 0;
	__sync_fetch_and_add(&calls_select_b, 1);
	return ret_select_b;
}

SEC("sched/cfs_select_rq_exit")
int BPF_PROG(select_rq_exit, struct sched_migrate_ctx *sel)
{
	if (!chosen(sel->task))
		return -1;
	__sync_fetch_and_add(&calls_exit, 1);
	last_new_cpu = sel->new_cpu;
	return ret_exit;
}

SEC("sched/cfs_wake_affine")
int BPF_PROG(wake_affine, struct sched_affine_ctx *aff)
{
	if (!chosen(aff->task))
		return -1;
	__sync_fetch_and_add(&calls_affine, 1);
	if (ret_affine == 1)
		return BPF_SCHED_CPU(aff->curr_cpu);
	if (ret_affine == 2)
		return BPF_SCHED_CPU(aff->prev_cpu);
	return ret_affine;
}

char _license[] SEC("license") = "GPL";
