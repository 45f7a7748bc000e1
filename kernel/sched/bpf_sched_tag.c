// SPDX-License-Identifier: GPL-2.0
/*
 * Task and task group tags for BPF_SCHED policies.
 *
 * A tag is a number user space gives a task or a cpu cgroup so that a
 * policy can tell kinds of work apart: by the convention of the samples,
 * -1 offline, 0 normal, 1 and up online or latency-sensitive. The kernel
 * gives no value a meaning and nothing in the scheduler orders by it, so a
 * tag can change while a task is queued.
 *
 * Tasks inherit their parent's tag on fork, take their group's tag when
 * they move into a cpu cgroup, and new groups take their parent's. Writing
 * a group's tag sets it on the group, its descendants and all their tasks.
 * See Documentation/scheduler/sched-bpf.rst.
 */
#include <linux/bpf_sched.h>
#include <linux/cgroup.h>
#include <linux/mmu_context.h>
#include "sched.h"

/* Serialises group tag writes, so that nested ones end consistent. */
static DEFINE_MUTEX(bpf_sched_tag_mutex);

/*
 * A tag can raise a task's priority under a policy, so setting one is
 * guarded like raising a task's priority with nice: CAP_SYS_NICE. That is
 * also more than set_one_prio() asks for to renice another user's task.
 */
static bool bpf_sched_may_tag(void)
{
	return capable(CAP_SYS_NICE);
}

/**
 * bpf_sched_write_task_tag - set a task's tag on behalf of user space
 * @p: the task
 * @tag: the new tag
 * @process: set it on every thread of @p's process instead
 *
 * Return: 0, or -EPERM if the caller may not tag @p.
 */
int bpf_sched_write_task_tag(struct task_struct *p, s64 tag, bool process)
{
	struct task_struct *t;

	if (!bpf_sched_may_tag())
		return -EPERM;
	if (!process) {
		WRITE_ONCE(p->tag, tag);
		return 0;
	}
	rcu_read_lock();
	for_each_thread(p, t)
		WRITE_ONCE(t->tag, tag);
	rcu_read_unlock();
	return 0;
}

#ifdef CONFIG_CGROUP_SCHED
static int bpf_sched_set_tg_tag_locked(struct task_group *tg, s64 tag)
{
	struct cgroup_subsys_state *css;

	if (tg == &root_task_group)
		return -EINVAL;

	rcu_read_lock();
	css_for_each_descendant_pre(css, &tg->css) {
		struct css_task_iter it;
		struct task_struct *p;

		WRITE_ONCE(css_tg(css)->tag, tag);
		css_task_iter_start(css, 0, &it);
		while ((p = css_task_iter_next(&it)))
			WRITE_ONCE(p->tag, tag);
		css_task_iter_end(&it);
	}
	rcu_read_unlock();
	return 0;
}

/**
 * bpf_sched_set_tg_tag_all - set the tag of a group, its descendants and tasks
 * @tg: the task group, not the root one
 * @tag: the new tag
 *
 * Return: 0, or -EINVAL for the root group, whose tag is always 0.
 */
int bpf_sched_set_tg_tag_all(struct task_group *tg, s64 tag)
{
	int ret;

	mutex_lock(&bpf_sched_tag_mutex);
	ret = bpf_sched_set_tg_tag_locked(tg, tag);
	mutex_unlock(&bpf_sched_tag_mutex);
	return ret;
}

/* cpu.tag of the cpu controller, cgroup v1 and v2. */
s64 bpf_sched_cpu_tag_read(struct cgroup_subsys_state *css, struct cftype *cft)
{
	return READ_ONCE(css_tg(css)->tag);
}

ssize_t bpf_sched_cpu_tag_write(struct kernfs_open_file *of, char *buf,
				size_t nbytes, loff_t off)
{
	s64 tag;
	int ret;

	/* Decimal only ("010" is ten), one trailing newline at most. */
	ret = kstrtos64(buf, 10, &tag);
	if (ret)
		return ret;
	ret = bpf_sched_set_tg_tag_all(css_tg(of_css(of)), tag);
	return ret ?: nbytes;
}
#endif /* CONFIG_CGROUP_SCHED */
