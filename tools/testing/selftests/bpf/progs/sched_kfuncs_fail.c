// SPDX-License-Identifier: GPL-2.0
/* Misuse of the sched kfuncs that the verifier must refuse. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/libbpf_sched.h>
#include "bpf_misc.h"

struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
void bpf_task_release(struct task_struct *p) __ksym;

/* A hook runs under the runqueue lock: no setter there. */
SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("program must be sleepable to call sleepable kfunc bpf_sched_set_task_tag")
int BPF_PROG(setter_on_hook, struct task_struct *curr, struct task_struct *p)
{
	bpf_sched_set_task_tag(p, 1);
	return 0;
}

SEC("syscall")
__failure __msg("Possibly NULL pointer passed to trusted arg0")
int setter_maybe_null(void *ctx)
{
	struct task_struct *p = bpf_task_from_pid(1);

	bpf_sched_set_task_tag(p, 1);
	if (p)
		bpf_task_release(p);
	return 0;
}

SEC("syscall")
__failure __msg("must be referenced or trusted")
int setter_untrusted(void *ctx)
{
	struct task_struct *p = bpf_task_from_pid(1);

	if (!p)
		return 0;
	bpf_sched_set_task_tag(p->parent, 1);
	bpf_task_release(p);
	return 0;
}

SEC("tc")
__failure __msg("calling kernel function bpf_cpus_share_cache is not allowed")
int not_for_tc(struct __sk_buff *skb)
{
	return bpf_cpus_share_cache(0, 0);
}

char _license[] SEC("license") = "GPL";
