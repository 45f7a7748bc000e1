/* SPDX-License-Identifier: GPL-2.0 */
/* What the sched_* policy loaders share: running until SIGINT or SIGTERM. */
#ifndef __SCHED_LOADER_H
#define __SCHED_LOADER_H

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static sig_atomic_t sched_loader_done;

static void sched_loader_on_signal(int sig)
{
	__atomic_store_n(&sched_loader_done, 1, __ATOMIC_RELAXED);
}

/* Print @what, then sleep until SIGINT or SIGTERM. */
static inline void sched_loader_run(const char *what)
{
	struct sigaction sa = { .sa_handler = sched_loader_on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("%s; Ctrl-C to stop\n", what);
	fflush(stdout);
	while (!__atomic_load_n(&sched_loader_done, __ATOMIC_RELAXED))
		pause();
}

#endif /* __SCHED_LOADER_H */
