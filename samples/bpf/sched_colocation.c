// SPDX-License-Identifier: GPL-2.0
/*
 * sched_colocation: one run of the co-location scenario.
 *
 *   sched_colocation [-c CPU] [-n HOGS] [-d MS] [-i INTERVAL_US]
 *                    [-N NICE | -I | -g CGROUP] [-t] [-l LABEL] [-o FILE]
 *
 * On one CPU, an online task wakes every INTERVAL_US for MS milliseconds
 * and records its wakeup latency (how long after its deadline it ran),
 * beside HOGS offline CPU hogs: plain, at nice NICE, SCHED_IDLE (-I), or
 * moved into the cgroup v2 directory CGROUP. With -t the online task is
 * tagged 1 and the hogs -1 (/proc/<pid>/tag), for the tag policies.
 *
 * Prints one CSV line: label,p50_us,p99_us,max_us,offline_cpu_pct, the
 * last being the hogs' CPU time over the run's. With -o, writes every
 * latency in us to FILE, one per line, for the plot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_HOGS	64

struct shared {
	int stop;
	unsigned long long cpu_ns[MAX_HOGS];
};

static long arg(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max) {
		fprintf(stderr, "sched_colocation: bad value '%s' (%ld..%ld)\n", s, min, max);
		exit(2);
	}
	return v;
}

static unsigned long long now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return -1;
	if (write(fd, s, strlen(s)) < 0)
		err = -1;
	close(fd);
	return err;
}

static int set_tag(pid_t pid, const char *tag)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/tag", pid);
	return write_str(path, tag);
}

static void hog(struct shared *sh, int i, int nice_val, int idle,
		const char *cgroup, int tag)
{
	unsigned long long cpu0;
	char path[512], pid[16];

	snprintf(pid, sizeof(pid), "%d", getpid());
	if (cgroup) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
		if (write_str(path, pid)) {
			perror(path);
			_exit(1);
		}
	}
	if (idle) {
		struct sched_param p = {};

		if (sched_setscheduler(0, SCHED_IDLE, &p)) {
			perror("SCHED_IDLE");
			_exit(1);
		}
	}
	if (nice_val && setpriority(PRIO_PROCESS, 0, nice_val)) {
		perror("nice");
		_exit(1);
	}
	if (tag && set_tag(getpid(), "-1")) {
		perror("tag");
		_exit(1);
	}
	cpu0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED))
		;
	sh->cpu_ns[i] = now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	_exit(0);
}

static int cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f, "USAGE: %s [-c CPU] [-n HOGS] [-d MS] [-i INTERVAL_US]\n"
		"          [-N NICE | -I | -g CGROUP] [-t] [-l LABEL] [-o FILE]\n"
		"  -c CPU          the CPU of the run (default: the last)\n"
		"  -n HOGS         offline CPU hogs (default 2, up to %d)\n"
		"  -d MS           how long the online task runs (default 2000)\n"
		"  -i INTERVAL_US  its wakeup period (default 1000)\n"
		"  -N NICE         the hogs' nice value\n"
		"  -I              the hogs run SCHED_IDLE\n"
		"  -g CGROUP       the hogs run in this cgroup v2 directory\n"
		"  -t              tag the online task 1 and the hogs -1\n"
		"  -l LABEL        the CSV line's label (default: run)\n"
		"  -o FILE         write every latency (us) to FILE\n", prog, MAX_HOGS);
}

int main(int argc, char **argv)
{
	long n, i, interval = 1000, duration = 2000, *lat;
	int cpu = sysconf(_SC_NPROCESSORS_ONLN) - 1, hogs = 2;
	int nice_val = 0, idle = 0, tag = 0, opt, status, err = 0;
	const char *cgroup = NULL, *label = "run", *out = NULL;
	unsigned long long start, elapsed, offline = 0;
	pid_t pids[MAX_HOGS];
	struct timespec t, now;
	struct shared *sh;
	cpu_set_t set;

	while ((opt = getopt(argc, argv, "c:n:d:i:N:Ig:tl:o:h")) != -1) {
		switch (opt) {
		case 'c':
			cpu = arg(optarg, 0, CPU_SETSIZE - 1);
			break;
		case 'n':
			hogs = arg(optarg, 0, MAX_HOGS);
			break;
		case 'd':
			duration = arg(optarg, 10, 3600000);
			break;
		case 'i':
			interval = arg(optarg, 10, 10000000);
			break;
		case 'N':
			nice_val = arg(optarg, -20, 19);
			break;
		case 'I':
			idle = 1;
			break;
		case 'g':
			cgroup = optarg;
			break;
		case 't':
			tag = 1;
			break;
		case 'l':
			label = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (optind != argc || (!!nice_val + idle + !!cgroup) > 1) {
		usage(stderr, argv[0]);
		return 2;
	}

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		return 1;
	}
	n = duration * 1000 / interval;
	lat = calloc(n, sizeof(*lat));
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!lat || sh == MAP_FAILED)
		return 1;
	for (i = 0; i < hogs; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			hogs = i;
			__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
			err = 1;
			break;
		}
		if (!pids[i])
			hog(sh, i, nice_val, idle, cgroup, tag);
	}
	/* After the forks: the hogs would inherit it. */
	if (tag && set_tag(getpid(), "1")) {
		perror("tagging the online task");
		err = 1;
	}
	usleep(100000);		/* the hogs settle */

	start = now_ns(CLOCK_MONOTONIC);
	clock_gettime(CLOCK_MONOTONIC, &t);
	for (i = 0; i < n && !err; i++) {
		t.tv_nsec += interval * 1000;
		while (t.tv_nsec >= 1000000000) {
			t.tv_nsec -= 1000000000;
			t.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		lat[i] = ((now.tv_sec - t.tv_sec) * 1000000000L +
			  now.tv_nsec - t.tv_nsec) / 1000;
	}
	elapsed = now_ns(CLOCK_MONOTONIC) - start;
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < hogs; i++) {
		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			err = 1;
		offline += sh->cpu_ns[i];
	}
	if (err) {
		fprintf(stderr, "sched_colocation: a hog failed\n");
		return 1;
	}

	if (out) {
		FILE *f = fopen(out, "w");

		if (!f) {
			perror(out);
			return 1;
		}
		for (i = 0; i < n; i++)
			fprintf(f, "%ld\n", lat[i]);
		fclose(f);
	}
	qsort(lat, n, sizeof(*lat), cmp);
	/* The hogs also ran the 100 ms before the measurement: count it in. */
	printf("%s,%ld,%ld,%ld,%.1f\n", label, lat[n / 2], lat[n * 99 / 100],
	       lat[n - 1], elapsed ? 100.0 * offline / (elapsed + 100000000ULL) : 0.0);
	return 0;
}
