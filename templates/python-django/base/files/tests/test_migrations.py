"""The migrations build exactly the schema that the models describe."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration() -> None:
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exc:
        pytest.fail(f"makemigrations --check exited {exc.code}: a model changed, add a migration")


@pytest.mark.django_db
def test_every_migration_is_applied() -> None:
    """pytest-django built the test database by running them; none is left over."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
