"""Where the catalog and templates live: in the installed package, or beside it in a checkout."""

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
# A wheel carries stacks.yaml and templates/ inside the package; a source checkout (and an
# editable install) keeps them one level up, at the top of the repository.
_ROOT = _PACKAGE_DIR if (_PACKAGE_DIR / "stacks.yaml").is_file() else _PACKAGE_DIR.parent

CATALOG_PATH = _ROOT / "stacks.yaml"
TEMPLATES_DIR = _ROOT / "templates"
