"""Where the catalog and templates live: in the installed package, or beside it in a checkout."""

import os
import shutil
import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
# A wheel carries stacks.yaml and templates/ inside the package; a source checkout (and an
# editable install) keeps them one level up, at the top of the repository.
_ROOT = _PACKAGE_DIR if (_PACKAGE_DIR / "stacks.yaml").is_file() else _PACKAGE_DIR.parent

CATALOG_PATH = _ROOT / "stacks.yaml"
TEMPLATES_DIR = _ROOT / "templates"


def tool(name: str) -> str | None:
    """A command installed beside this interpreter (a test extra), else one from PATH."""
    return shutil.which(
        name, path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    )


def user_cache(name: str) -> Path | None:
    """~/.cache/backendgen/<name> (XDG_CACHE_HOME honoured), or None where it cannot be written.

    Only for results that are pure functions of their inputs, so losing it costs time only.
    """
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "backendgen" / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None
