"""PEP 517 / PEP 660 build backend of a pyspec project.

The pyspec distribution installs it as the module pyspec_build, with the
pyspec command; a project asks build isolation for both:

    [build-system]
    requires = ["pyspec>=0.1.0"]
    build-backend = "pyspec_build"

or, vendored (pyspec init --vendor), names this copy with an in-tree
backend-path, so building needs nothing from a package index:

    [build-system]
    requires = []
    build-backend = "pyspec_build"
    backend-path = [".pyspec/backend"]

Every hook runs the pyspec command (found in $PYSPEC, else on PATH, which
has the build environment's scripts first) on the project's spec
([tool.pyspec] spec, default module.yaml), for the interpreter that runs
the build. Written by pyspec; safe to commit.
"""
import os
import shutil
import subprocess
import sys

try:
    import tomllib
except ImportError:  # Python < 3.11: the spec path is the default
    tomllib = None

_TOOL_URL = "https://github.com/pyspec/pyspec"


def _pyspec():
    exe = os.environ.get("PYSPEC") or shutil.which("pyspec")
    if not exe:
        raise RuntimeError(
            "building this project needs the pyspec command, which is neither in $PYSPEC nor on PATH "
            f"({os.environ.get('PATH', '')}): pip install pyspec into the Python that builds "
            "(or list \"pyspec\" in [build-system] requires and let pip's build isolation install it); "
            "or go install github.com/pyspec/pyspec/cmd/pyspec@latest, which puts it in "
            "$(go env GOPATH)/bin, not on PATH until you add that directory; "
            f"or set PYSPEC to its path (see {_TOOL_URL})"
        )
    return os.path.abspath(exe) if os.path.sep in exe else exe


def _spec():
    path = "module.yaml"
    if tomllib is not None and os.path.exists("pyproject.toml"):
        with open("pyproject.toml", "rb") as f:
            path = tomllib.load(f).get("tool", {}).get("pyspec", {}).get("spec", path)
    if not os.path.exists(path):
        raise RuntimeError(f"pyspec backend: the spec {path} is missing (set [tool.pyspec] spec in pyproject.toml)")
    return os.path.abspath(path)


def _run(*args):
    """Runs pyspec and returns the last line of its output: a path."""
    r = subprocess.run([_pyspec(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        raise RuntimeError(f"pyspec {args[0]} failed (exit {r.returncode}):\n{r.stderr.strip()}")
    if r.stderr:
        sys.stderr.write(r.stderr)
    return r.stdout.strip().splitlines()[-1]


def _settings(config_settings):
    """--config-settings the backend passes on: version=V, abi3=true."""
    args = []
    cs = config_settings or {}
    if cs.get("version"):
        args += ["--version", str(cs["version"])]
    if str(cs.get("abi3", "")).lower() in ("1", "true", "yes"):
        args.append("--abi3")
    return args


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    return os.path.basename(_run("metadata", _spec(), "-o", metadata_directory, *_settings(config_settings)))


def prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
    return prepare_metadata_for_build_wheel(metadata_directory, config_settings)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    out = _run("wheel", _spec(), "-o", wheel_directory, "--python", sys.executable, *_settings(config_settings))
    return os.path.basename(out)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    out = _run("wheel", _spec(), "-o", wheel_directory, "--python", sys.executable, "--editable", *_settings(config_settings))
    return os.path.basename(out)


def build_sdist(sdist_directory, config_settings=None):
    return os.path.basename(_run("sdist", _spec(), "-o", sdist_directory, *_settings(config_settings)))
