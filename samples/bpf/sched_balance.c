// SPDX-License-Identifier: GPL-2.0
/*
 * sched_balance: a tag-aware load balancer.
 *
 *   sched_balance
 *
 * Attaches sched_balance.bpf.c until SIGINT or SIGTERM, then prints how
 * often it decided. Tag work through /proc/<pid>/tag or a cgroup's
 * cpu.tag: > 0 online, < 0 offline. Best with sched_pick_task.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "sched_loader.h"
#include "sched_balance.skel.h"

static void usage(FILE *f, const char *prog)
{
	fprintf(f, "USAGE: %s [-h]\n"
		"Balances by online work (tag > 0): counts only it when looking for the\n"
		"busiest group and queue, and never pulls an online task next to another.\n",
		prog);
}

int main(int argc, char **argv)
{
	struct sched_balance *skel;
	int opt, err;

	while ((opt = getopt(argc, argv, "h")) != -1) {
		if (opt == 'h') {
			usage(stdout, argv[0]);
			return 0;
		}
		usage(stderr, argv[0]);
		return 2;
	}
	if (optind != argc) {
		usage(stderr, argv[0]);
		return 2;
	}

	skel = sched_balance__open();
	if (!skel) {
		fprintf(stderr, "opening failed: %s\n", strerror(errno));
		return 1;
	}
	skel->data->nr_cpus = libbpf_num_possible_cpus();
	err = sched_balance__load(skel);
	if (err) {
		fprintf(stderr, "loading failed: %s\n", strerror(-err));
		goto out;
	}
	err = sched_balance__attach(skel);
	if (err) {
		fprintf(stderr, "attaching failed: %s\n", strerror(-err));
		goto out;
	}
	sched_loader_run("sched_balance: attached pick-busiest, busiest-queue, can-migrate");
	printf("sched_balance: %llu busiest groups and %llu queues by online work\n",
	       (unsigned long long)skel->bss->nr_busiest_online,
	       (unsigned long long)skel->bss->nr_queue_online);
	printf("sched_balance: online tasks kept apart %llu times, pulled %llu times\n",
	       (unsigned long long)skel->bss->nr_kept_apart,
	       (unsigned long long)skel->bss->nr_pulled_online);
out:
	sched_balance__destroy(skel);
	return err ? 1 : 0;
}
