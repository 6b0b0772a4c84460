"""The production settings: `manage.py check --deploy` is clean, and the secret key is required.

Run as a user would, with manage.py in a process of its own, so the settings are read
from exactly the environment given here (`.env` only adds what is not set).
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_django import Settings
from rest_framework.test import APIClient

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    production = {**os.environ, "DJANGO_DEBUG": "false", **env}
    production.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(  # noqa: S603 (our own manage.py, with fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=production,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_deploy_checks_pass() -> None:
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", DJANGO_SECRET_KEY=secrets.token_hex(32)
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_no_secret_key_stops_the_app_before_it_serves() -> None:
    result = manage("check", DJANGO_SECRET_KEY="")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.django_db
def test_behind_a_redirect_to_https_the_health_checks_are_not_redirected(
    client: APIClient, settings: Settings
) -> None:
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/health").status_code == 200
    assert client.get("/ready").status_code == 200
    assert client.get("/orders").status_code == 301
    assert client.get("/orders", headers={"X-Forwarded-Proto": "https"}).status_code == 200
