// SPDX-License-Identifier: GPL-2.0
/*
 * A sched_ext scheduler in the scx_simple shape, one global queue, that
 * reads the tag of the task it enqueues (prog_tests/sched_kfuncs.c).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/libbpf_sched.h>

void scx_bpf_dispatch(struct task_struct *p, u64 dsq_id, u64 slice,
		      u64 enq_flags) __ksym;

int target_tid;
s64 target_tag;
__u64 target_seen;

SEC("struct_ops/tag_enqueue")
void BPF_PROG(tag_enqueue, struct task_struct *p, u64 enq_flags)
{
	if (p->pid == target_tid) {
		target_tag = bpf_sched_task_tag_of(p);
		__sync_fetch_and_add(&target_seen, 1);
	}
	scx_bpf_dispatch(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops tag_ops = {
	.enqueue	= (void *)tag_enqueue,
	.name		= "sched_tags",
};

char _license[] SEC("license") = "GPL";
