// SPDX-License-Identifier: GPL-2.0
/*
 * Programs the verifier must refuse because they could corrupt memory,
 * deadlock or sleep under the runqueue lock, and a few it must accept,
 * which show that the refusals are about the hazard and not the hook.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/libbpf_sched.h>
#include "bpf_misc.h"
#include "bpf_experimental.h"

struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
void bpf_task_release(struct task_struct *p) __ksym;
struct cgroup *bpf_cgroup_from_id(u64 cgid) __ksym;
void bpf_cgroup_release(struct cgroup *cgrp) __ksym;
struct cgroup *bpf_task_get_cgroup1(struct task_struct *task, int hierarchy_id) __ksym;

/* The context is the hook's arguments: read-only, at every width. */
SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("sched programs cannot write their context")
int ctx_write_u8(unsigned long long *ctx)
{
	*(u8 *)ctx = 0;
	return 0;
}

SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("sched programs cannot write their context")
int ctx_write_u16(unsigned long long *ctx)
{
	*(u16 *)ctx = 0;
	return 0;
}

SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("sched programs cannot write their context")
int ctx_write_u32(unsigned long long *ctx)
{
	*(u32 *)ctx = 0;
	return 0;
}

/* The attack: a scalar in ctx[0] would read back as a trusted ctx pointer. */
SEC("sched/cfs_select_rq")
__failure __msg("sched programs cannot write their context")
int ctx_write_u64(unsigned long long *ctx)
{
	*(u64 *)ctx = 0xffff888000000000ULL;
	bpf_sched_select_mask_set((struct sched_migrate_ctx *)ctx[0], 0);
	return 0;
}

/* Scalar arguments too: old kernels let a byte into delta_exec. */
SEC("sched/cfs_check_preempt_tick")
__failure __msg("sched programs cannot write their context")
int ctx_write_scalar_u8(unsigned long long *ctx)
{
	*(u8 *)&ctx[1] = 0;
	return 0;
}

SEC("sched/cfs_check_preempt_tick")
__failure __msg("sched programs cannot write their context")
int ctx_write_scalar_u64(unsigned long long *ctx)
{
	ctx[1] = 0;
	return 0;
}

/* @curr of the pick hook is NULL when the running entity blocked. */
SEC("sched/cfs_tag_pick_next_entity")
__failure __msg("invalid mem access 'trusted_ptr_or_null_'")
int BPF_PROG(pick_curr_unchecked, struct sched_entity *curr, struct sched_entity *next)
{
	return curr->on_rq;
}

SEC("sched/cfs_tag_pick_next_entity")
__success
int BPF_PROG(pick_curr_checked, struct sched_entity *curr, struct sched_entity *next)
{
	return curr ? curr->on_rq : 0;
}

/* The getters take trusted or RCU pointers, not walked ones. */
SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("R1 must be a rcu pointer")
int BPF_PROG(task_tag_of_walked, struct task_struct *curr, struct task_struct *p)
{
	return bpf_sched_task_tag_of(p->last_wakee) > 0;
}

SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("R1 must be a rcu pointer")
int BPF_PROG(tg_tag_of_walked, struct task_struct *curr, struct task_struct *p)
{
	return bpf_sched_tg_tag_of(p->sched_task_group->parent) > 0;
}

SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("R1 must be a rcu pointer")
int BPF_PROG(entity_walked, struct task_struct *curr, struct task_struct *p)
{
	return bpf_sched_entity_is_task(p->se.parent);
}

/* What the samples do: arguments, their contexts' tasks, entity results. */
SEC("sched/cfs_check_preempt_wakeup")
__success
int BPF_PROG(getters_trusted, struct task_struct *curr, struct task_struct *p)
{
	struct task_struct *t = bpf_sched_entity_to_task(&p->se);

	if (!t)
		return 0;
	return bpf_sched_task_tag_of(t) + bpf_sched_tg_tag_of(p->sched_task_group) > 0;
}

SEC("sched/cfs_select_rq")
__success
int BPF_PROG(getter_ctx_task, struct sched_migrate_ctx *sel)
{
	return bpf_sched_task_tag_of(sel->task) > 0 ? BPF_SCHED_CPU_FLAG : -1;
}

SEC("sched/cfs_wakeup_preempt_entity")
__success
int BPF_PROG(getter_entity_tg, struct sched_entity *curr, struct sched_entity *se)
{
	struct task_group *tg = bpf_sched_entity_to_tg(se);

	return tg ? bpf_sched_tg_tag_of(tg) > 0 : 0;
}

/* Helpers that wake a task or write another's memory. */
SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("program of this type cannot use helper bpf_send_signal#")
int BPF_PROG(send_signal, struct task_struct *curr, struct task_struct *p)
{
	return bpf_send_signal(9);
}

SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("program of this type cannot use helper bpf_send_signal_thread#")
int BPF_PROG(send_signal_thread, struct task_struct *curr, struct task_struct *p)
{
	return bpf_send_signal_thread(9);
}

SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("program of this type cannot use helper bpf_probe_write_user#")
int BPF_PROG(probe_write_user, struct task_struct *curr, struct task_struct *p)
{
	u64 v = 0;

	return bpf_probe_write_user((void *)0x1000, &v, sizeof(v));
}

/* A notification hook's trampoline keeps no return value to read. */
SEC("sched/cfs_enqueue_task")
__failure __msg("program of this type cannot use helper bpf_get_func_ret#")
int get_func_ret_void(unsigned long long *ctx)
{
	u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	return 0;
}

SEC("sched/cfs_check_preempt_tick")
__success
int get_func_ret_int(unsigned long long *ctx)
{
	u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	return ret;
}

/* An LPM trie's update allocates and takes a spinlock_t. */
struct lpm_key {
	u32 prefixlen;
	u32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_key);
	__type(value, u64);
} trie SEC(".maps");

SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("sched programs cannot use LPM tries")
int BPF_PROG(lpm_trie, struct task_struct *curr, struct task_struct *p)
{
	struct lpm_key key = { .prefixlen = 32, .addr = p->pid };
	u64 v = 1;

	return bpf_map_update_elem(&trie, &key, &v, BPF_ANY);
}

/* Maps whose elements, when freed, queue work or drop cgroup references. */
struct timer_elem {
	struct bpf_timer t;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct timer_elem);
} timers SEC(".maps");

SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("sched programs cannot use bpf_timer or bpf_wq")
int BPF_PROG(timer, struct task_struct *curr, struct task_struct *p)
{
	int key = 0;
	struct timer_elem *e = bpf_map_lookup_elem(&timers, &key);

	if (e)
		bpf_timer_start(&e->t, 1000, 0);
	return 0;
}

struct wq_elem {
	struct bpf_wq w;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct wq_elem);
} wqs SEC(".maps");

static int wq_cb(void *map, int *key, void *value)
{
	return 0;
}

SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("sched programs cannot use bpf_timer or bpf_wq")
int BPF_PROG(wq, struct task_struct *curr, struct task_struct *p)
{
	int key = 0;
	struct wq_elem *e = bpf_map_lookup_elem(&wqs, &key);

	if (!e || bpf_wq_init(&e->w, &wqs, 0))
		return 0;
	bpf_wq_set_callback(&e->w, wq_cb, 0);
	bpf_wq_start(&e->w, 0);
	return 0;
}

struct cgroup_elem {
	struct cgroup __kptr * cgrp;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct cgroup_elem);
} cgroups SEC(".maps");

SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("sched programs cannot use maps holding references to struct cgroup")
int BPF_PROG(cgroup_kptr_map, struct task_struct *curr, struct task_struct *p)
{
	int key = 0;

	return bpf_map_delete_elem(&cgroups, &key);
}

/* Tasks may be held: dropping a task reference is safe in any context. */
struct task_elem {
	struct task_struct __kptr * task;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct task_elem);
} tasks SEC(".maps");

SEC("sched/cfs_check_preempt_wakeup")
__success
int BPF_PROG(task_kptr_map, struct task_struct *curr, struct task_struct *p)
{
	struct task_struct *t = bpf_task_from_pid(1);
	struct task_elem *e;
	int key = 0;

	if (!t)
		return 0;
	e = bpf_map_lookup_elem(&tasks, &key);
	if (e)
		t = bpf_kptr_xchg(&e->task, t);
	if (t)
		bpf_task_release(t);
	return 0;
}

/* Kfuncs that may drop the last reference to a cgroup or take css_set_lock. */
SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("kernel function bpf_cgroup_from_id may wake a task")
int BPF_PROG(cgroup_from_id, struct task_struct *curr, struct task_struct *p)
{
	struct cgroup *cgrp = bpf_cgroup_from_id(1);

	if (cgrp)
		bpf_cgroup_release(cgrp);
	return 0;
}

SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("kernel function bpf_task_get_cgroup1 may wake a task")
int BPF_PROG(task_get_cgroup1, struct task_struct *curr, struct task_struct *p)
{
	struct cgroup *cgrp = bpf_task_get_cgroup1(p, 1);

	if (cgrp)
		bpf_cgroup_release(cgrp);
	return 0;
}

SEC("sched/cfs_check_preempt_wakeup")
__failure __msg("kernel function bpf_iter_css_task_new may wake a task")
int BPF_PROG(css_task_iter, struct task_struct *curr, struct task_struct *p)
{
	struct cgroup_subsys_state *css = &p->sched_task_group->css;
	struct task_struct *t;
	int n = 0;

	bpf_for_each(css_task, t, css, CSS_TASK_ITER_PROCS)
		n++;
	return n > 1;
}

/* What stays: task references, ring buffers, printk-class tracing. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("sched/cfs_check_preempt_wakeup")
__success
int BPF_PROG(allowed_calls, struct task_struct *curr, struct task_struct *p)
{
	struct task_struct *t = bpf_task_from_pid(p->pid);
	int pid = p->pid;

	if (t)
		bpf_task_release(t);
	bpf_ringbuf_output(&events, &pid, sizeof(pid), 0);
	bpf_printk("wakeup %d", pid);
	return 0;
}

char _license[] SEC("license") = "GPL";
