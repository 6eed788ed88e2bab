#!/usr/bin/env python3
"""Entry point: ``.venv/bin/python build.py [build|serve|check|…] --help``."""
import signal
import sys
from pathlib import Path


def _stop(signum, frame):
    raise KeyboardInterrupt   # a termination (CI cancelling, kill) tidies up as Ctrl-C does


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop)
    try:   # Ctrl-C while the engine is still being imported: nothing has started yet
        from newsarchive.cli import main
    except KeyboardInterrupt:
        print("interrupted before the build started; nothing was written", file=sys.stderr)
        sys.exit(130)
    except ModuleNotFoundError as exc:   # run with a Python that lacks the project's packages
        print(f"error: {exc}; run it with the project's Python: make install, then .venv/bin/python build.py",
              file=sys.stderr)
        sys.exit(2)
    sys.exit(main(root=Path(__file__).resolve().parent))
