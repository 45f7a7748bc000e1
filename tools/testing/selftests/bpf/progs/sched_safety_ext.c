// SPDX-License-Identifier: GPL-2.0
/*
 * A sched program with a global function, and an extension (freplace)
 * program that would replace it: the extension needs the privilege the
 * sched program needed, CAP_SYS_ADMIN.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

int ext_calls;

__noinline int sched_safety_decide(int pid)
{
	return pid < 0;
}

SEC("sched/cfs_check_preempt_wakeup")
int BPF_PROG(with_global, struct task_struct *curr, struct task_struct *p)
{
	return sched_safety_decide(p->pid);
}

SEC("?freplace/sched_safety_decide")
int replace_decide(int pid)
{
	ext_calls++;
	return 0;
}

char _license[] SEC("license") = "GPL";
