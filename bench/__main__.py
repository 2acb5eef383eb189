"""Runs every benchmark in ``bench/``: ``make bench`` or ``.venv/bin/python -m bench``."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        if hasattr(module, "main"):
            print(f"== bench.{name}", flush=True)
            module.main()
            print(flush=True)


if __name__ == "__main__":
    sys.exit(main())
