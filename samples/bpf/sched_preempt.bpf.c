// SPDX-License-Identifier: GPL-2.0
/*
 * Preemption by tag, for co-location: online work (tag > 0) takes the CPU
 * from offline work (tag < 0) at once, and offline work never takes it
 * from online work. Untagged work (0) is left to EEVDF.
 *
 *   wakeup: an online task waking preempts an offline one; an offline
 *           task waking never preempts an online one.
 *   tick:   an offline entity is rescheduled as soon as an online task is
 *           runnable on its CPU; an online one is not rescheduled while no
 *           other online task waits there.
 *   entity: the wakeup rule between group entities, so that tagging a
 *           cgroup through cpu.tag is enough.
 *
 * The kernel's starvation guard still runs offline work now and then.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sched_online.bpf.h"

__u64 nr_wakeup_preempt, nr_wakeup_kept;
__u64 nr_entity_preempt, nr_entity_kept;
__u64 nr_tick_resched, nr_tick_kept;

static __always_inline int by_tag(__s64 curr, __s64 waking, __u64 *preempt,
				  __u64 *kept)
{
	if (waking > 0 && curr < 0) {
		__sync_fetch_and_add(preempt, 1);
		return 1;
	}
	if (waking < 0 && curr > 0) {
		__sync_fetch_and_add(kept, 1);
		return -1;
	}
	return 0;
}

SEC("sched/cfs_check_preempt_wakeup")
int BPF_PROG(preempt_wakeup, struct task_struct *curr, struct task_struct *p)
{
	return by_tag(bpf_sched_task_tag_of(curr), bpf_sched_task_tag_of(p),
		      &nr_wakeup_preempt, &nr_wakeup_kept);
}

SEC("sched/cfs_wakeup_preempt_entity")
int BPF_PROG(preempt_entity, struct sched_entity *curr, struct sched_entity *se)
{
	return by_tag(entity_tag(curr), entity_tag(se),
		      &nr_entity_preempt, &nr_entity_kept);
}

SEC("sched/cfs_check_preempt_tick")
int BPF_PROG(preempt_tick, struct sched_entity *curr, unsigned long delta_exec)
{
	__s64 tag = entity_tag_seen(curr);
	__s32 online = online_on(entity_cpu(curr));

	if (tag < 0 && online > 0) {
		__sync_fetch_and_add(&nr_tick_resched, 1);
		return 1;
	}
	if (tag > 0 && online <= 1) {
		__sync_fetch_and_add(&nr_tick_kept, 1);
		return -1;
	}
	return 0;
}

char _license[] SEC("license") = "GPL";
