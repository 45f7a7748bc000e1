/* SPDX-License-Identifier: GPL-2.0 */

/*
 * The hooks of the fair scheduler that a BPF_PROG_TYPE_SCHED program can
 * attach to, one line each:
 *
 *	BPF_SCHED_HOOK(RET, DEFAULT, NAME, args...)
 *
 * From this list alone come the attach points bpf_sched_<NAME>(args) (noinline
 * functions that return DEFAULT, to which a program attaches through a BPF
 * trampoline with modify-return semantics), their prototypes, the verifier's
 * allowlist of attach targets, one static key per hook and the per-hook
 * statistics. Adding a hook is one line here plus its call site, where
 *
 *	if (bpf_sched_hook_on(NAME))
 *		ret = bpf_sched_call(NAME, args);
 *
 * costs one patched-out branch while no program is attached.
 *
 * Programs on one hook run newest first (the trampoline runs its links in
 * reverse attach order). A program returning 0 has no opinion: the next one
 * runs, and with none left the hook returns DEFAULT, which leaves the
 * kernel's own decision in place. The first program to return non-zero
 * decides and the programs after it do not run. Every hook documents what
 * its return values mean; the names and arguments follow the openEuler
 * design, so that policies written for it load unchanged.
 *
 * Context: all hooks run with preemption disabled, most under a runqueue
 * lock. Programs must not sleep and must not call anything that takes a
 * runqueue lock.
 */

/*
 * cfs_check_preempt_wakeup - should a waking task preempt the running one?
 * @curr: the task running on the CPU, a fair task
 * @p: the task that just woke up (or was forked, or migrated) onto that CPU
 *
 * Called from check_preempt_wakeup_fair() once per wakeup of a fair task
 * onto a CPU running another fair task, with that CPU's rq lock held,
 * unless the CPU is already due to reschedule. Before the kernel's own
 * tests (idle groups, SCHED_BATCH/IDLE, EEVDF eligibility and deadline).
 *
 * Return: > 0 to preempt @curr now in favour of @p (@p becomes the next pick
 * if it is eligible), < 0 not to preempt @curr, 0 to let EEVDF decide.
 */
BPF_SCHED_HOOK(int, 0, cfs_check_preempt_wakeup, struct task_struct *curr,
	       struct task_struct *p)
