// SPDX-License-Identifier: GPL-2.0
/*
 * An LSM that refuses to change the scheduling of one thread
 * (prog_tests/sched_tags.c, perm_lsm): a tag change must ask it, for every
 * thread whose tag changes.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define EPERM 1

int deny_tid;
__u64 asked, denied;

SEC("lsm/task_setscheduler")
int BPF_PROG(deny_one, struct task_struct *p, int ret)
{
	if (ret)
		return ret;
	__sync_fetch_and_add(&asked, 1);
	if (deny_tid && p->pid == deny_tid) {
		__sync_fetch_and_add(&denied, 1);
		return -EPERM;
	}
	return 0;
}

char _license[] SEC("license") = "GPL";
