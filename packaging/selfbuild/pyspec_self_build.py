"""PEP 517 backend that builds pyspec itself (the root pyproject.toml names
it with backend-path, so pip needs nothing from an index).

The wheel holds the pyspec command, built with `go build` from this tree,
as a script (pyspec-<version>.data/scripts/pyspec), and the backend of
pyspec projects (packaging/backend/pyspec_build.py) as the module
pyspec_build, which a project's [build-system] names with
requires = ["pyspec>=<version>"].

The sdist holds what `go build ./cmd/pyspec` needs: go.mod, go.sum and the
Go packages (no tests, examples or benchmarks); Go's own modules come from
the module cache or GOPROXY when the wheel is built.
"""
import base64
import gzip
import hashlib
import io
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
import zipfile

_NAME = "pyspec"
# The Go packages of the command, and the files beside them it embeds.
_SOURCE_DIRS = ("build", "cmd", "codegen", "packaging", "py", "schema", "spec", "target", "version")
_SOURCE_FILES = ("go.mod", "go.sum", "sources.go", "pyproject.toml", "README.md")
# 2020-01-01, or $SOURCE_DATE_EPOCH: the same tree gives the same bytes.
_EPOCH = max(int(os.environ.get("SOURCE_DATE_EPOCH", "1577836800")), 315532800)


def _version():
    with open("pyproject.toml", encoding="utf-8") as f:
        m = re.search(r'(?m)^version\s*=\s*"([^"]+)"', f.read())
    if not m:
        raise RuntimeError("pyproject.toml: [project] has no version")
    return m.group(1)


def _metadata(version):
    with open("README.md", encoding="utf-8") as f:
        readme = f.read()
    return (
        "Metadata-Version: 2.1\n"
        f"Name: {_NAME}\n"
        f"Version: {version}\n"
        "Summary: A YAML-spec compiler for CPython extension modules whose logic is in Go\n"
        "Project-URL: Source, https://github.com/pyspec/pyspec\n"
        "Requires-Python: >=3.9\n"
        "Description-Content-Type: text/markdown\n"
        "\n" + readme
    )


def _goarch():
    """GOARCH of the machine (or $GOARCH), and the wheel's platform tag."""
    goarch = os.environ.get("GOARCH") or subprocess.run(
        ["go", "env", "GOARCH"], stdout=subprocess.PIPE, text=True, check=True
    ).stdout.strip()
    goos = os.environ.get("GOOS") or sys.platform
    if goos.startswith("linux"):
        arch = {"amd64": "x86_64", "arm64": "aarch64"}.get(goarch)
        if arch:
            # CGO_ENABLED=0: a static executable, needing no glibc at all.
            return goarch, f"manylinux_2_17_{arch}.manylinux2014_{arch}.musllinux_1_1_{arch}"
    return goarch, sysconfig.get_platform().replace("-", "_").replace(".", "_")


def _build_command(goarch, out):
    env = dict(os.environ, CGO_ENABLED="0", GOARCH=goarch, GOFLAGS="-mod=readonly")
    env.pop("GOWORK", None)
    r = subprocess.run(
        ["go", "build", "-trimpath", "-ldflags=-s -w -buildid=", "-o", out, "./cmd/pyspec"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    if r.returncode != 0:
        raise RuntimeError(f"go build ./cmd/pyspec failed (building pyspec's wheel needs Go on PATH):\n{r.stdout}")


def _zip_add(zf, name, data, executable=False):
    info = zipfile.ZipInfo(name, date_time=time.gmtime(_EPOCH)[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = ((0o755 if executable else 0o644) | 0o100000) << 16
    zf.writestr(info, data)


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}\n"


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    version = _version()
    di = f"{_NAME}-{version}.dist-info"
    os.makedirs(os.path.join(metadata_directory, di), exist_ok=True)
    with open(os.path.join(metadata_directory, di, "METADATA"), "w", encoding="utf-8") as f:
        f.write(_metadata(version))
    return di


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    version = _version()
    goarch, plat = _goarch()
    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, "pyspec")
        _build_command(goarch, exe)
        with open(exe, "rb") as f:
            binary = f.read()
    with open(os.path.join("packaging", "backend", "pyspec_build.py"), "rb") as f:
        backend = f.read()
    tag = f"py3-none-{plat}"
    di = f"{_NAME}-{version}.dist-info"
    files = [
        ("pyspec_build.py", backend, False),
        (f"{_NAME}-{version}.data/scripts/pyspec", binary, True),
        (f"{di}/METADATA", _metadata(version).encode(), False),
        (
            f"{di}/WHEEL",
            (
                "Wheel-Version: 1.0\nGenerator: pyspec_self_build\nRoot-Is-Purelib: false\n"
                + "".join(f"Tag: py3-none-{p}\n" for p in plat.split("."))
            ).encode(),
            False,
        ),
    ]
    name = f"{_NAME}-{version}-{tag}.whl"
    path = os.path.join(wheel_directory, name)
    tmp_path = path + ".tmp"
    with zipfile.ZipFile(tmp_path, "w") as zf:
        record = ""
        for n, data, x in files:
            _zip_add(zf, n, data, x)
            record += _record_line(n, data)
        record += f"{di}/RECORD,,\n"
        _zip_add(zf, f"{di}/RECORD", record.encode())
    os.replace(tmp_path, path)
    return name


def _sdist_files():
    names = [f for f in _SOURCE_FILES if os.path.isfile(f)]
    for top in _SOURCE_DIRS:
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if d not in ("testdata", "__pycache__") and not d.startswith("."))
            for fn in sorted(filenames):
                if fn.endswith("_test.go") or fn.endswith(".pyc"):
                    continue
                names.append(os.path.join(dirpath, fn))
    return sorted(names)


def build_sdist(sdist_directory, config_settings=None):
    version = _version()
    base = f"{_NAME}-{version}"
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        entries = [(f"{base}/PKG-INFO", _metadata(version).encode())]
        for n in _sdist_files():
            with open(n, "rb") as f:
                entries.append((f"{base}/{n.replace(os.sep, '/')}", f.read()))
        for n, data in sorted(entries):
            info = tarfile.TarInfo(n)
            info.size, info.mtime, info.mode = len(data), _EPOCH, 0o644
            tf.addfile(info, io.BytesIO(data))
    name = f"{base}.tar.gz"
    path = os.path.join(sdist_directory, name)
    with open(path + ".tmp", "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=_EPOCH, filename="") as gz:
            gz.write(buf.getvalue())
    os.replace(path + ".tmp", path)
    return name
