#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# series.sh: write the series (cover letter + one mail per line of
#   patches/series, new files included) into build/series, for git am.
# series.sh test: apply build/series with git am to a clean clone of the
#   base and check that the result equals the assembled tree.
. "$(dirname "$0")/lib.sh"

dst="$BUILD/series"
if [ "${1:-}" != test ]; then
	rm -rf "$dst"
	git -C "$SRC" format-patch -q --cover-letter --cover-from-description=subject \
		--base=base -o "$dst" base..series
	say "wrote $(ls "$dst" | wc -l) files to $dst (apply with: git am --empty=drop $dst/*.patch)"
	exit 0
fi

scratch="$BUILD/series-test"
rm -rf "$scratch"
git clone -q --shared --no-checkout "$SRC" "$scratch"
git -C "$scratch" checkout -q --detach base
# git am commits: a committer that works without a configured identity.
GIT_COMMITTER_NAME=series-test GIT_COMMITTER_EMAIL=series-test@localhost \
	git -C "$scratch" am -q --empty=drop "$dst"/*.patch
[ "$(git -C "$scratch" rev-parse 'HEAD^{tree}')" = "$(git -C "$SRC" rev-parse 'series^{tree}')" ] ||
	die "the series applied with git am differs from the assembled tree"
say "git am applies the series to the base; the result equals the assembled tree"
rm -rf "$scratch"
