"""Build the example site: `python build.py` (extra arguments go to `sitegen build`).

`python build.py serve [--port N ...]` serves it instead, rebuilding and reloading on every save.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitegen.cli import main  # noqa: E402

if __name__ == "__main__":
    arguments = sys.argv[1:]
    config = str(Path(__file__).resolve().parent / "config.yaml")
    if not arguments or arguments[0].startswith("-"):
        arguments = ["build", "--config", config, *arguments]
    elif arguments[0] == "serve" and "--config" not in arguments:
        arguments = ["serve", "--config", config, *arguments[1:]]
    raise SystemExit(main(arguments))
