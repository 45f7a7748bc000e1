/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the co-location policies share: the tag of a scheduling entity
 * (a task's, or a group's from cpu.tag), and the number of runnable online
 * tasks (tag > 0) on each CPU, kept up to date by the enqueue and dequeue
 * notifications. A task is counted where it was enqueued, and uncounted
 * from there. A task whose tag changes while it is runnable is counted or
 * uncounted when a policy next sees it (online_update()).
 */
#ifndef __SCHED_ONLINE_BPF_H
#define __SCHED_ONLINE_BPF_H

#include <bpf/bpf_core_read.h>
#include <bpf/libbpf_sched.h>

#define SCHED_MAX_CPUS	1024

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCHED_MAX_CPUS);
	__type(key, __u32);
	__type(value, __s32);
} online_runnable SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __s32);	/* pid */
	__type(value, __u32);	/* the CPU it is counted on */
} online_counted SEC(".maps");

static __always_inline __s64 entity_tag(struct sched_entity *se)
{
	struct task_struct *p = bpf_sched_entity_to_task(se);
	struct task_group *tg;

	if (p)
		return bpf_sched_task_tag_of(p);
	tg = bpf_sched_entity_to_tg(se);
	return tg ? bpf_sched_tg_tag_of(tg) : 0;
}

/* The CPU whose runqueue @se is on: hooks may run on another CPU. */
static __always_inline __u32 entity_cpu(struct sched_entity *se)
{
	if (bpf_core_field_exists(se->cfs_rq))
		return BPF_CORE_READ(se, cfs_rq, rq, cpu);
	return bpf_get_smp_processor_id();
}

/* Runnable online tasks on @cpu. */
static __always_inline __s32 online_on(__u32 cpu)
{
	__s32 *n = bpf_map_lookup_elem(&online_runnable, &cpu);

	return n ? *n : 0;
}

/* Stop counting @p, counted on *@cpu. */
static __always_inline void online_uncount(__s32 pid, __u32 *cpu)
{
	__s32 *n = bpf_map_lookup_elem(&online_runnable, cpu);

	if (n)
		__sync_fetch_and_add(n, -1);
	bpf_map_delete_elem(&online_counted, &pid);
}

/* @p is runnable on @cpu: counted if online, not counted otherwise. */
static __always_inline void online_update(struct task_struct *p, __u32 cpu)
{
	__s32 pid = p->pid, *n;
	__u32 *counted;

	counted = bpf_map_lookup_elem(&online_counted, &pid);
	if (bpf_sched_task_tag_of(p) <= 0) {
		if (counted)
			online_uncount(pid, counted);
		return;
	}
	if (counted)
		return;
	n = bpf_map_lookup_elem(&online_runnable, &cpu);
	if (n && !bpf_map_update_elem(&online_counted, &pid, &cpu, BPF_NOEXIST))
		__sync_fetch_and_add(n, 1);
}

/* The tag of @se; a runnable task's count is brought up to date on the way. */
static __always_inline __s64 entity_tag_seen(struct sched_entity *se)
{
	struct task_struct *p = bpf_sched_entity_to_task(se);

	if (!p)
		return entity_tag(se);
	/*
	 * Only a task that stays runnable here: not one blocked already and
	 * kept queued for its lag (delayed), nor one the hooks see while it
	 * is being dequeued to sleep (no longer TASK_RUNNING) or to migrate
	 * (on_rq == TASK_ON_RQ_MIGRATING): that would count it again.
	 */
	if (!se->sched_delayed && p->on_rq == 1 && !p->__state)
		online_update(p, entity_cpu(se));
	return bpf_sched_task_tag_of(p);
}

SEC("sched/cfs_enqueue_task")
int BPF_PROG(online_enqueue, struct rq *rq, struct task_struct *p)
{
	online_update(p, rq->cpu);
	return 0;
}

SEC("sched/cfs_dequeue_task")
int BPF_PROG(online_dequeue, struct rq *rq, struct task_struct *p)
{
	__s32 pid = p->pid;
	__u32 *cpu;

	cpu = bpf_map_lookup_elem(&online_counted, &pid);
	if (cpu)
		online_uncount(pid, cpu);
	return 0;
}

#endif /* __SCHED_ONLINE_BPF_H */
