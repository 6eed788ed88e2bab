#!/usr/bin/env python3
"""Entry point: ``python build.py [build|serve] --help``."""
import signal
import sys
from pathlib import Path

from newsarchive.cli import main


def _stop(signum, frame):
    raise KeyboardInterrupt   # a termination (CI cancelling, kill) tidies up as Ctrl-C does


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop)
    sys.exit(main(root=Path(__file__).resolve().parent))
