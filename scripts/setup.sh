#!/usr/bin/env bash
# Installs what pyspec's example and tests need on a fresh Debian machine:
# python3-dev (headers), python3-numpy, python3-pytest, python3-mypy and
# python3-hypothesis for the chosen interpreter, cython3 and pybind11-dev for
# bench/run, and .venv with the PyPI packages of scripts/requirements.txt.
# Idempotent: does nothing when all are present.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYSPEC_PYTHON:-/usr/bin/python3}"
need=()
"$PY" -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null || need+=(python3-dev)
"$PY" -c 'import numpy' 2>/dev/null || need+=(python3-numpy)
"$PY" -c 'import pytest' 2>/dev/null || need+=(python3-pytest)
"$PY" -c 'import mypy.stubtest' 2>/dev/null || need+=(python3-mypy)
"$PY" -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
"$PY" -c 'import hypothesis' 2>/dev/null || need+=(python3-hypothesis)
# bench/run's peer contenders: Cython and pybind11.
command -v cython3 >/dev/null || need+=(cython3)
test -f /usr/include/pybind11/pybind11.h || need+=(pybind11-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]} for $PY"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The editor tests' real clients (yaml-language-server, ajv), from the npm
# registry, at the versions package-lock.json pins.
if [ ! -d tests/editor/node_modules/yaml-language-server ] || [ ! -d tests/editor/node_modules/ajv ]; then
  if ! command -v npm >/dev/null; then
    echo "setup: installing nodejs and npm"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
  fi
  echo "setup: npm ci in tests/editor"
  (cd tests/editor && npm ci --no-audit --no-fund --loglevel=error)
fi

# PyPI packages (numpy 2, build, auditwheel, abi3audit, dask, hypothesis and
# the benchmark peers' toolchains) in .venv, a venv of $PY that also sees its
# system site-packages. Reinstalled only when requirements.txt changes.
VENV=.venv
stamp="$VENV/.requirements.sha256"
want="$(sha256sum scripts/requirements.txt | cut -d' ' -f1) $("$PY" -c 'import sys; print(sys.version.split()[0])')"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: creating $VENV (PyPI packages of scripts/requirements.txt)"
  rm -rf "$VENV"
  "$PY" -m venv --system-site-packages "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r scripts/requirements.txt
  echo "$want" > "$stamp"
fi

# Cross builds for aarch64 (pyspec wheel --platform manylinux2014_aarch64)
# and their tests: qemu-user-static runs aarch64 programs here, and Debian's
# arm64 CPython 3.11, unpacked with dpkg -x into a sysroot (never installed),
# gives the build its pyconfig.h and the tests an interpreter to run under
# qemu. Done once: the stamp names the package list.
SYSROOT="${PYSPEC_AARCH64_SYSROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/pyspec/arm64-sysroot}"
ARM64_PKGS=(python3.11-minimal libpython3.11-minimal libpython3.11-stdlib libpython3.11-dev
  libc6 libgcc-s1 zlib1g libexpat1 libffi8 libssl3 libbz2-1.0 liblzma5 libsqlite3-0
  libuuid1 libncursesw6 libtinfo6 libreadline8 libdb5.3 libnsl2 libtirpc3
  libcrypt1 libgssapi-krb5-2 libkrb5-3 libk5crypto3 libkrb5support0 libcom-err2 libkeyutils1)
# Architecture-independent: pytest, for the examples' tests under qemu.
ALL_PKGS=(python3-pytest python3-attr python3-more-itertools python3-pkg-resources python3-pluggy
  python3-py python3-iniconfig python3-packaging python3-exceptiongroup python3-tomli)
if ! command -v qemu-aarch64-static >/dev/null; then
  echo "setup: installing qemu-user-static"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq qemu-user-static >/dev/null
fi
arm_stamp="$SYSROOT/.packages"
if [ "$(cat "$arm_stamp" 2>/dev/null)" != "${ARM64_PKGS[*]} ${ALL_PKGS[*]}" ]; then
  echo "setup: unpacking Debian's arm64 CPython 3.11 into $SYSROOT"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $SUDO dpkg --add-architecture arm64
    $SUDO apt-get update -qq
  fi
  debs="$(mktemp -d)"
  pkgs=()
  for p in "${ARM64_PKGS[@]}"; do pkgs+=("$p:arm64"); done
  pkgs+=("${ALL_PKGS[@]}")
  # A package the index lacks (a Debian point release renamed it) fails the
  # whole download: refresh the index once and retry.
  (cd "$debs" && apt-get download -qq "${pkgs[@]}" 2>/dev/null) ||
    { $SUDO apt-get update -qq && (cd "$debs" && apt-get download -qq "${pkgs[@]}"); }
  rm -rf "$SYSROOT"
  mkdir -p "$SYSROOT"
  for deb in "$debs"/*.deb; do dpkg -x "$deb" "$SYSROOT"; done
  rm -rf "$debs"
  # Debian compiles the bytecode when it installs a package; unpacked,
  # every start under qemu would compile it again (pytest: 6 s, then 2).
  qemu-aarch64-static -L "$SYSROOT" "$SYSROOT/usr/bin/python3.11" -m compileall -q -j 2 \
    -x 'test/|lib2to3/tests|idlelib' "$SYSROOT/usr/lib/python3.11" "$SYSROOT/usr/lib/python3/dist-packages" >/dev/null 2>&1 || true
  echo "${ARM64_PKGS[*]} ${ALL_PKGS[*]}" > "$arm_stamp"
fi

# The other CPythons the examples are tested on: pyenv's 3.12.1 and 3.13.0
# (with their headers), each in a venv (.venv312, .venv313) with the PyPI
# packages of scripts/requirements-pythons.txt. A machine without them
# fails the tests on that version, which say so.
PYENV_ROOT="${PYENV_ROOT:-$( (pyenv root 2>/dev/null) || echo "$HOME/.pyenv")}"
for v in 3.12.1 3.13.0; do
  base="$PYENV_ROOT/versions/$v/bin/python3"
  venv=".venv$(echo "$v" | cut -d. -f1,2 | tr -d .)"
  if [ ! -x "$base" ]; then
    echo "setup: no CPython $v at $base: the tests on $v will fail (install it with pyenv install $v)"
    continue
  fi
  want="$(sha256sum scripts/requirements-pythons.txt | cut -d' ' -f1) $v"
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
    echo "setup: creating $venv (CPython $v, scripts/requirements-pythons.txt)"
    rm -rf "$venv"
    "$base" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r scripts/requirements-pythons.txt
    echo "$want" > "$venv/.requirements.sha256"
  fi
done
