// SPDX-License-Identifier: GPL-2.0
/*
 * A sched program loaded and attached through a light skeleton
 * (prog_tests/sched_lskel.c): it counts the enqueues of one process.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

int pid;
__u64 calls;

SEC("sched/cfs_enqueue_task")
int BPF_PROG(lskel_enqueue, struct rq *rq, struct task_struct *p)
{
	if (pid && p->tgid == pid)
		__sync_fetch_and_add(&calls, 1);
	return 0;
}

char _license[] SEC("license") = "GPL";
