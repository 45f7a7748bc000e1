// SPDX-License-Identifier: GPL-2.0
/*
 * The sched_select_core sample on the test VM's two cache domains (CPUs
 * 0-1 and 2-3): range placement by tag (-R), the custom choice (-C) and
 * the producer/consumer pull (-W), each against the same workload without
 * the policy.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <test_progs.h>
#include "sched_common.h"
#include "sched_sample_select.skel.h"

#define WAKEUPS		200
#define HOGS		4
#define HOG_MS		600

struct shared {
	int go, stop, n;
	int cpu[WAKEUPS];
	long in_range[HOGS], out_range[HOGS];
};

static int tag_self(long long tag)
{
	char path[64], val[32];
	int fd, err = 0;

	snprintf(path, sizeof(path), "/proc/%d/tag", getpid());
	snprintf(val, sizeof(val), "%lld", tag);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	if (write(fd, val, strlen(val)) < 0)
		err = -1;
	close(fd);
	return err;
}

static struct shared *shared_new(void)
{
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (!ASSERT_NEQ(sh, MAP_FAILED, "mmap"))
		return NULL;
	memset(sh, 0, sizeof(*sh));
	return sh;
}

static int reap(pid_t pid)
{
	int status;

	if (pid <= 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

/* A task tagged @tag, allowed everywhere, that wakes WAKEUPS times: by
 * sleeping, or reading @efd. Records where it woke up.
 */
static pid_t waker(struct shared *sh, long long tag, int efd, int start_cpu)
{
	pid_t pid = fork();
	__u64 v = 0, n;
	int i;

	if (pid)
		return pid;
	if (tag_self(tag))
		_exit(1);
	sched_set_cpus(start_cpu, start_cpu);
	usleep(1000);
	sched_set_cpus(0, libbpf_num_possible_cpus() - 1);
	/* An eventfd adds up the writes that came before a read: count them. */
	for (i = 0, n = 0; n < WAKEUPS; i++, n += efd >= 0 ? v : 1) {
		if (efd >= 0) {
			if (read(efd, &v, sizeof(v)) != sizeof(v))
				_exit(1);
		} else {
			usleep(300);
		}
		sh->cpu[i] = sched_getcpu();
	}
	sh->n = i;
	_exit(0);
}

/* How many of the recorded wakeups were on CPUs @first..@last. */
static int woke_in(struct shared *sh, int first, int last)
{
	int i, n = 0;

	for (i = 0; i < sh->n; i++)
		n += sh->cpu[i] >= first && sh->cpu[i] <= last;
	return n;
}

static pid_t hog(struct shared *sh, int i, long long tag, int cpu)
{
	pid_t pid = fork();
	int c;

	if (pid)
		return pid;
	if (tag_self(tag))
		_exit(1);
	if (cpu >= 0)
		sched_set_cpus(cpu, cpu);
	else
		sched_set_cpus(0, libbpf_num_possible_cpus() - 1);
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		c = sched_getcpu();
		if (c == 0 || c == 1)
			sh->in_range[i]++;
		else
			sh->out_range[i]++;
	}
	_exit(0);
}

static void test_llc(void)
{
	char buf[32] = {};
	int fd;

	/* The harness's VM: 2 sockets of 2 cores, one L3 each. */
	fd = open("/sys/devices/system/cpu/cpu0/cache/index3/shared_cpu_list", O_RDONLY);
	if (!ASSERT_GE(fd, 0, "cpu0_llc") || !ASSERT_GT(read(fd, buf, sizeof(buf) - 1), 0, "read"))
		return;
	close(fd);
	ASSERT_STREQ(buf, "0-1\n", "llc_0_1");
	fd = open("/sys/devices/system/cpu/cpu2/cache/index3/shared_cpu_list", O_RDONLY);
	if (!ASSERT_GE(fd, 0, "cpu2_llc"))
		return;
	memset(buf, 0, sizeof(buf));
	ASSERT_GT(read(fd, buf, sizeof(buf) - 1), 0, "read");
	close(fd);
	ASSERT_STREQ(buf, "2-3\n", "llc_2_3");
}

/* -R, tag 1 -> CPUs 0-1: a light task stays inside, heavy ones spill out. */
static void test_range(struct sched_sample_select *skel)
{
	long long tag = 1;
	__u64 cpus = 0x3;
	struct bpf_link *link;
	struct shared *sh;
	pid_t pids[HOGS];
	long in = 0, out = 0;
	int i, base;

	if (!ASSERT_OK(bpf_map__update_elem(skel->maps.ranges, &tag, sizeof(tag),
					    &cpus, sizeof(cpus), BPF_ANY), "range"))
		return;
	sh = shared_new();
	if (!sh)
		return;
	/* Without the policy, a task that starts on CPU 3 stays about there. */
	ASSERT_OK(reap(waker(sh, 1, -1, 3)), "light_base");
	base = woke_in(sh, 0, 1);
	link = bpf_program__attach(skel->progs.select_range);
	if (!ASSERT_OK_PTR(link, "attach"))
		goto out_unmap;
	ASSERT_OK(reap(waker(sh, 1, -1, 3)), "light");
	printf("%s: light: %d of %d wakeups in CPUs 0-1 without the policy, %d with\n",
	       __func__, base, sh->n, woke_in(sh, 0, 1));
	ASSERT_LE(base, WAKEUPS / 2, "light_base_outside");
	ASSERT_GE(woke_in(sh, 0, 1), WAKEUPS * 95 / 100, "light_in_range");

	for (i = 0; i < HOGS; i++)
		pids[i] = hog(sh, i, 1, -1);
	usleep(HOG_MS * 1000);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < HOGS; i++) {
		ASSERT_OK(reap(pids[i]), "hog");
		in += sh->in_range[i];
		out += sh->out_range[i];
	}
	printf("%s: %d heavy tasks: %ld%% of their time outside CPUs 0-1\n",
	       __func__, HOGS, in + out ? out * 100 / (in + out) : 0);
	ASSERT_GT(out * 100, (in + out) * 25, "heavy_spill");
	ASSERT_GT(skel->bss->nr_range_idle, 0, "range_decided");
	bpf_link__destroy(link);
out_unmap:
	munmap(sh, sizeof(*sh));
}

/* A sleeper's wakeups on the one idle CPU, with CPUs 0-2 busy. */
static int wakeups_on_idle_cpu(void)
{
	struct shared *sh = shared_new();
	pid_t pids[3];
	int i, n = -1;

	if (!sh)
		return -1;
	for (i = 0; i < 3; i++)
		pids[i] = hog(sh, i, 0, i);
	usleep(50000);
	if (ASSERT_OK(reap(waker(sh, 0, -1, 0)), "sleeper"))
		n = woke_in(sh, 3, 3);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < 3; i++)
		ASSERT_OK(reap(pids[i]), "hog");
	munmap(sh, sizeof(*sh));
	return n;
}

static void test_custom(struct sched_sample_select *skel)
{
	struct bpf_link *link;
	int base, with;

	base = wakeups_on_idle_cpu();
	link = bpf_program__attach(skel->progs.select_custom);
	if (!ASSERT_OK_PTR(link, "attach"))
		return;
	with = wakeups_on_idle_cpu();
	bpf_link__destroy(link);
	printf("%s: %d of %d wakeups on the idle CPU without the policy, %d with\n",
	       __func__, base, WAKEUPS, with);
	/*
	 * The kernel finds that CPU by itself too (189 of 200 measured): this
	 * checks that the policy keeps it there, not that it moves it.
	 */
	ASSERT_GE(with, WAKEUPS * 9 / 10, "on_idle_cpu");
	ASSERT_GT(skel->bss->nr_wake_prev + skel->bss->nr_wake_idle, 0, "custom_decided");
}

/*
 * A producer on CPU 0 (this thread) wakes a consumer that starts on CPU 3
 * through an eventfd (not a sync wakeup). Returns how many of its wakeups
 * were in the producer's cache domain, CPUs 0-1.
 */
static int consumer_near_producer(void)
{
	struct shared *sh = shared_new();
	__u64 one = 1;
	int efd, i, n = -1;
	pid_t pid;

	if (!sh)
		return -1;
	efd = eventfd(0, 0);
	if (!ASSERT_GE(efd, 0, "eventfd"))
		return -1;
	pid = waker(sh, 0, efd, 3);
	usleep(20000);
	for (i = 0; i < WAKEUPS; i++) {
		usleep(500);
		if (write(efd, &one, sizeof(one)) != sizeof(one))
			break;
	}
	if (ASSERT_OK(reap(pid), "consumer"))
		n = woke_in(sh, 0, 1);
	close(efd);
	munmap(sh, sizeof(*sh));
	return n;
}

static void test_wake_affine(struct sched_sample_select *skel)
{
	struct bpf_link *link;
	int base, with;

	base = consumer_near_producer();
	link = bpf_program__attach(skel->progs.wake_affine_pull);
	if (!ASSERT_OK_PTR(link, "attach"))
		return;
	with = consumer_near_producer();
	bpf_link__destroy(link);
	printf("%s: %d of %d wakeups in the producer's cache domain without the policy, %d with\n",
	       __func__, base, WAKEUPS, with);
	ASSERT_GT(skel->bss->nr_pulled, 0, "pulled");
	ASSERT_GT(with, base + WAKEUPS / 4, "more_in_producer_llc");
}

void test_sched_select_core(void)
{
	struct sched_sample_select *skel;
	cpu_set_t old;

	if (!sched_need_cpus(4, true, "tag ranges 0-1 and 2-3, two LLCs"))
		return;
	sched_getaffinity(0, sizeof(old), &old);
	sched_set_cpus(0, 0);
	if (test__start_subtest("llc"))
		test_llc();
	skel = sched_sample_select__open();
	if (!ASSERT_OK_PTR(skel, "open"))
		goto out;
	skel->data->nr_cpus = libbpf_num_possible_cpus();
	if (!ASSERT_OK(sched_sample_select__load(skel), "load"))
		goto out;
	if (test__start_subtest("range"))
		test_range(skel);
	if (test__start_subtest("custom"))
		test_custom(skel);
	if (test__start_subtest("wake_affine"))
		test_wake_affine(skel);
out:
	sched_sample_select__destroy(skel);
	sched_setaffinity(0, sizeof(old), &old);
}
