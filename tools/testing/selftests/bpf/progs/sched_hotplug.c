// SPDX-License-Identifier: GPL-2.0
/*
 * CPU hotplug under a policy (prog_tests/sched_stress.c, subtest hotplug):
 * while a CPU goes offline or comes back, the selection and balancing
 * programs name exactly that CPU, which may be inactive or gone by the
 * time the kernel uses the answer. The kernel must fall back to a CPU the
 * task may run on.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/libbpf_sched.h>

int going = -1;		/* the CPU being offlined or onlined, set by the test */
__u64 named;		/* answers that named it */

static __always_inline int name_going(void)
{
	int cpu = going;

	if (cpu < 0)
		return 0;
	__sync_fetch_and_add(&named, 1);
	return cpu;
}

SEC("sched/cfs_select_rq")
int BPF_PROG(h_select, struct sched_migrate_ctx *mctx)
{
	int cpu = name_going();

	if (going < 0)
		return 0;
	/* Every other call through the mask, which must be filtered too. */
	if (named & 1) {
		bpf_sched_select_mask_set(mctx, cpu);
		return BPF_SCHED_CPU_IN_MASK;
	}
	return BPF_SCHED_CPU(cpu);
}

SEC("sched/cfs_select_rq_exit")
int BPF_PROG(h_select_exit, struct sched_migrate_ctx *mctx)
{
	int cpu = name_going();

	return going < 0 ? 0 : BPF_SCHED_CPU(cpu);
}

SEC("sched/cfs_find_busiest_queue")
int BPF_PROG(h_busiest_queue, struct sched_lb_ctx *lctx, const struct cpumask *group)
{
	int cpu = name_going();

	return going < 0 ? 0 : BPF_SCHED_CPU(cpu);
}

char _license[] SEC("license") = "GPL";
