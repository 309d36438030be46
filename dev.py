#!/usr/bin/env python3
"""The project's two commands, needing nothing but Python 3.11+.

    python3 dev.py start   install, migrate, load the area data and demo users, serve the portal
    python3 dev.py test    install, then run the whole test suite on every core (arguments go to pytest)

Both create .venv/ and install the pinned, hash-checked dependencies into it when the lock file
has changed since the last install.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args: str | Path, **kwargs) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, **kwargs)
    if result.returncode:
        sys.exit(result.returncode)


def install(lock: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under whatever python3 is
        sys.exit(f"Yhdyspinta needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / lock).read_bytes()).hexdigest()[:16]
    marker = VENV / f".installed-{lock}-{digest}"
    if marker.exists():
        return
    print(f"Installing the dependencies pinned in {lock} …", flush=True)
    run(
        PYTHON,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--require-hashes",
        "-r",
        lock,
    )
    for old in VENV.glob(f".installed-{lock}-*"):
        old.unlink()
    marker.touch()


def start(args: list[str]) -> None:
    install("requirements.lock")
    address = args[0] if args else os.environ.get("ADDRESS", "127.0.0.1:8000")
    run(PYTHON, "manage.py", "migrate", "--verbosity", "0")
    run(PYTHON, "manage.py", "demo")
    print(f"\nYhdyspinta is at http://{address}/  (stop with Ctrl+C)\n", flush=True)
    os.execv(PYTHON, [str(PYTHON), str(ROOT / "manage.py"), "runserver", address])


def parallel(args: list[str]) -> list[str]:
    """pytest-xdist options: one worker per core, unless the arguments choose (`-n 0` runs serially)."""
    chosen = any(a.startswith(("-n", "--numprocesses", "--dist")) or a == "no:xdist" for a in args)
    return [] if chosen else ["--numprocesses", "auto", "--dist", "loadgroup"]


def test(args: list[str]) -> None:
    install("requirements-dev.lock")
    os.chdir(ROOT)
    os.execv(PYTHON, [str(PYTHON), "-m", "pytest", *parallel(args), *args])


COMMANDS = {"start": start, "test": test}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
