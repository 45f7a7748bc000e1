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
 * they move into a cpu cgroup (also when clone3(CLONE_INTO_CGROUP) forks
 * them into one), and new groups take their parent's. Writing a group's
 * tag sets it on the group, its descendants and all their tasks.
 * See Documentation/scheduler/sched-bpf.rst.
 */
#include <linux/bpf_sched.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/mmu_context.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include "sched.h"

/**
 * bpf_sched_tag_permitted - may these credentials change a tag?
 * @cred: who asks: the opener's (file->f_cred) for a write to a file,
 *	  current's for a kfunc
 * @p: the task whose tag changes; NULL for a group's
 *
 * The one rule for every path that changes a tag (/proc/<pid>/tag,
 * cpu.tag, the setter kfuncs). A tag can raise a task's priority under a
 * policy, for the whole machine: changing one needs CAP_SYS_NICE in the
 * initial user namespace, so that neither root in a container, nor the
 * owner of a delegated cgroup subtree, nor a holder of CAP_BPF alone can.
 * For files the opener's credentials count, not the writer's: a file
 * opened by an unprivileged process stays unprivileged. A task's tag also
 * asks the LSMs, as a change of its scheduling policy does.
 *
 * Return: 0; -EPERM, or what the LSM said, if the change is refused.
 */
int bpf_sched_tag_permitted(const struct cred *cred, struct task_struct *p)
{
	if (security_capable(cred, &init_user_ns, CAP_SYS_NICE, CAP_OPT_NONE))
		return -EPERM;
	return p ? security_task_setscheduler(p) : 0;
}

/**
 * bpf_sched_write_task_tag - set a task's tag on behalf of user space
 * @cred: whose request: see bpf_sched_tag_permitted()
 * @p: the task
 * @tag: the new tag
 * @process: set it on every thread of @p's process instead
 *
 * Return: 0, or what bpf_sched_tag_permitted() refused with.
 */
int bpf_sched_write_task_tag(const struct cred *cred, struct task_struct *p,
			     s64 tag, bool process)
{
	struct task_struct **threads, *t;
	int ret, n, i = 0, tries = 0;

	ret = bpf_sched_tag_permitted(cred, process ? NULL : p);
	if (ret)
		return ret;
	if (!process) {
		WRITE_ONCE(p->tag, tag);
		return 0;
	}
	/*
	 * Every thread's tag changes, so the LSMs judge every thread, as
	 * they would a change of each one's policy, and none changes unless
	 * all may. The hook may sleep (a sleepable BPF LSM program): take
	 * the threads out of the RCU walk first. A thread created meanwhile
	 * keeps the tag it was born with.
	 */
	n = get_nr_threads(p) + 1;
retry:
	threads = kvmalloc_array(n, sizeof(*threads), GFP_KERNEL);
	if (!threads)
		return -ENOMEM;
	rcu_read_lock();
	for_each_thread(p, t) {
		if (i == n)
			break;
		get_task_struct(t);
		threads[i++] = t;
	}
	rcu_read_unlock();
	if (i == n && n <= get_nr_threads(p)) {
		/* It grew: again, with room for it. */
		while (i)
			put_task_struct(threads[--i]);
		kvfree(threads);
		if (++tries == 3)
			return -EAGAIN;
		n = get_nr_threads(p) + 16;
		goto retry;
	}
	for (n = 0; n < i && !ret; n++)
		ret = security_task_setscheduler(threads[n]);
	for (n = 0; n < i; n++) {
		if (!ret)
			WRITE_ONCE(threads[n]->tag, tag);
		put_task_struct(threads[n]);
	}
	kvfree(threads);
	return ret;
}

#ifdef CONFIG_CGROUP_SCHED
/*
 * Serialises the writes of group tags with what copies a group's tag:
 * tasks joining a group (attach), groups coming online, and tasks cloned
 * into a group. Without it a task that moves, or a group that is made,
 * while a write walks the subtree could keep the tag from before the
 * write. Taken under cgroup_mutex (attach, online) and the threadgroup
 * rwsem (fork), never the other way round.
 *
 * A fork is serialised only when it has to be: the child copies its
 * parent's tag in sched_cgroup_fork(), once the parent can no longer
 * change groups, and is linked where a walk finds it only later, in
 * cgroup_post_fork(). bpf_sched_tag_seq, odd while a write walks,
 * tells the fork whether a write began or was under way in between; only
 * then does it copy again, under the mutex. The writer sleeps while odd,
 * so readers never wait for it to turn even.
 */
static DEFINE_MUTEX(bpf_sched_tag_mutex);
static unsigned long bpf_sched_tag_seq;

/*
 * The walk may meet any number of groups and tasks: it holds a reference
 * to the group it is in rather than the RCU read lock, so that it can
 * reschedule (css_next_descendant_pre() may go on from a pinned css).
 */
static int bpf_sched_set_tg_tag_locked(struct task_group *tg, s64 tag)
{
	struct cgroup_subsys_state *css;

	if (tg == &root_task_group)
		return -EINVAL;

	/*
	 * Odd before the walk reads a task list: a fork linked before that
	 * is seen by the walk, one linked after sees the count moved.
	 */
	WRITE_ONCE(bpf_sched_tag_seq, bpf_sched_tag_seq + 1);
	/* pairs with the smp_mb() in bpf_sched_fork_tag() */
	smp_mb();
	rcu_read_lock();
	css_for_each_descendant_pre(css, &tg->css) {
		struct css_task_iter it;
		struct task_struct *p;

		/*
		 * An offline group has no tasks and takes none; one not yet
		 * online takes its parent's tag when it comes online.
		 */
		if (!css_tryget_online(css))
			continue;
		rcu_read_unlock();

		WRITE_ONCE(css_tg(css)->tag, tag);
		css_task_iter_start(css, 0, &it);
		while ((p = css_task_iter_next(&it))) {
			WRITE_ONCE(p->tag, tag);
			cond_resched();
		}
		css_task_iter_end(&it);
		cond_resched();

		rcu_read_lock();
		css_put(css);
	}
	rcu_read_unlock();
	/* Even after the walk's writes, for forks that copy a tag next. */
	smp_store_release(&bpf_sched_tag_seq, bpf_sched_tag_seq + 1);
	return 0;
}

/*
 * A new group took its parent's tag when it was made (css_alloc); it
 * takes it again when it comes online, linked where writes find it.
 */
void bpf_sched_tg_online_tag(struct task_group *tg, struct task_group *parent)
{
	mutex_lock(&bpf_sched_tag_mutex);
	WRITE_ONCE(tg->tag, READ_ONCE(parent->tag));
	mutex_unlock(&bpf_sched_tag_mutex);
}

/* Tasks that moved into a group take its tag. */
void bpf_sched_attach_tags(struct cgroup_taskset *tset)
{
	struct cgroup_subsys_state *css;
	struct task_struct *p;

	mutex_lock(&bpf_sched_tag_mutex);
	cgroup_taskset_for_each(p, css, tset)
		WRITE_ONCE(p->tag, READ_ONCE(css_tg(css)->tag));
	mutex_unlock(&bpf_sched_tag_mutex);
}

/* sched_cgroup_fork(): the new task copies its parent's tag, and notes when. */
void bpf_sched_fork_copy_tag(struct task_struct *p)
{
	/* pairs with the release at the end of a write's walk */
	p->tag_seq = smp_load_acquire(&bpf_sched_tag_seq);
	p->tag = READ_ONCE(current->tag);
}

/*
 * The cpu controller's fork callback: the new task is linked into its
 * cgroups (cgroup_post_fork()). One that clone3(CLONE_INTO_CGROUP) put
 * into another group than its parent's moved as it forked: it takes that
 * group's tag, as a task attached to it does. Any other keeps the tag it
 * copied from its parent, unless a group write began or was under way
 * since: that write may have missed it, not yet linked, so it copies
 * again once the write is done. (A tag set in between, through /proc or
 * a syscall program, then gives way.) A task of the root group has
 * nothing to copy again: no write changes that group's tasks.
 */
void bpf_sched_fork_tag(struct task_struct *p)
{
	struct cgroup_subsys_state *css;
	bool moved;

	rcu_read_lock();
	css = task_css(p, cpu_cgrp_id);
	moved = css != task_css(current, cpu_cgrp_id);
	rcu_read_unlock();
	if (!moved && css_tg(css) == &root_task_group)
		return;

	/* p's store of its tag before the count's load: see the writer */
	smp_mb();
	if (!moved && !(p->tag_seq & 1) && READ_ONCE(bpf_sched_tag_seq) == p->tag_seq)
		return;

	/* p's css_set, which pins css, cannot change before p runs */
	mutex_lock(&bpf_sched_tag_mutex);
	WRITE_ONCE(p->tag, moved ? READ_ONCE(css_tg(css)->tag) : READ_ONCE(current->tag));
	mutex_unlock(&bpf_sched_tag_mutex);
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
	/* File permissions are not enough: see bpf_sched_tag_permitted(). */
	ret = bpf_sched_tag_permitted(of->file->f_cred, NULL);
	if (ret)
		return ret;
	ret = bpf_sched_set_tg_tag_all(css_tg(of_css(of)), tag);
	return ret ?: nbytes;
}
#endif /* CONFIG_CGROUP_SCHED */
