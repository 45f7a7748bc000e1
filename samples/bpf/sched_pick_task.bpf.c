// SPDX-License-Identifier: GPL-2.0
/*
 * Online first: on every cfs_rq, online entities (tag > 0) are picked
 * before offline ones (tag < 0). While an online task is runnable on a
 * CPU, offline entities there are not eligible and online ones always
 * are; a running online entity is kept rather than replaced by an offline
 * one. Everything else is EEVDF's. Offline work runs on idle time, and
 * through the kernel's starvation guard.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sched_online.bpf.h"

__u64 nr_held_back, nr_kept;

SEC("sched/cfs_tag_entity_eligible")
int BPF_PROG(pick_eligible, struct sched_entity *se)
{
	__s64 tag = entity_tag_seen(se);

	if (tag > 0)
		return 1;
	if (tag < 0 && online_on(entity_cpu(se)) > 0) {
		__sync_fetch_and_add(&nr_held_back, 1);
		return -1;
	}
	return 0;
}

SEC("sched/cfs_tag_pick_next_entity")
int BPF_PROG(pick_next, struct sched_entity *curr, struct sched_entity *next)
{
	if (curr && curr != next && entity_tag(curr) > 0 && entity_tag(next) < 0) {
		__sync_fetch_and_add(&nr_kept, 1);
		return 1;
	}
	return 0;
}

char _license[] SEC("license") = "GPL";
