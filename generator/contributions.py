"""The named extension points through which fragments contribute data, and how they merge.

A fragment never edits another fragment's files; it adds to these points, and the
templates and writers that consume a point read the merged result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.errors import GenerationError

# point -> how values from several fragments combine
# union, in order
LISTS = (
    "dependencies",
    "dev_dependencies",
    "secrets",
    "app_extensions",
    "deploy_app_inputs",
    "kubernetes_resources",
    "shared_fragments",
    "migrations",
    "install_scripts",
    "spring_config_imports",
    "server_loggers",
    "python_runtime_files",
    "python_build_steps",
    "django_storages",
    "django_urls",
)
# concatenated lists of mappings
RECORDS = (
    "env",
    "diagram",
    "readme_sections",
    "kubernetes_patches",
    "ci_steps",
    "maven_dependencies",
)
MAPS = (
    "database_url_schemes",
    "order_stores",
    "database_searches",
    "confirmation_logs",
    "compose_app",
    "compose_app_environment",
    "compose_services",
    "compose_workers",
    "compose_volumes",
    "ci_services",
    "ci_env",
    "commands",
    "make_targets",
    "kubernetes_config",
    "deploy_assignable_roles",
    "typescript_options",
    "deploy_app_size",
    "package_scripts",
    "source",
    "openapi_paths",
    "python_commands",
    "ruff_rules",
    "ruff_ignores",
    "pytest_options",
    "django_middleware",
    "django_settings",
)
POINTS = frozenset(LISTS + RECORDS + MAPS)


def empty() -> dict[str, Any]:
    return {p: [] for p in LISTS + RECORDS} | {p: {} for p in MAPS}


def merge(
    merged: dict[str, Any], owners: dict[str, str], fragment: str, data: Mapping[str, Any]
) -> None:
    """Add one fragment's contributions to `merged`; `owners` remembers who set each key."""
    for point, value in data.items():
        if point not in POINTS:
            raise GenerationError(
                f"Fragment {fragment} contributes to an unknown point {point!r} "
                f"(known: {', '.join(sorted(POINTS))})."
            )
        if point in LISTS:
            _expect(fragment, point, value, list)
            merged[point].extend(v for v in value if v not in merged[point])
        elif point in RECORDS:
            _expect(fragment, point, value, list)
            merged[point].extend(value)
        else:
            _expect(fragment, point, value, dict)
            for key, item in value.items():
                where = f"{point}.{key}"
                if key in merged[point] and merged[point][key] != item:
                    raise GenerationError(
                        f"Fragments {owners[where]} and {fragment} both set {where} differently."
                    )
                merged[point][key] = item
                owners[where] = fragment
    names = [e["name"] for e in merged["env"]]
    if len(names) != len(set(names)):
        raise GenerationError(f"Fragment {fragment} declares an environment variable twice.")


def _expect(fragment: str, point: str, value: Any, kind: type) -> None:
    if not isinstance(value, kind):
        raise GenerationError(f"Fragment {fragment}: {point} must be a {kind.__name__}.")
