# Sourced by the scripts: make .venv and install the project into it when needed.
# Usage: ensure_venv [EXTRAS]   e.g. ensure_venv test
ensure_venv() {
  local extras="${1:-}"
  local spec="."
  [ -n "$extras" ] && spec=".[${extras}]"
  if [ ! -x .venv/bin/python ]; then
    local python="${PYTHON:-python3}"
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      echo "Technicians' Archive needs Python 3.11 or newer; $python is $("$python" --version 2>&1)." >&2
      exit 1
    fi
    echo "Creating .venv with $("$python" --version)…"
    "$python" -m venv .venv
  fi
  # Reinstall only when the declared dependencies change.
  local stamp=".venv/.installed-$(cat setup.cfg pyproject.toml | sha256sum | cut -c1-16)-${extras:-base}"
  if [ ! -f "$stamp" ]; then
    echo "Installing the project and its dependencies ($spec)…"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e "$spec"
    touch "$stamp"
  fi
}

# Install the Debian packages given, if any: ensure_debian_packages PACKAGE…
# PostgreSQL comes without the system-wide server Debian would start: the tests and
# benchmarks run their own on a temporary folder and port (tests/postgres.py).
ensure_debian_packages() {
  [ "$#" -gt 0 ] || return 0
  echo "Installing Debian's $*…"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [[ " $* " == *" postgresql "* ]]; then
    $sudo mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" |
      $sudo tee /etc/postgresql-common/createcluster.d/no-main-cluster.conf >/dev/null
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}
