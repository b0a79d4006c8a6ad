#!/usr/bin/env python
"""Developer entry point; the same as the installed ``homeward`` command."""

from homeward.cli import main

if __name__ == "__main__":
    main()
