"""The longer schemathesis run over the whole API (``make fuzz``): many more generated requests an
operation than the suite's bounded test, as a supervisor with data in their mission, in-process.

    .venv/bin/python bench/fuzz_api.py [--examples 50] [--only "POST /api/v1/grants"] [--postgres-url URL]

Runs tests/hardening/test_schemathesis.py with HOMEWARD_FUZZ_EXAMPLES and prints its summary:
operations, requests, the statuses answered and every operation that failed (a server error, an
undeclared status, a body that breaks its schema). Exits non-zero when one failed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=50, help="generated requests an operation, at most")
    parser.add_argument("--only", default="", help='only operations whose "METHOD /path" contains this')
    parser.add_argument("--postgres-url", default="", help="run on this PostgreSQL (DATABASE_URL) instead of SQLite")
    args = parser.parse_args()

    env = dict(os.environ, HOMEWARD_FUZZ_EXAMPLES=str(args.examples))
    if args.only:
        env["HOMEWARD_FUZZ_ONLY"] = args.only
    if args.postgres_url:
        env["DATABASE_URL"] = args.postgres_url
    command = [
        sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
        "tests/hardening/test_schemathesis.py", "-o", "log_level=ERROR",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    lines = result.stdout.splitlines()
    if "schemathesis:" in lines:
        start = lines.index("schemathesis:")
        end = next((i for i in range(start + 1, len(lines)) if lines[i] and not lines[i][0].isalnum() and
                    not lines[i].startswith("  ")), len(lines))  # fmt: skip
        print("\n".join(lines[start:end]))
    else:
        print(result.stdout[-4000:], result.stderr[-4000:], sep="\n")
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main())
