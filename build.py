#!/usr/bin/env python3
"""Entry point: ``python build.py [build|serve] --help``."""
import sys
from pathlib import Path

from newsarchive.cli import main

if __name__ == "__main__":
    sys.exit(main(root=Path(__file__).resolve().parent))
