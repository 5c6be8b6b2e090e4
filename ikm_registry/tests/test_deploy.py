"""Production settings and login protection: `check --deploy` is clean with only the three required variables,
settings refuse to start without their secrets, and django-axes locks out password guessing."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from ikm_registry.models import Role
from ikm_registry.tests.factories import make_staff

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "test-deploy-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTU",
    "ALLOWED_HOSTS": "ikm.example.go.id",
    "NIK_ENCRYPTION_KEY": "test-deploy-nik-key-0123456789abcdefghijklmnop",
}
# Variables a developer's shell may carry that would change what is being checked.
CLEARED = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "NIK_ENCRYPTION_KEY",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "CACHE_URL",
    "DATABASE_POOL",
    "DATABASE_PREPARED_STATEMENTS",
    "DATABASE_PG_OPTIONS",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the Playwright tests in this process; never in production
]


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_warning_with_only_the_required_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["NIK_ENCRYPTION_KEY", "SECRET_KEY"])
def test_settings_refuse_to_start_without_a_secret_when_debug_is_off(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


def test_development_runs_without_any_secret():
    result = run_manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("value", "expected"), [(None, "True"), ("0", "False")])
def test_ssl_redirect_is_on_in_production_unless_the_proxy_redirects(value, expected):
    env = dict(PRODUCTION_ENV)
    if value is not None:
        env["SECURE_SSL_REDIRECT"] = value
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print('SSL', settings.SECURE_SSL_REDIRECT)", **env
    )
    assert f"SSL {expected}" in result.stdout, result.stderr


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


def login(client, username, password, ip):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_five_wrong_passwords_lock_that_username_from_that_address_only(client, axes_on):
    make_staff(Role.OPERATOR, "62.71", username="operator_palangkaraya")
    make_staff(Role.OPERATOR, "63.71", username="operator_banjarmasin")
    for _ in range(5):
        assert login(client, "operator_palangkaraya", "salah-tebak", "10.0.0.1").status_code in (200, 429)

    locked = login(client, "operator_palangkaraya", "rahasia-demo-123", "10.0.0.1")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session

    # The same person from another address, and a colleague behind the same address, still get in.
    other_ip = login(client, "operator_palangkaraya", "rahasia-demo-123", "10.0.0.2")
    assert other_ip.status_code == 302
    client.logout()
    colleague = login(client, "operator_banjarmasin", "rahasia-demo-123", "10.0.0.1")
    assert colleague.status_code == 302


@pytest.mark.django_db
def test_four_wrong_passwords_do_not_lock(client, axes_on):
    make_staff(Role.OPERATOR, "62.71", username="operator_palangkaraya")
    for _ in range(4):
        login(client, "operator_palangkaraya", "salah-tebak", "10.0.0.1")
    assert login(client, "operator_palangkaraya", "rahasia-demo-123", "10.0.0.1").status_code == 302


def run_python(code: str, **env):
    return run_manage("shell", "--no-imports", "-c", code, **env)


def redis_answers() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def test_without_cache_url_each_process_keeps_its_own_memory_cache():
    result = run_python("from django.conf import settings; print(settings.CACHES['default']['BACKEND'])")
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache", result.stderr


def test_a_cache_url_that_is_not_redis_is_refused_at_start():
    result = run_manage("check", CACHE_URL="memcached://127.0.0.1:11211")
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr


@pytest.mark.skipif(not redis_answers(), reason="no Redis server at 127.0.0.1:6379")
def test_workers_share_the_cache_through_redis():
    url = {"CACHE_URL": "redis://127.0.0.1:6379/15", "CACHE_KEY_PREFIX": f"ikm-test-{os.getpid()}"}
    first = run_python("from django.core.cache import cache; cache.set('shared', 'yes', 60)", **url)
    assert first.returncode == 0, first.stderr
    second = run_python("from django.core.cache import cache; print(cache.get('shared'))", **url)
    assert second.stdout.strip() == "yes", second.stderr


def test_a_gunicorn_worker_freezes_what_it_has_built_once_after_its_first_requests(monkeypatch):
    import gc
    import importlib.util
    from pathlib import Path
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location("gunicorn_conf", Path(settings.BASE_DIR) / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    freezes = []
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(request_number))
    for request_number in range(1, conf.FREEZE_AFTER_REQUESTS + 3):
        conf.post_request(SimpleNamespace(nr=request_number), None, {}, None)
    # Once, after the first FREEZE_AFTER_REQUESTS requests, not after every request. (Counting frozen objects
    # instead was flaky: a frozen object freed by its reference count leaves the permanent generation.)
    assert freezes == [conf.FREEZE_AFTER_REQUESTS]
    monkeypatch.undo()
    gc.unfreeze()
    try:
        conf.post_request(SimpleNamespace(nr=conf.FREEZE_AFTER_REQUESTS), None, {}, None)
        assert gc.get_freeze_count() > 0  # the real gc.freeze() ran
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(
    ("env", "prepared", "options"),
    [
        ({}, True, {"prepare_threshold": 5, "plan": True}),
        # A connection per request would prepare each statement for one use: the default follows the pool.
        ({"DATABASE_POOL": "0"}, False, {"prepare_threshold": None, "plan": False}),
        ({"DATABASE_PREPARED_STATEMENTS": "0"}, False, {"prepare_threshold": None, "plan": False}),
    ],
)
def test_prepared_statements_follow_the_connection_pool_unless_set(env, prepared, options):
    code = (
        "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS']; "
        "print(settings.DATABASE_PREPARED_STATEMENTS, o.get('prepare_threshold'), "
        "'force_generic_plan' in o['options'])"
    )
    result = run_python(code, DATABASE_URL="postgres://postgres@127.0.0.1:5432/unused", **env)
    assert result.stdout.split() == [str(prepared), str(options["prepare_threshold"]), str(options["plan"])], (
        result.stderr
    )
