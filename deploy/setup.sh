#!/usr/bin/env bash
# Creates .venv with exactly what uv.lock pins: contracts, kit, every service package of the
# registry (kit/isets_kit/services.toml) and the dev tools. Quick when nothing changed.
# `deploy/setup.sh --list` prints the packages it installs and installs nothing;
# `deploy/setup.sh --lock` first updates uv.lock (after changing a dependency or adding a package).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

packages=(contracts kit)
while IFS= read -r package; do packages+=("$package"); done < <(python3 kit/isets_kit/registry.py packages)
if [[ "${1:-}" == "--list" ]]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

# uv itself, pinned, in a small virtualenv of the machine's python3.
uv_version=0.13.9
uv_home="$HOME/.cache/isets/uv-$uv_version"
if [[ ! -x "$uv_home/bin/uv" ]]; then
  rm -rf "$uv_home"
  python3 -m venv "$uv_home"
  "$uv_home/bin/pip" install -q "uv==$uv_version"
fi

export UV_PYTHON_DOWNLOADS=never UV_SYSTEM_CERTS=1 UV_PROJECT_ENVIRONMENT="$root/.venv"
if [[ "${1:-}" == "--lock" ]]; then
  "$uv_home/bin/uv" lock --python "$(command -v python3)"
fi
"$uv_home/bin/uv" sync --quiet --frozen --all-packages --python "$(command -v python3)"

# A registry service whose package is missing from uv.lock would be left out silently.
missing=()
for package in "${packages[@]}"; do
  name="$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["name"])' \
    "$package/pyproject.toml" 2>/dev/null)" && grep -qx "name = \"$name\"" uv.lock || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup.sh: not in uv.lock: ${missing[*]} (put the package under services/, then run deploy/setup.sh --lock)" >&2
  exit 1
fi
echo "python environment ready: $root/.venv"
