// SPDX-License-Identifier: GPL-2.0
/*
 * sched_pick_task: online entities are picked before offline ones.
 *
 *   sched_pick_task
 *
 * Attaches sched_pick_task.bpf.c until SIGINT or SIGTERM, then prints how
 * often it held offline work back and kept online work running. Tag work
 * through /proc/<pid>/tag or a cgroup's cpu.tag: > 0 online, < 0 offline.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "sched_loader.h"
#include "sched_pick_task.skel.h"

static void usage(FILE *f, const char *prog)
{
	fprintf(f, "USAGE: %s [-h]\n"
		"Picks online entities (tag > 0) before offline ones (tag < 0) on every\n"
		"cfs_rq while online work is runnable. Tags: /proc/<pid>/tag, cpu.tag.\n",
		prog);
}

int main(int argc, char **argv)
{
	struct sched_pick_task *skel;
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

	skel = sched_pick_task__open_and_load();
	if (!skel) {
		fprintf(stderr, "loading failed: %s\n", strerror(errno));
		return 1;
	}
	err = sched_pick_task__attach(skel);
	if (err) {
		fprintf(stderr, "attaching failed: %s\n", strerror(-err));
		goto out;
	}
	sched_loader_run("sched_pick_task: attached eligibility, pick, enqueue, dequeue");
	printf("sched_pick_task: offline held back %llu times, online kept %llu times\n",
	       (unsigned long long)skel->bss->nr_held_back,
	       (unsigned long long)skel->bss->nr_kept);
out:
	sched_pick_task__destroy(skel);
	return err ? 1 : 0;
}
