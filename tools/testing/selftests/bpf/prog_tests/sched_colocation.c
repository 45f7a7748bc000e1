// SPDX-License-Identifier: GPL-2.0
/*
 * The co-location samples of samples/bpf at work, on one CPU:
 *
 * - sched_preempt (wakeup and tick rules): an online task (tag 1) that
 *   wakes every millisecond beside two offline CPU hogs (tag -1) is woken
 *   up faster than without a policy (p99 of its wakeup latency).
 * - sched_pick_task: an online and an offline CPU hog; the online one gets
 *   at least 90% of the CPU, and the offline one still runs (the kernel's
 *   starvation guard).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <test_progs.h>
#include "sched_common.h"
#include "sched_sample_preempt.skel.h"
#include "sched_sample_pick.skel.h"

#define WAKEUPS		1500
#define INTERVAL_US	1000
#define HOG_MS		2000
#define MAX_WAIT_FILE	"/proc/sys/kernel/sched_bpf_max_wait_ms"

struct shared {
	int stop;
	__u64 cpu_ns[3];
};

static int test_cpu(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN) - 1;
}

static int tag_self(const char *tag)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/tag", getpid());
	return sched_write_file(path, tag);
}

/* A CPU hog on the test CPU with @tag, until sh->stop; its CPU time in @i. */
static pid_t hog(struct shared *sh, int i, const char *tag)
{
	pid_t pid = fork();
	__u64 cpu0;

	if (pid)
		return pid;
	if (tag_self(tag))
		_exit(1);
	sched_pin(test_cpu());
	cpu0 = sched_now_ns(CLOCK_PROCESS_CPUTIME_ID);
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED))
		;
	sh->cpu_ns[i] = sched_now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	_exit(0);
}

static int reap(pid_t pid)
{
	int status;

	if (pid <= 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

static int cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/*
 * The online task: a child tagged 1 that wakes every INTERVAL_US beside
 * two hogs tagged -1, all on the test CPU. Returns the p99 of how late it
 * woke up, in us, or -1.
 */
static long online_p99(void)
{
	struct shared *sh;
	pid_t hogs[2], probe;
	long *lat, p99 = -1;
	int i;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	lat = mmap(NULL, WAKEUPS * sizeof(long), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!ASSERT_NEQ(sh, MAP_FAILED, "mmap") || !ASSERT_NEQ(lat, MAP_FAILED, "mmap"))
		return -1;
	memset(sh, 0, sizeof(*sh));
	hogs[0] = hog(sh, 0, "-1");
	hogs[1] = hog(sh, 1, "-1");
	probe = fork();
	if (probe == 0) {
		struct timespec t, now;

		sched_pin(test_cpu());
		if (tag_self("1"))
			_exit(1);
		usleep(100000);
		clock_gettime(CLOCK_MONOTONIC, &t);
		for (i = 0; i < WAKEUPS; i++) {
			t.tv_nsec += INTERVAL_US * 1000;
			if (t.tv_nsec >= 1000000000) {
				t.tv_nsec -= 1000000000;
				t.tv_sec++;
			}
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
			clock_gettime(CLOCK_MONOTONIC, &now);
			lat[i] = ((now.tv_sec - t.tv_sec) * 1000000000L +
				  now.tv_nsec - t.tv_nsec) / 1000;
		}
		_exit(0);
	}
	if (ASSERT_OK(reap(probe), "probe")) {
		qsort(lat, WAKEUPS, sizeof(long), cmp);
		p99 = lat[WAKEUPS * 99 / 100];
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	ASSERT_OK(reap(hogs[0]), "hog");
	ASSERT_OK(reap(hogs[1]), "hog");
	munmap(lat, WAKEUPS * sizeof(long));
	munmap(sh, sizeof(*sh));
	return p99;
}

static void test_preempt(void)
{
	struct sched_sample_preempt *skel;
	long base, with;

	base = online_p99();
	skel = sched_sample_preempt__open();
	if (!ASSERT_OK_PTR(skel, "open"))
		return;
	/* sched_preempt -W -T */
	bpf_program__set_autoload(skel->progs.preempt_entity, false);
	if (!ASSERT_OK(sched_sample_preempt__load(skel), "load") ||
	    !ASSERT_OK(sched_sample_preempt__attach(skel), "attach"))
		goto out;
	with = online_p99();
	sched_sample_preempt__detach(skel);
	printf("%s: online p99 wakeup latency %ld us without policy, %ld us with %s\n",
	       __func__, base, with, "sched_preempt -W -T");
	ASSERT_GT(skel->bss->nr_wakeup_preempt, 0, "wakeup_preempted");
	ASSERT_GT(skel->bss->nr_tick_resched, 0, "tick_rescheduled");
	ASSERT_GT(base, 0, "baseline");
	ASSERT_LT(with * 4, base * 3, "p99_lower");
out:
	sched_sample_preempt__destroy(skel);
}

static void test_pick(void)
{
	struct sched_sample_pick *skel;
	struct shared *sh;
	__u64 online, offline;
	pid_t on, off;

	skel = sched_sample_pick__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!ASSERT_NEQ(sh, MAP_FAILED, "mmap"))
		goto out;
	memset(sh, 0, sizeof(*sh));
	if (!ASSERT_OK(sched_sample_pick__attach(skel), "attach"))
		goto out_unmap;
	on = hog(sh, 0, "1");
	off = hog(sh, 1, "-1");
	usleep(HOG_MS * 1000);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	ASSERT_OK(reap(on), "online_hog");
	ASSERT_OK(reap(off), "offline_hog");
	sched_sample_pick__detach(skel);
	online = sh->cpu_ns[0];
	offline = sh->cpu_ns[1];
	printf("%s: online %llu ms, offline %llu ms of CPU\n", __func__,
	       online / 1000000, offline / 1000000);
	ASSERT_GT(skel->bss->nr_held_back, 0, "held_back");
	ASSERT_GE(online * 10, (online + offline) * 9, "online_90_percent");
	ASSERT_GT(offline, 0, "offline_still_runs");
out_unmap:
	munmap(sh, sizeof(*sh));
out:
	sched_sample_pick__destroy(skel);
}

void test_sched_colocation(void)
{
	char old_wait[16] = {};
	cpu_set_t old;
	int fd;

	fd = open(MAX_WAIT_FILE, O_RDONLY);
	if (!ASSERT_GE(fd, 0, "max_wait_file"))
		return;
	if (!ASSERT_GT(read(fd, old_wait, sizeof(old_wait) - 1), 0, "max_wait_read")) {
		close(fd);
		return;
	}
	close(fd);
	/* Bound the offline hogs' waits tightly enough to see them run. */
	if (!ASSERT_OK(sched_write_file(MAX_WAIT_FILE, "200"), "max_wait"))
		return;
	sched_getaffinity(0, sizeof(old), &old);
	sched_pin(0);
	if (test__start_subtest("preempt"))
		test_preempt();
	if (test__start_subtest("pick_task"))
		test_pick();
	sched_setaffinity(0, sizeof(old), &old);
	sched_write_file(MAX_WAIT_FILE, old_wait);
}
