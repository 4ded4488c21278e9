#!/usr/bin/env bash
# Creates .venv and installs every package of the project (editable) with its dependencies.
# Idempotent and quick when nothing changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
packages=(contracts kit services/ies_sync services/intake services/gateway)

if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip
fi
stamp="$venv/.isets-installed"
manifests=("$root/requirements-dev.txt")
for package in "${packages[@]}"; do manifests+=("$root/$package/pyproject.toml"); done
fingerprint="$(cat "${manifests[@]}" | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$fingerprint" ]]; then
  args=()
  for package in "${packages[@]}"; do args+=(-e "$root/$package"); done
  "$venv/bin/pip" install -q -r "$root/requirements-dev.txt" "${args[@]}"
  echo "$fingerprint" > "$stamp"
fi
echo "python environment ready: $venv"
