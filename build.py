"""Build the example site: `python build.py` (extra arguments go to `sitegen build`)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitegen.cli import main  # noqa: E402

if __name__ == "__main__":
    arguments = sys.argv[1:]
    if not arguments or arguments[0].startswith("-"):
        arguments = ["build", "--config", str(Path(__file__).resolve().parent / "config.yaml"), *arguments]
    raise SystemExit(main(arguments))
