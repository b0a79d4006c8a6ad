"""A throw-away PostgreSQL cluster for benchmarks, like the one scripts/test.sh starts for the tests."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: [int(x) for x in p.split("/")[4].split(".")]
    )
    if not found:
        raise SystemExit("No PostgreSQL server found (initdb): run `make test` once, or install postgresql.")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Start a cluster on a free loopback port; yields its DATABASE_URL; removes it afterwards."""
    pgbin, root = _bin(), Path(tempfile.mkdtemp(prefix="homeward-bench-pg-"))
    data, port = root / "data", _free_port()
    as_postgres = os.geteuid() == 0
    if as_postgres:
        shutil.chown(root, "postgres")

    def run(tool: str, *args: str) -> None:
        command = [str(pgbin / tool), *args]
        if as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, cwd=root, stdout=subprocess.DEVNULL)  # noqa: S603

    run("initdb", "-D", str(data), "-A", "trust", "--username=homeward", "-E", "UTF8", "--locale=C")
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    run("pg_ctl", "-D", str(data), "-o", options, "-w", "-l", str(root / "log"), "start")
    try:
        subprocess.run(  # noqa: S603
            [str(pgbin / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "homeward", "homeward"], check=True
        )
        yield f"postgres://homeward@127.0.0.1:{port}/homeward"
    finally:
        run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
