// SPDX-License-Identifier: GPL-2.0
/* A sched program under a licence that is not GPL-compatible: refused. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("sched/cfs_check_preempt_wakeup")
int BPF_PROG(nongpl, struct task_struct *curr, struct task_struct *p)
{
	return 1;
}

char _license[] SEC("license") = "Proprietary";
