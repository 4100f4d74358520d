"""config/settings.py read in a fresh process, the way a server or CI would start it."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# 50+ characters, many distinct ones, no "django-insecure" prefix: what security.W009 wants.
PRODUCTION_SECRET_KEY = "t8Vq2LmZ-r5Wc9Xe_Hs3Jd7Nf1Kb6Yg4Pa0Ru!Ei2Oz8Tw5Qx3Mn7Lk9Jh"
# Variables the tests set themselves; inherited values would make the result depend on the shell.
CONTROLLED = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CI", "BEHIND_TLS_PROXY")


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in CONTROLLED and not key.startswith("SECURE_")
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603 - fixed argv, no shell
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=PRODUCTION_SECRET_KEY,
        ALLOWED_HOSTS="portal.example.gov.cn",
        CSRF_TRUSTED_ORIGINS="https://portal.example.gov.cn",
        BEHIND_TLS_PROXY="true",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output, output
    assert not [line for line in output.splitlines() if "?:" in line], output
    assert "no issues" in output


def test_ci_without_database_url_refuses_to_start():
    environment = {"CI": "true", "DATABASE_URL": ""}
    result = manage("check", **environment)
    assert result.returncode != 0
    assert "CI=true requires DATABASE_URL" in result.stderr


def test_debug_off_without_secret_key_refuses_to_start():
    result = manage("check", DEBUG="false", ALLOWED_HOSTS="portal.example.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_deploy_check_is_clean_with_the_example_environment_file():
    """deploy/stationing.env.example as an operator would fill it in (a real secret key)."""
    example = BASE_DIR / "deploy" / "stationing.env.example"
    environment = {}
    for line in example.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _sep, value = line.partition("=")
            environment[key.strip()] = value.strip().strip('"')
    assert environment["DEBUG"] == "false" and environment["BEHIND_TLS_PROXY"] == "true"
    environment["SECRET_KEY"] = PRODUCTION_SECRET_KEY
    # No database or broker is reached by the checks; keep the test's own, not the example's.
    for key in ("DATABASE_URL", "REDIS_URL"):
        environment.pop(key)
    result = manage("check", "--deploy", "--fail-level", "WARNING", **environment)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output
