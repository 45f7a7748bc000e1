// SPDX-License-Identifier: GPL-2.0
/*
 * sched_preempt: let latency-critical processes preempt on wakeup.
 *
 *   sched_preempt -W -p PID [-p PID ...]
 *
 * Attaches sched_preempt.bpf.c to cfs_check_preempt_wakeup with the given
 * processes favoured, until SIGINT or SIGTERM, then prints how often it
 * decided.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "sched_preempt.skel.h"

#define MAX_PIDS	1024	/* the size of the favoured map */

static sig_atomic_t done;

static void on_signal(int sig)
{
	__atomic_store_n(&done, 1, __ATOMIC_RELAXED);
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f, "USAGE: %s -W -p PID [-p PID ...]\n"
		"  -W      wakeup preemption: favoured processes preempt on wakeup\n"
		"  -p PID  a process to favour (up to 1024)\n"
		"  -h      this help\n", prog);
}

int main(int argc, char **argv)
{
	struct sched_preempt *skel;
	pid_t pids[MAX_PIDS];
	int nr_pids = 0, wakeup = 0, opt, i, err;
	char *end;
	long pid;
	__u8 one = 1;

	while ((opt = getopt(argc, argv, "Wp:h")) != -1) {
		switch (opt) {
		case 'W':
			wakeup = 1;
			break;
		case 'p':
			if (nr_pids == MAX_PIDS) {
				fprintf(stderr, "%s: more than %d -p\n", argv[0], MAX_PIDS);
				return 2;
			}
			errno = 0;
			pid = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || pid <= 0 || pid > INT_MAX) {
				fprintf(stderr, "%s: bad -p: '%s'\n", argv[0], optarg);
				return 2;
			}
			pids[nr_pids++] = pid;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (!wakeup || !nr_pids || optind != argc) {
		usage(stderr, argv[0]);
		return 2;
	}

	skel = sched_preempt__open_and_load();
	if (!skel) {
		fprintf(stderr, "loading failed: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < nr_pids; i++) {
		err = bpf_map__update_elem(skel->maps.favoured, &pids[i], sizeof(pids[i]),
					   &one, sizeof(one), BPF_ANY);
		if (err) {
			fprintf(stderr, "favouring %d failed: %s\n", pids[i], strerror(-err));
			goto out;
		}
	}
	err = sched_preempt__attach(skel);
	if (err) {
		fprintf(stderr, "attaching failed: %s\n", strerror(-err));
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("sched_preempt: favouring %d process(es); Ctrl-C to stop\n", nr_pids);
	fflush(stdout);
	while (!__atomic_load_n(&done, __ATOMIC_RELAXED))
		pause();
	printf("sched_preempt: %llu wakeups preempted for, %llu preemptions refused\n",
	       (unsigned long long)skel->bss->nr_preempt,
	       (unsigned long long)skel->bss->nr_kept);
out:
	sched_preempt__destroy(skel);
	return err ? 1 : 0;
}
