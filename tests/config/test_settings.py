"""Production settings are checked in a fresh interpreter, as a deploy would start them."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow  # a fresh interpreter for each check

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "-a-long-random-looking-production-secret-key-0123456789"
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": GOOD_KEY,
    "DJANGO_ALLOWED_HOSTS": "unknot.example",
    "DATABASE_URL": "postgres://unknot@localhost/unknot",
    "REDIS_URL": "redis://localhost:6379/0",
    "EMAIL_URL": "smtp://localhost:25",
    "DEFAULT_FROM_EMAIL": "Unknot <hello@unknot.example>",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "DEFAULT_FROM_EMAIL", "ALLAUTH_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_pass_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": ""})

    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_the_development_key():
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": "django-insecure-" + "x" * 60})

    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_sqlite_and_a_missing_mail_server():
    no_db = manage("check", **{k: v for k, v in PRODUCTION.items() if k != "DATABASE_URL"})
    no_mail = manage("check", **{k: v for k, v in PRODUCTION.items() if k != "EMAIL_URL"})

    assert "Set DATABASE_URL" in no_db.stderr
    assert "Set EMAIL_URL" in no_mail.stderr


def test_production_refuses_to_start_without_a_from_address():
    # The development default (@unknot.localhost) would fail SPF and DMARC at every recipient.
    result = manage("check", **{k: v for k, v in PRODUCTION.items() if k != "DEFAULT_FROM_EMAIL"})

    assert result.returncode != 0
    assert "Set DEFAULT_FROM_EMAIL" in result.stderr


def test_the_trusted_proxy_settings_reach_allauth():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from allauth import app_settings as a; print(a.TRUSTED_PROXY_COUNT, a.TRUSTED_CLIENT_IP_HEADER)",
        **PRODUCTION,
        ALLAUTH_TRUSTED_PROXY_COUNT="2",
        ALLAUTH_TRUSTED_CLIENT_IP_HEADER="X-Real-IP",
    )
    unset = manage(
        "shell",
        "--no-imports",
        "-c",
        "from allauth import app_settings as a; print(a.TRUSTED_PROXY_COUNT)",
        **PRODUCTION,
    )

    assert result.stdout.split() == ["2", "X-Real-IP"], result.stderr
    assert unset.stdout.split() == ["0"], unset.stderr


def test_docker_compose_runs_every_part_against_the_settings_the_app_reads():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]

    assert set(services) == {
        "web",
        "worker",
        "dispatcher",
        "beat",
        "postgres",
        "redis",
        "redis-cache",
        "mailpit",
    }
    for name in ("web", "worker", "dispatcher", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_ENV"] == "production"
        assert {
            "DJANGO_SECRET_KEY",
            "DJANGO_ALLOWED_HOSTS",
            "DATABASE_URL",
            "REDIS_URL",
            "EMAIL_URL",
            "DEFAULT_FROM_EMAIL",
        } <= set(env)
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert env["REDIS_CACHE_URL"].startswith("redis://redis-cache:6379")
        assert env["ALLAUTH_TRUSTED_PROXY_COUNT"] == "${ALLAUTH_TRUSTED_PROXY_COUNT:-0}"
        assert "ALLAUTH_TRUSTED_CLIENT_IP_HEADER" in env
        assert env["EMAIL_URL"] == "smtp://mailpit:1025"
    assert "celery -A config worker --queues=celery" in services["worker"]["command"]
    assert "celery -A config worker --queues=dispatch" in services["dispatcher"]["command"]
    assert "celery -A config beat" in services["beat"]["command"]
    assert "load_library" in services["web"]["command"]
    # The broker never evicts a message; the cache, with its own memory limit, may evict anything.
    assert "--maxmemory-policy noeviction" in services["redis"]["command"]
    assert "--maxmemory " in services["redis"]["command"]
    assert "--maxmemory-policy allkeys-lru" in services["redis-cache"]["command"]
    assert "--maxmemory " in services["redis-cache"]["command"]
    # Every part's healthcheck is the readiness check (tests/config/test_readiness.py).
    for name in ("web", "worker", "dispatcher", "beat"):
        assert services[name]["healthcheck"]["test"][:5] == [
            "CMD",
            "python",
            "manage.py",
            "health_check",
            "health_ready",
        ]
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    # The compose file's environment must be enough for the app to start in production.
    # As compose fills in ${NAME:-default} when NAME is unset.
    env = {
        name: re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", str(value))
        for name, value in services["web"]["environment"].items()
    }
    env["DJANGO_SECRET_KEY"] = GOOD_KEY
    result = manage("check", **env)
    assert result.returncode == 0, result.stderr
