# SPDX-License-Identifier: GPL-2.0
#
# sched-bpf: build, boot and test a Linux 6.12 kernel patched with this series.
# See README.md. Every target installs the Debian packages it needs.

# The tested base: Debian's linux-source-6.12 package, pinned. Change it here only.
BASE_VERSION := 6.12.117-1~deb12u1
# Use another Linux 6.12 tree instead of the Debian package (never modified).
KERNEL_SRC ?=

TOP    := $(CURDIR)
BUILD  := $(TOP)/build
SRC    := $(BUILD)/linux
OBJ    := $(BUILD)/obj
JOBS   ?= $(shell nproc)
T      ?=
CMD    ?=
# make configs: the variants (default all), whether to boot no-debug-fs,
# whether to build (0: configure and check only).
CONFIGS       ?=
CONFIGS_BOOT  ?= 1
CONFIGS_BUILD ?= 1

# DEBUG=1: the test kernel with KASAN, UBSAN, lockdep and the other checks
# of harness/debug.config, in its own build folders (build/obj-debug,
# build/selftests-ci-debug), so switching rebuilds neither.
DEBUG  ?= 0
ST_OUT := $(BUILD)/selftests-ci
KVARIANT :=
ifeq ($(DEBUG),1)
OBJ      := $(BUILD)/obj-debug
ST_OUT   := $(BUILD)/selftests-ci-debug
KVARIANT := $(TOP)/harness/debug.config
endif

export BASE_VERSION KERNEL_SRC TOP BUILD SRC OBJ JOBS T CONFIGS CONFIGS_BOOT CONFIGS_BUILD ST_OUT DEBUG
# CMD reaches the guest as written: make would expand its $ signs.
unexport CMD

H := $(TOP)/harness

.PHONY: all help deps assemble config kernel selftests selftests-ci samples samples-kbuild \
	series series-test checkpatch export run check stress scx shell vm-run configs clean

all: help

help:
	@echo "sched-bpf on Linux $(BASE_VERSION)$(if $(KERNEL_SRC), (KERNEL_SRC=$(KERNEL_SRC)))"
	@echo "  make run        build, boot the patched kernel in QEMU, show a policy's effect"
	@echo "  make check      build and run every test in the VM [T=<test_progs filter>]"
	@echo "                  [DEBUG=1: on a KASAN/UBSAN/lockdep kernel, in build/obj-debug]"
	@echo "  make stress     only the stress tests (sched_stress) [SOAK=1: ten times as long]"
	@echo "  make scx        build scx_simple and the sched_ext selftests (tools/sched_ext)"
	@echo "  make shell      boot the VM with an interactive shell"
	@echo "  make vm-run CMD='...'  run one command line in the VM"
	@echo "  make series     write a git format-patch series into build/series"
	@echo "  make checkpatch checkpatch --strict on patches/ and the series mails"
	@echo "  make export     write patches/ back from build/linux after editing it with git"
	@echo "  make configs    build the test kernel with options turned off [CONFIGS='no-debug-fs no-smp ...']"
	@echo "  make kernel | selftests | samples | assemble | clean"

deps:
	@$(H)/deps.sh

assemble: deps
	@$(H)/assemble.sh

config: assemble
	@$(H)/kconfig.sh $(KVARIANT)

kernel: config
	@$(H)/kbuild.sh

# The full upstream test_progs of the patched tree, as users build it.
selftests: kernel
	@$(H)/selftests.sh full

# test_progs built with the upstream framework but only the tests make check runs.
selftests-ci: kernel
	@$(H)/selftests.sh ci

# The policy samples of samples/bpf, with libbpf skeletons.
samples: selftests-ci
	@$(H)/samples.sh

# The same, the kernel's way: make M=samples/bpf on the assembled tree.
samples-kbuild: kernel
	@$(H)/samples.sh kbuild

series: assemble
	@$(H)/series.sh

series-test: series
	@$(H)/series.sh test

# checkpatch --strict on patches/ and on the mails of make series.
checkpatch: series
	@$(H)/checkpatch.sh

# Write patches/ and the new files back from build/linux's series branch,
# after editing it with git (see harness/export.sh).
export:
	@$(H)/export.sh

# scx_simple and the sched_ext selftests, for sched_stress/scx and make check.
scx: kernel
	@$(H)/scx.sh

run: samples
	@$(H)/vm.sh run

check: samples scx
	@$(H)/check.sh

# The stress tests alone, with their figures; make check runs them too,
# at their CI length.
stress: samples scx
	@T=sched_stress VERBOSE=1 $(H)/check.sh; s=$$?; \
	grep -hE '^(chaos|storm|hotplug|churn|scx):' $(BUILD)/check/output; exit $$s

shell: kernel
	@$(H)/vm.sh shell

vm-run: samples
	@$(H)/vm.sh cmd '$(subst ','\'',$(value CMD))'

# The test kernel in config variants, each built in build/obj-<variant>
# (see harness/configs.sh). Booting no-debug-fs needs the CI test_progs.
configs: $(if $(filter 0,$(CONFIGS_BOOT) $(CONFIGS_BUILD)),assemble,selftests-ci)
	@$(H)/configs.sh

clean:
	rm -rf $(BUILD)
