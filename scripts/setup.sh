#!/usr/bin/env bash
# Installs what pyspec's example and tests need on a fresh Debian machine:
# python3-dev (headers), python3-numpy, python3-pytest and python3-mypy for the chosen
# interpreter. Idempotent: does nothing when all are present.
set -euo pipefail
PY="${PYSPEC_PYTHON:-/usr/bin/python3}"
need=()
"$PY" -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null || need+=(python3-dev)
"$PY" -c 'import numpy' 2>/dev/null || need+=(python3-numpy)
"$PY" -c 'import pytest' 2>/dev/null || need+=(python3-pytest)
"$PY" -c 'import mypy.stubtest' 2>/dev/null || need+=(python3-mypy)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]} for $PY"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
