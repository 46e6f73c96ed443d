#!/usr/bin/env bash
# CTest `location.privileged_tests_from_a_private_folder` (label `location`, a few seconds):
# the tests that depend on where the checkout is and on who runs them, run as if the checkout
# were in a private folder (mode 0700: a clone under /root, a CI runner's work folder). The
# binary they run is a copy in such a folder (PLENARY_TEST_BIN) and TMPDIR is private too, so
# a test that hands files or the server to another user (`nobody`, as root) must not rely on
# reaching either. Reuses the built binaries: no second clone, no second build.
# Usage: from_a_private_folder.sh PLENARY_BINARY OPS_TESTS_BINARY
set -euo pipefail
bin=$1
tests=$2
private=$(mktemp -d)  # mode 0700
trap 'rm -rf "$private"' EXIT
chmod 700 "$private"
cp "$bin" "$private/plenary"
mkdir -m 700 "$private/tmp"
# Healthz.*: the server runs as `nobody` when the test is root. ExportCli.AsRoot*: data handed
# to `nobody`, exported by root.
filter='Healthz.*:ExportCli.AsRootOfDataThatBelongsToTheServicesUser'
out=$(PLENARY_TEST_BIN="$private/plenary" TMPDIR="$private/tmp" "$tests" --gtest_filter="$filter" 2>&1) || {
  printf '%s\n' "$out"
  exit 1
}
printf '%s\n' "$out"
# A filter that matched nothing would pass silently: the read-only test must have run.
grep -q '^\[       OK \] Healthz.FailsWhenTheDataDirectoryIsReadOnly' <<<"$out"
