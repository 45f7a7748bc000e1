// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU selection hooks: cfs_select_rq on wakeup, fork and exec,
 * cfs_select_rq_exit, cfs_wake_affine, the selection mask, and the
 * refusal of every CPU a task may not run on.
 *
 * A chosen child process wakes up WAKEUPS times and records the CPU it
 * woke up on (or forks and execs children that record theirs): a CPU a
 * program returns must be where it ran, an invalid one never.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <test_progs.h>
#include "sched_common.h"
#include "sched_select.skel.h"

#define WAKEUPS		200
#define FORKS		20
#define CPU_FLAG	0x40000000	/* BPF_SCHED_CPU_FLAG */
#define CPU_IN_MASK	(-2)		/* BPF_SCHED_CPU_IN_MASK */
#define MAX_CPUS	64

enum work { WAKE, FORK, EXEC, PIPE };

struct shared {
	int go, n;
	int cpu[WAKEUPS];
};

/* How many records of the last run() were on each CPU. */
static int hist[MAX_CPUS];

static int nr_cpus(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN);
}

/* The CPU an exec'ed cat ran on: field 39 of its /proc/self/stat. */
static int exec_cpu(void)
{
	char buf[1024], *s;
	int fds[2], i, n;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		execl("/bin/cat", "cat", "/proc/self/stat", NULL);
		_exit(127);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	waitpid(pid, NULL, 0);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	s = strrchr(buf, ')');	/* the command may hold spaces */
	for (i = 2; s && i < 39; i++)
		s = strchr(s + 1, ' ');
	return s ? atoi(s + 1) : -1;
}

static void child(struct shared *sh, enum work what, const cpu_set_t *allowed, int rfd)
{
	int i, n = what == FORK || what == EXEC ? FORKS : WAKEUPS;
	char c;

	cpu_set_t all;

	/* Not the parent's CPU 0: a task allowed on one CPU is not placed. */
	if (!allowed) {
		CPU_ZERO(&all);
		for (i = 0; i < nr_cpus(); i++)
			CPU_SET(i, &all);
		allowed = &all;
	}
	/* A pipe's reader starts in the LLC its writer (CPU 0) is not in. */
	if (what == PIPE)
		sched_pin(nr_cpus() - 1);
	/*
	 * A sleeper starts on CPU 1: a timer wakes it on its previous CPU,
	 * idle, and the kernel keeps it there. Where a fork would put it is
	 * anybody's guess, and one CPU in three the last, a test's target.
	 */
	if (what == WAKE)
		sched_pin(1);
	while (!__atomic_load_n(&sh->go, __ATOMIC_ACQUIRE))
		usleep(1000);
	sched_setaffinity(0, sizeof(*allowed), allowed);
	for (i = 0; i < n; i++) {
		switch (what) {
		case WAKE:
			usleep(200);
			sh->cpu[i] = sched_getcpu();
			break;
		case PIPE:
			if (read(rfd, &c, 1) != 1)
				_exit(1);
			sh->cpu[i] = sched_getcpu();
			break;
		case FORK: {
			pid_t pid = fork();

			if (pid == 0) {
				sh->cpu[i] = sched_getcpu();
				_exit(0);
			}
			waitpid(pid, NULL, 0);
			break;
		}
		case EXEC:
			sh->cpu[i] = exec_cpu();
			break;
		}
	}
	sh->n = n;
	_exit(0);
}

/*
 * Run @what in a child allowed on @allowed (NULL: all CPUs), chosen by
 * @skel. Returns how many of its records are @cpu (< 0: how many are in
 * @allowed, or all of them), or -1.
 */
static int run(struct sched_select *skel, enum work what, const cpu_set_t *allowed,
	       int cpu)
{
	int fds[2] = { -1, -1 }, i, n = 0, status;
	struct shared *sh;
	pid_t pid;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!ASSERT_NEQ(sh, MAP_FAILED, "mmap"))
		return -1;
	memset(sh, 0, sizeof(*sh));
	if (what == PIPE && !ASSERT_OK(pipe(fds), "pipe"))
		return -1;
	pid = fork();
	if (pid == 0)
		child(sh, what, allowed, fds[0]);
	skel->bss->pid = pid;
	__atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
	for (i = 0; what == PIPE && i < WAKEUPS; i++) {
		usleep(300);
		if (write(fds[1], "x", 1) != 1)
			break;
	}
	if (!ASSERT_EQ(waitpid(pid, &status, 0), pid, "waitpid") ||
	    !ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status), "child_ok"))
		n = -1;
	skel->bss->pid = 0;
	memset(hist, 0, sizeof(hist));
	for (i = 0; i < sh->n; i++)
		if (sh->cpu[i] >= 0 && sh->cpu[i] < MAX_CPUS)
			hist[sh->cpu[i]]++;
	for (i = 0; n >= 0 && i < sh->n; i++) {
		if (cpu >= 0)
			n += sh->cpu[i] == cpu;
		else
			n += !allowed || CPU_ISSET(sh->cpu[i], allowed);
	}
	if (env.verbosity > VERBOSE_NONE)
		printf("%s(work %d, cpu %d): %d of %d\n", __func__, what, cpu, n, sh->n);
	if (fds[0] >= 0) {
		close(fds[0]);
		close(fds[1]);
	}
	munmap(sh, sizeof(*sh));
	return n;
}

/*
 * Where the kernel alone puts @what (no program attached): the CPU of
 * @allowed (NULL: any) it used least, and in *@count how often. A policy
 * that sends the work there shows its effect against that baseline.
 */
static int least_used(struct sched_select *skel, enum work what, const cpu_set_t *allowed,
		      int *count)
{
	int cpu, best = -1;

	if (run(skel, what, allowed, -1) < 0)
		return -1;
	for (cpu = 0; cpu < nr_cpus() && cpu < MAX_CPUS; cpu++) {
		if (allowed && !CPU_ISSET(cpu, allowed))
			continue;
		if (best < 0 || hist[cpu] < hist[best])
			best = cpu;
	}
	*count = best < 0 ? 0 : hist[best];
	if (env.verbosity > VERBOSE_NONE)
		printf("%s(work %d): CPU %d, %d times without a program\n", __func__, what,
		       best, *count);
	return best;
}

static struct bpf_link *attach(struct bpf_program *prog)
{
	struct bpf_link *link = bpf_program__attach(prog);

	ASSERT_OK_PTR(link, "attach");
	return link;
}

/* Wakeups go where the program says: CPU 3 (the last), CPU 0 (flagged). */
static void test_select(struct sched_select *skel)
{
	struct bpf_link *link = attach(skel->progs.select_rq);
	int last = nr_cpus() - 1, cpu, base;
	struct sched_hook_stats st0, st1;

	ASSERT_OK(sched_read_stats("cfs_select_rq", &st0), "read_stats");
	skel->bss->ret_select = last;
	ASSERT_GE(run(skel, WAKE, NULL, last), WAKEUPS * 95 / 100, "on_last_cpu");
	skel->bss->ret_select = CPU_FLAG | 0;
	ASSERT_GE(run(skel, WAKE, NULL, 0), WAKEUPS * 95 / 100, "on_cpu0");
	ASSERT_GT(skel->bss->seen_wakeup, WAKEUPS, "seen_wakeups");
	/* The hook returns -1 by itself: each CPU named counts as changed. */
	ASSERT_OK(sched_read_stats("cfs_select_rq", &st1), "read_stats");
	ASSERT_STREQ(st1.dflt, "-1", "default");
	ASSERT_GE(st1.changed - st0.changed, WAKEUPS, "stats_changed");

	/* The selection mask: an idle CPU of it, the one the kernel used least. */
	bpf_link__destroy(link);
	cpu = least_used(skel, WAKE, NULL, &base);
	if (!ASSERT_GE(cpu, 0, "mask_baseline"))
		return;
	ASSERT_LE(base, WAKEUPS / 2, "mask_baseline_elsewhere");
	link = attach(skel->progs.select_rq);
	skel->data->mask_cpu = cpu;
	skel->bss->ret_select = CPU_IN_MASK;
	ASSERT_GE(run(skel, WAKE, NULL, cpu), WAKEUPS * 9 / 10, "in_mask");
	skel->data->mask_cpu = -1;
	bpf_link__destroy(link);
}

/*
 * The selection mask holds CPU 2 only, and a hog pinned there keeps it
 * busy: no CPU of the mask is idle, so the kernel chooses, without a
 * rejection counted, and a wakeup lands on CPU 2 as seldom as without a
 * program.
 */
static void test_in_mask_busy(struct sched_select *skel)
{
	int base, busy, idle;
	struct bpf_link *link;
	__u64 r0;
	pid_t hog;

	hog = fork();
	if (hog == 0) {
		sched_pin(2);
		for (;;)
			;
	}
	if (!ASSERT_GT(hog, 0, "fork_hog"))
		return;
	usleep(50000);
	base = run(skel, WAKE, NULL, 2);
	link = attach(skel->progs.select_rq);
	skel->data->mask_cpu = 2;
	skel->bss->ret_select = CPU_IN_MASK;
	r0 = sched_rejected("cfs_select_rq");
	busy = run(skel, WAKE, NULL, 2);
	ASSERT_EQ(sched_rejected("cfs_select_rq"), r0, "fallback_not_rejected");
	kill(hog, SIGKILL);
	waitpid(hog, NULL, 0);
	/* And once CPU 2 is idle, there. */
	idle = run(skel, WAKE, NULL, 2);
	printf("%s: wakeups on CPU 2 of %d: %d without a program, %d busy, %d idle\n",
	       __func__, WAKEUPS, base, busy, idle);
	ASSERT_GE(skel->bss->seen_wakeup, WAKEUPS, "seen_wakeups");
	ASSERT_LE(busy, base + WAKEUPS / 20, "busy_mask_falls_back");
	ASSERT_GE(idle, WAKEUPS * 9 / 10, "idle_mask_taken");
	skel->data->mask_cpu = -1;
	bpf_link__destroy(link);
}

/*
 * Two programs on cfs_select_rq: the newer runs first, and the first that
 * returns non-zero decides. The older names the last CPU; the newer names
 * CPU 0, has no opinion (0), or asks for the kernel's choice (-1), which
 * is a decision too: the older does not run then.
 */
static void test_two_progs(struct sched_select *skel)
{
	struct bpf_link *a, *b;
	int last = nr_cpus() - 1;
	__u64 calls;

	skel->bss->ret_select = CPU_FLAG | last;
	a = attach(skel->progs.select_rq);
	b = attach(skel->progs.select_rq_b);

	skel->bss->ret_select_b = CPU_FLAG | 0;
	calls = skel->bss->calls_select;
	ASSERT_GE(run(skel, WAKE, NULL, 0), WAKEUPS * 95 / 100, "newer_decides");
	/* Not every wakeup asks the programs (197 of 200 once). */
	ASSERT_GE(skel->bss->calls_select_b, WAKEUPS * 95 / 100, "newer_ran");
	ASSERT_EQ(skel->bss->calls_select, calls, "older_not_run");

	skel->bss->ret_select_b = 0;
	ASSERT_GE(run(skel, WAKE, NULL, last), WAKEUPS * 95 / 100, "no_opinion_older_decides");
	ASSERT_GE(skel->bss->calls_select - calls, WAKEUPS * 95 / 100, "older_ran");

	skel->bss->ret_select_b = -1;
	calls = skel->bss->calls_select;
	ASSERT_LE(run(skel, WAKE, NULL, last), WAKEUPS / 2, "kernel_choice_stands");
	ASSERT_EQ(skel->bss->calls_select, calls, "older_not_run_after_default");
	bpf_link__destroy(b);
	bpf_link__destroy(a);
}

/* Forks and execs go to the CPU the kernel alone used least for them. */
static void test_fork_exec(struct sched_select *skel)
{
	struct bpf_link *link;
	int fork_cpu, exec_cpu, fork_base, exec_base;

	fork_cpu = least_used(skel, FORK, NULL, &fork_base);
	exec_cpu = least_used(skel, EXEC, NULL, &exec_base);
	if (!ASSERT_GE(fork_cpu, 0, "fork_baseline") || !ASSERT_GE(exec_cpu, 0, "exec_baseline"))
		return;
	ASSERT_LE(fork_base, FORKS / 2, "fork_baseline_elsewhere");
	ASSERT_LE(exec_base, FORKS / 2, "exec_baseline_elsewhere");
	link = attach(skel->progs.select_rq);
	skel->bss->ret_select = CPU_FLAG | fork_cpu;
	ASSERT_GE(run(skel, FORK, NULL, fork_cpu), FORKS * 9 / 10, "fork_on_cpu");
	ASSERT_GE(skel->bss->seen_fork, FORKS, "seen_fork");
	skel->bss->ret_select = CPU_FLAG | exec_cpu;
	ASSERT_GE(run(skel, EXEC, NULL, exec_cpu), FORKS * 9 / 10, "exec_on_cpu");
	ASSERT_GE(skel->bss->seen_exec, FORKS, "seen_exec");
	bpf_link__destroy(link);
}

/* The exit hook replaces the kernel's choice: by the CPU it used least. */
static void test_exit(struct sched_select *skel)
{
	struct bpf_link *link;
	int cpu, base;

	cpu = least_used(skel, WAKE, NULL, &base);
	if (!ASSERT_GE(cpu, 0, "baseline"))
		return;
	ASSERT_LE(base, WAKEUPS / 2, "baseline_elsewhere");
	link = attach(skel->progs.select_rq_exit);
	skel->bss->ret_exit = CPU_FLAG | cpu;
	ASSERT_GE(run(skel, WAKE, NULL, cpu), WAKEUPS * 95 / 100, "replaced");
	/*
	 * Not once per wakeup: a task woken while still queued (6.12's
	 * delayed dequeue) is not placed again. As often as it was moved.
	 */
	ASSERT_GE(skel->bss->calls_exit, WAKEUPS * 95 / 100, "exit_calls");
	ASSERT_GE(skel->data->last_new_cpu, 0, "saw_kernel_choice");
	bpf_link__destroy(link);
}

/*
 * A CPU outside the affinity, beyond nr_cpu_ids, negative, offline: each
 * refusal is counted, and the task runs where the kernel puts it. That it
 * runs only where it may is checked too, but core code would see to that
 * by itself (select_task_rq() falls back from a CPU the task may not use):
 * the counts are what shows the hook's validation.
 */
static void test_invalid(struct sched_select *skel)
{
	const int bad[] = { 3, 1 << 20, -7, CPU_FLAG | 3 };
	struct bpf_link *sel, *ex;
	cpu_set_t allowed;
	__u64 r0;
	int i;

	CPU_ZERO(&allowed);
	CPU_SET(0, &allowed);
	CPU_SET(1, &allowed);
	sel = attach(skel->progs.select_rq);
	ex = attach(skel->progs.select_rq_exit);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		skel->bss->ret_select = bad[i];
		skel->bss->ret_exit = bad[i];
		r0 = sched_rejected("cfs_select_rq") + sched_rejected("cfs_select_rq_exit");
		ASSERT_EQ(run(skel, WAKE, &allowed, -1), WAKEUPS, "only_allowed");
		ASSERT_GE(sched_rejected("cfs_select_rq") +
			  sched_rejected("cfs_select_rq_exit") - r0, WAKEUPS, "rejected");
	}

	/* An offline CPU, where CPU 1 can go offline. */
	if (!access("/sys/devices/system/cpu/cpu1/online", W_OK) &&
	    !system("echo 0 > /sys/devices/system/cpu/cpu1/online")) {
		CPU_SET(2, &allowed);
		skel->bss->ret_select = 1;
		skel->bss->ret_exit = 1;
		r0 = sched_rejected("cfs_select_rq");
		ASSERT_EQ(run(skel, WAKE, &allowed, 1), 0, "not_offline");
		ASSERT_GE(sched_rejected("cfs_select_rq") - r0, WAKEUPS, "offline_rejected");
		ASSERT_OK(system("echo 1 > /sys/devices/system/cpu/cpu1/online"), "online");
	}
	bpf_link__destroy(ex);
	bpf_link__destroy(sel);
}

/* Per mille of the last run's records on CPUs 0 and 1, the writer's LLC. */
static int near_writer(void)
{
	int i, n = 0;

	for (i = 0; i < MAX_CPUS; i++)
		n += hist[i];
	return n ? (hist[0] + hist[1]) * 1000 / n : 0;
}

/*
 * The reader of a pipe, which the parent (CPU 0) writes to, starts on the
 * last CPU, in the other LLC. cfs_wake_affine moves it next to its writer
 * or keeps it where it was, against what the kernel alone does; an invalid
 * target is refused, each time.
 */
static void test_wake_affine(struct sched_select *skel)
{
	struct bpf_link *link;
	int base, waker, wakee;
	__u64 r0;

	if (!ASSERT_GT(run(skel, PIPE, NULL, -2), -1, "pipe"))
		return;
	base = near_writer();
	link = attach(skel->progs.wake_affine);
	skel->bss->ret_affine = 1;
	ASSERT_GT(run(skel, PIPE, NULL, -2), -1, "pipe");
	waker = near_writer();
	ASSERT_GT(skel->bss->calls_affine, 0, "affine_calls");
	skel->bss->ret_affine = 2;
	ASSERT_GT(run(skel, PIPE, NULL, -2), -1, "pipe");
	wakee = near_writer();
	printf("%s: reader in the writer's LLC %d per mille, %d to the waker, %d to the wakee\n",
	       __func__, base, waker, wakee);
	ASSERT_GE(waker, 900, "to_waker");
	ASSERT_LE(wakee, 100, "to_wakee");
	ASSERT_GE(base - wakee, 300, "wakee_not_the_kernel");

	skel->bss->ret_affine = 1 << 20;
	r0 = sched_rejected("cfs_wake_affine");
	skel->bss->calls_affine = 0;
	ASSERT_GT(run(skel, PIPE, NULL, -2), -1, "pipe");
	ASSERT_GT(skel->bss->calls_affine, 0, "affine_called_again");
	ASSERT_EQ(sched_rejected("cfs_wake_affine") - r0, skel->bss->calls_affine,
		  "affine_rejected");
	bpf_link__destroy(link);
}

void test_sched_select(void)
{
	static const struct {
		const char *name;
		void (*fn)(struct sched_select *skel);
	} tests[] = {
		{ "select", test_select },
		{ "in_mask_busy", test_in_mask_busy },
		{ "fork_exec", test_fork_exec },
		{ "exit", test_exit },
		{ "invalid", test_invalid },
		{ "wake_affine", test_wake_affine },
		{ "two_progs", test_two_progs },
	};
	cpu_set_t old;
	int i;

	if (!sched_need_cpus(4, false, "placement on CPUs 0-3"))
		return;
	/* The parent (the pipe's writer) stays on CPU 0. */
	sched_getaffinity(0, sizeof(old), &old);
	sched_pin(0);
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		struct sched_select *skel;

		if (!test__start_subtest(tests[i].name))
			continue;
		skel = sched_select__open_and_load();
		if (!ASSERT_OK_PTR(skel, "open_and_load"))
			break;
		tests[i].fn(skel);
		sched_select__destroy(skel);
	}
	sched_setaffinity(0, sizeof(old), &old);
}
