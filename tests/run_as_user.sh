#!/bin/sh
# Run tests as a normal user. Root ignores file modes, so the tests of read-only libraries
# skip as root (CI); this runs them for real. Run as root from the repository:
#
#   tests/run_as_user.sh [PYTHON] [pytest arguments...]
#
# PYTHON (default: python3 on the PATH) needs pytest and paperdeck's dependencies, and must
# be readable and executable by the user ($PAPERDECK_TEST_USER, default pdtester; created if
# missing). The user gets a copy of the committed tree (git archive HEAD) in a temporary
# folder of their home, removed afterwards. Default arguments: the permission and output-target tests.
set -eu
python=${1:-python3}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- tests/reliability/test_permissions.py tests/reliability/test_output_targets.py -rs
user=${PAPERDECK_TEST_USER:-pdtester}
python=$(command -v "$python")
id "$user" >/dev/null 2>&1 || useradd -m "$user"
# In the user's home, not in /tmp: the suite refuses reads beside the clone
# (tests/repository_guard.py), and the snapshot plugin writes into /tmp.
copy=$(su "$user" -c 'mktemp -d "$HOME/paperdeck-tests-XXXXXX"')
trap 'rm -rf "$copy"' EXIT
git archive HEAD | tar -x -C "$copy"
chown -R "$user" "$copy"
if ! su "$user" -c "'$python' -c 'import pytest'" >/dev/null 2>&1; then
    echo "run_as_user.sh: $user cannot run $python with pytest (is every folder above it" \
        "executable by $user?)" >&2
    exit 2
fi
quoted=""
for arg in "$@"; do
    quoted="$quoted '$(printf %s "$arg" | sed "s/'/'\\\\''/g")'"
done
su "$user" -c "cd '$copy' && PYTHONPATH='$copy/src' '$python' -m pytest -p no:cacheprovider $quoted"
