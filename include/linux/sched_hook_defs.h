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
 * decides and the programs after it do not run. The notification hooks,
 * which return void, run every program (they attach as fentry programs).
 * Every hook documents what its return values mean; the names and
 * arguments follow the openEuler design, so that policies written for it
 * load unchanged.
 *
 * Context: all hooks run with preemption disabled, most under a runqueue
 * lock. Programs must not sleep and must not call anything that takes a
 * runqueue lock: the verifier refuses the helpers and kfuncs that could.
 *
 * Pointer arguments are trusted and never NULL, but for those whose name
 * ends in __nullable, which a program must test before reading through.
 */

/*
 * BPF_SCHED_HOOK_HOLD(RET, DEFAULT, NAME, args...) is a hook whose programs
 * can keep a runnable task from running: the starvation guard is on while
 * one of these has a program (see bpf_sched_guard_tick() in fair.c), and
 * only then. It is BPF_SCHED_HOOK unless the includer says otherwise.
 */
#ifndef BPF_SCHED_HOOK_HOLD
#define BPF_SCHED_HOOK_HOLD BPF_SCHED_HOOK
#define __BPF_SCHED_HOOK_HOLD_IS_HOOK
#endif

/*
 * cfs_check_preempt_wakeup - should a waking task preempt the running one?
 * @curr: the task running on the CPU, a fair task
 * @p: the task that just woke up (or was forked, or migrated) onto that CPU
 *
 * Called from check_preempt_wakeup_fair() once per wakeup of a fair task
 * onto a CPU running another fair task, with that CPU's rq lock held, also
 * when the CPU is already due to reschedule (so that a waking task a
 * program favours becomes the next pick). Before the kernel's own tests
 * (idle groups, SCHED_BATCH/IDLE, EEVDF eligibility and deadline).
 *
 * Return: > 0 to preempt @curr now in favour of @p (@p becomes the next pick
 * if it is eligible), < 0 not to preempt @curr, 0 to let EEVDF decide.
 */
BPF_SCHED_HOOK_HOLD(int, 0, cfs_check_preempt_wakeup, struct task_struct *curr,
		    struct task_struct *p)

/*
 * cfs_check_preempt_tick - should the running entity give up the CPU?
 * @curr: the entity running on a cfs_rq, a task's or a group's
 * @delta_exec: @curr's runtime in ns since it was last picked
 *
 * Called from update_curr() whenever the runtime of a cfs_rq's running
 * entity is brought up to date while other entities wait on that cfs_rq:
 * on every tick (once per level of the running task's hierarchy), and on
 * enqueue, dequeue and wakeup on that cfs_rq. This is where EEVDF decides
 * that @curr used up its slice. With the rq lock held.
 *
 * Return: > 0 to reschedule now, even before the slice ends (the pick may
 * still choose @curr if EEVDF finds it the best entity); < 0 to keep @curr
 * running, no reschedule for the end of its slice; 0 to let EEVDF decide.
 * The starvation guard reschedules regardless of < 0.
 */
BPF_SCHED_HOOK_HOLD(int, 0, cfs_check_preempt_tick, struct sched_entity *curr,
		    unsigned long delta_exec)

/*
 * cfs_wakeup_preempt_entity - should a waking entity preempt the running one?
 * @curr: the running entity, at the level where the two hierarchies meet
 * @se: the waking task's entity or its ancestor's, on @curr's cfs_rq
 *
 * Called from check_preempt_wakeup_fair() after cfs_check_preempt_wakeup
 * returned 0 (or has no program), once per wakeup, with the rq lock held.
 * Both entities are on the same cfs_rq; either may be a group's: a policy
 * reads group tags here (bpf_sched_entity_to_tg()).
 *
 * Return: > 0 to preempt @curr now (the waking task becomes the next pick if
 * it is eligible), < 0 not to preempt it, 0 to let EEVDF decide.
 */
BPF_SCHED_HOOK_HOLD(int, 0, cfs_wakeup_preempt_entity, struct sched_entity *curr,
		    struct sched_entity *se)

/*
 * cfs_tag_pick_next_entity - run the chosen entity, or keep the running one?
 * @curr__nullable: the entity that was running on the cfs_rq, if it is still
 *	  runnable; NULL otherwise. The suffix makes the verifier insist that
 *	  a program tests it before reading through it.
 * @next: the entity EEVDF (with cfs_tag_entity_eligible, if attached) chose
 *
 * Called from pick_next_entity() at each level of the pick, with the rq lock
 * held: once per schedule() per level of the hierarchy picked into. @next
 * may equal @curr.
 *
 * Return: > 0 to keep @curr (ignored, and counted as rejected, when @curr is
 * NULL); otherwise @next runs. The starvation guard picks an entity that
 * waited too long without asking.
 */
BPF_SCHED_HOOK_HOLD(int, 0, cfs_tag_pick_next_entity,
		    const struct sched_entity *curr__nullable,
		    const struct sched_entity *next)

/*
 * cfs_tag_entity_eligible - is an entity eligible to run?
 * @se: an entity queued on the cfs_rq being picked from, or its running one
 *
 * Called from pick_eevdf(), which the pick and wakeup preemption use, with
 * the rq lock held. While a program is attached the pick walks the queued
 * entities in deadline order and takes the first one the program calls
 * eligible (the running entity competes as in EEVDF), asking about 16 of
 * them at most: a program's answers are not ordered the way the tree's
 * eligibility pruning needs, and the bound keeps a pick on a long queue
 * short whatever the program costs.
 *
 * Return: > 0 to treat @se as eligible, < 0 as not eligible, 0 to apply
 * EEVDF's own test. When none of the entities asked about is eligible the
 * pick falls back to EEVDF's choice and counts a rejected decision, so a
 * cfs_rq with runnable entities always picks one.
 */
BPF_SCHED_HOOK_HOLD(int, 0, cfs_tag_entity_eligible, const struct sched_entity *se)

/*
 * cfs_enqueue_task - a task became runnable on a CPU
 * @rq: the runqueue, locked
 * @p: the task, already queued: @rq's counts include it
 *
 * Called at the end of enqueue_task_fair(): wakeups (also of a task whose
 * dequeue was delayed, see below), new tasks, migrations in, and the
 * enqueue that ends a change of a queued task's attributes (nice, group,
 * affinity). Paired with cfs_dequeue_task.
 *
 * Return: nothing. Every program on the hook runs.
 */
BPF_SCHED_HOOK(void, 0, cfs_enqueue_task, struct rq *rq, struct task_struct *p)

/*
 * cfs_dequeue_task - a task stops being runnable on a CPU
 * @rq: the runqueue, locked
 * @p: the task, still queued: @rq's counts include it
 *
 * Called at the start of dequeue_task_fair() for a runnable task: it
 * blocks, migrates away, or a change of its attributes takes it off the
 * queue for a moment. With DELAY_DEQUEUE, a task that blocks while not
 * eligible stays queued (sched_delayed) until it is picked or wakes: the
 * hook fires when it blocks, not when the kernel later drops the delayed
 * entity, so enqueue and dequeue calls alternate for each task.
 *
 * Return: nothing. Every program on the hook runs.
 */
BPF_SCHED_HOOK(void, 0, cfs_dequeue_task, struct rq *rq, struct task_struct *p)

/*
 * cfs_select_rq - choose the CPU for a waking, new or exec'ing task
 * @ctx: the task, its previous and the selecting CPU, the wake flags, and
 *	 a mask the program may fill with bpf_sched_select_mask_set()
 *
 * Called from select_task_rq_fair() before the sched-domain walk, for
 * wakeups, fork and exec of a task allowed on more than one CPU, with the
 * task's pi_lock held and interrupts off. Not called when the wakeup asks
 * for the current CPU (WF_CURRENT_CPU) or energy-aware placement chose.
 *
 * Return: a CPU to run on (BPF_SCHED_CPU_FLAG | cpu names any CPU, plain
 * cpu any but 0); BPF_SCHED_CPU_IN_MASK for an idle CPU of the mask
 * (the previous CPU first), else the kernel's choice; -1 (or 0) for the
 * kernel's choice. A CPU that is not possible, active and allowed to the
 * task, or another negative value, is ignored and counted as rejected.
 */
BPF_SCHED_HOOK(int, -1, cfs_select_rq, struct sched_migrate_ctx *ctx)

/*
 * cfs_wake_affine - the waker's CPU or the wakee's previous one?
 * @ctx: the wakee, its previous CPU, the waker's CPU, whether sync
 *
 * Called from wake_affine(), when a wakeup could move the wakee next to
 * its waker (the two CPUs share a domain with SD_WAKE_AFFINE and differ).
 * The CPU chosen is the target around which the kernel then looks for an
 * idle CPU sharing its cache.
 *
 * Return: the target CPU (as for cfs_select_rq), or -1 (or 0) for the
 * kernel's choice. An invalid CPU is ignored and counted as rejected.
 */
BPF_SCHED_HOOK(int, -1, cfs_wake_affine, struct sched_affine_ctx *ctx)

/*
 * cfs_select_rq_exit - replace the CPU the kernel chose
 * @ctx: as for cfs_select_rq, with new_cpu the kernel's choice
 *
 * Called at the end of select_task_rq_fair(), after the domain walk.
 *
 * Return: as for cfs_select_rq; -1 (or 0) keeps new_cpu.
 */
BPF_SCHED_HOOK(int, -1, cfs_select_rq_exit, struct sched_migrate_ctx *ctx)

/*
 * cfs_update_load_avg - an entity's load averages were updated
 * @cfs_rq: the cfs_rq the entity is queued on
 * @se: the entity
 *
 * Called at the end of update_load_avg(), with the rq lock held: on every
 * tick, enqueue, dequeue and pick, for each level of the hierarchy. The
 * hottest hook of the list: a policy keeps its own per-tag load figures
 * here, and pays for each call.
 *
 * Return: nothing. Every program on the hook runs.
 */
BPF_SCHED_HOOK(void, 0, cfs_update_load_avg, struct cfs_rq *cfs_rq,
	       struct sched_entity *se)

/*
 * cfs_can_migrate_task - may the balancer move this task?
 * @p: a queued, not running task of the busiest CPU
 * @ctx: the balancing pass
 *
 * Called from can_migrate_task(), after the hard rules (throttled group,
 * per-CPU kthread, affinity and migration disabling, running) and before
 * the kernel's cache-hot test, with the rq lock of @p's CPU (ctx->src_cpu)
 * held and interrupts off, not that of the pulling CPU: from
 * detach_tasks() in a balancing pass, and from detach_one_task() in an
 * active balance, which runs in the stopper thread of @p's CPU (with
 * ctx->imbalance 0). A task allowed to move is attached to the pulling
 * CPU once the first lock is released.
 *
 * Return: < 0 to forbid moving @p, > 0 to allow it, 0 for the kernel's test.
 */
BPF_SCHED_HOOK(int, 0, cfs_can_migrate_task, struct task_struct *p,
	       struct sched_lb_ctx *ctx)

/*
 * cfs_find_busiest_group - balance this domain at all?
 * @ctx: the balancing pass (src_cpu not chosen yet)
 *
 * Called from sched_balance_find_src_group() once the group statistics
 * are computed, for every balancing pass (periodic, idle, newly idle),
 * with no rq lock held (in an RCU read-side section).
 *
 * A forced balance skips the kernel's checks, not its arithmetic:
 * calculate_imbalance() still works the amount out from the statistics,
 * and finds nothing to move where the local group is at least as loaded
 * as the busiest one or as the domain on average.
 *
 * Return: < 0 to treat the domain as balanced: nothing moves this time;
 * > 0 to balance even where the kernel's statistics find no imbalance
 * (when a group has fair tasks: cfs_calculate_imbalance says how much);
 * 0 for the kernel's choice.
 */
BPF_SCHED_HOOK(int, 0, cfs_find_busiest_group, struct sched_lb_ctx *ctx)

/*
 * cfs_update_sd_pick_busiest - is this group busier than the busiest so far?
 * @ctx: the balancing pass
 * @sgs: the candidate group's statistics, and the busiest group's span
 *
 * Called from update_sd_pick_busiest() for each group of the domain but the
 * local one that has fair tasks, with no rq lock held.
 *
 * Return: > 0 this group becomes the busiest, < 0 it does not, 0 for the
 * kernel's comparison.
 */
BPF_SCHED_HOOK(int, 0, cfs_update_sd_pick_busiest, struct sched_lb_ctx *ctx,
	       struct sched_lb_group_stats *sgs)

/*
 * cfs_calculate_imbalance - how much to move
 * @ctx: the balancing pass, with the kernel's migration type and imbalance
 *
 * Called from sched_balance_find_src_group() after calculate_imbalance(),
 * with no rq lock held.
 *
 * Return: > 0 to move that much instead, in units of the migration type
 * (or of the one set with bpf_sched_lb_set_migration_type()); 0 for the
 * kernel's figure. A negative value, or more than the busiest group has
 * (tasks, load or utilization), is ignored and counted as rejected.
 */
BPF_SCHED_HOOK(int, 0, cfs_calculate_imbalance, struct sched_lb_ctx *ctx)

/*
 * cfs_find_busiest_queue - the CPU to pull from
 * @ctx: the balancing pass
 * @group: the CPUs of the busiest group
 *
 * Called from sched_balance_find_src_rq() before the kernel's choice, with
 * no rq lock held: the CPU's queue may change before the tasks are taken.
 *
 * Return: a CPU of @group (BPF_SCHED_CPU(0) for CPU 0), or -1 (or 0) for
 * the kernel's choice. A CPU outside @group or the pass's CPUs, inactive,
 * or the pulling CPU itself is ignored and counted as rejected.
 */
BPF_SCHED_HOOK(int, -1, cfs_find_busiest_queue, struct sched_lb_ctx *ctx,
	       const struct cpumask *group)

/*
 * cfs_detach_tasks - how many tasks may move now
 * @ctx: the balancing pass, src_cpu chosen
 *
 * Called from detach_tasks() before it takes tasks off the busiest CPU,
 * with that CPU's rq lock held and interrupts off, not the pulling CPU's:
 * the tasks taken are attached to it after the first lock is released.
 *
 * Return: < 0 to move nothing this time, > 0 to move at most that many
 * tasks, 0 for the kernel's limits. An active balance, which the kernel
 * starts after repeated failures, moves one running task without this
 * hook; cfs_can_migrate_task still decides for it.
 */
BPF_SCHED_HOOK(int, 0, cfs_detach_tasks, struct sched_lb_ctx *ctx)

#ifdef __BPF_SCHED_HOOK_HOLD_IS_HOOK
#undef BPF_SCHED_HOOK_HOLD
#undef __BPF_SCHED_HOOK_HOLD_IS_HOOK
#endif
