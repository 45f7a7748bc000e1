// SPDX-License-Identifier: GPL-2.0
/*
 * sched_latprobe: wakeup latency of a periodic task.
 *
 *   sched_latprobe [-c CPU] [-n WAKEUPS] [-i INTERVAL_US]
 *
 * Sleeps until absolute deadlines INTERVAL_US apart, on CPU if given, and
 * prints how late it woke up: p50, p99 and max, in microseconds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long arg(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max) {
		fprintf(stderr, "sched_latprobe: bad value '%s' (%ld..%ld)\n", s, min, max);
		exit(2);
	}
	return v;
}

static int cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long n = 2000, interval = 1000, *lat;
	int cpu = -1, opt, i;
	struct timespec t, now;

	while ((opt = getopt(argc, argv, "c:n:i:")) != -1) {
		switch (opt) {
		case 'c':
			cpu = arg(optarg, 0, CPU_SETSIZE - 1);
			break;
		case 'n':
			n = arg(optarg, 10, 10000000);
			break;
		case 'i':
			interval = arg(optarg, 10, 10000000);
			break;
		default:
			fprintf(stderr, "USAGE: %s [-c CPU] [-n WAKEUPS] [-i INTERVAL_US]\n",
				argv[0]);
			return 2;
		}
	}
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			perror("sched_setaffinity");
			return 1;
		}
	}
	lat = calloc(n, sizeof(*lat));
	if (!lat)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t);
	for (i = 0; i < n; i++) {
		t.tv_nsec += interval * 1000;
		while (t.tv_nsec >= 1000000000) {
			t.tv_nsec -= 1000000000;
			t.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		lat[i] = ((now.tv_sec - t.tv_sec) * 1000000000L + now.tv_nsec - t.tv_nsec) / 1000;
	}
	qsort(lat, n, sizeof(*lat), cmp);
	printf("wakeup latency (us), %ld wakeups: p50 %ld p99 %ld max %ld\n",
	       n, lat[n / 2], lat[n * 99 / 100], lat[n - 1]);
	free(lat);
	return 0;
}
