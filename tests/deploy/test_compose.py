"""docker-compose.yml against the image, the settings and gunicorn."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import urlparse

from dashboard.settings import environment_variables
from tests.deploy.files import (
    APP_PORT,
    BACKENDS,
    IMAGE_NAME,
    ROOT,
    _args,
    _dockerfile_env,
    _final_stage,
    _gunicorn_config,
    _load_yaml,
    _settings_from,
)


def _compose() -> dict:
    return _load_yaml(ROOT / "docker-compose.yml")


def _compose_environment(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.partition("=")[::2] for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def _compose_default(value: str) -> str:
    """What a compose value becomes when the referenced host variable is unset."""
    return re.sub(r"\$\{[A-Z0-9_]+:?-([^}]*)\}", r"\1", value)


def _seconds(duration) -> float:
    """A compose duration such as 40s, 1m30s or 1m."""
    units = {"h": 3600, "m": 60, "s": 1}
    parts = re.findall(r"(\d+(?:\.\d+)?)(h|m|s)", str(duration))
    assert parts and "".join(n + u for n, u in parts) == str(duration), f"unparseable {duration!r}"
    return sum(float(n) * units[u] for n, u in parts)


def test_compose_has_the_dashboard_and_redis():
    assert set(_compose()["services"]) == {"dashboard", "redis"}


def test_compose_redis_service_has_a_healthcheck():
    redis = _compose()["services"]["redis"]
    assert redis["image"].startswith("redis:7")
    test = redis["healthcheck"]["test"]
    test = " ".join(test) if isinstance(test, list) else test
    assert "redis-cli" in test and "ping" in test
    assert not redis["healthcheck"].get("disable", False)


def test_compose_dashboard_keeps_the_image_healthcheck():
    dashboard = _compose()["services"]["dashboard"]
    assert not dashboard.get("healthcheck", {}).get("disable", False)
    assert "NONE" not in str(dashboard.get("healthcheck", {}).get("test", ""))
    assert _args(_final_stage(), "HEALTHCHECK"), "the image must bring the dashboard's health check"


def test_compose_dashboard_waits_for_healthy_redis():
    dashboard = _compose()["services"]["dashboard"]
    assert dashboard["depends_on"]["redis"]["condition"] == "service_healthy"
    assert dashboard["build"] in (".", {"context": "."})
    assert f"{APP_PORT}:{APP_PORT}" in [str(p) for p in dashboard["ports"]]
    assert dashboard["image"].split(":")[0] == IMAGE_NAME


def test_compose_env_names_are_real_settings():
    env = _compose_environment(_compose()["services"]["dashboard"])
    assert env, "the dashboard service sets no environment"
    unknown = set(env) - set(environment_variables())
    assert not unknown, f"compose dashboard sets variables the settings do not read: {sorted(unknown)}"


def test_compose_points_at_the_three_backends():
    env = _compose_environment(_compose()["services"]["dashboard"])
    assert set(BACKENDS) <= set(env)


def test_compose_redis_url_points_at_the_redis_service():
    compose = _compose()
    url = urlparse(_compose_environment(compose["services"]["dashboard"])["REDIS_URL"])
    assert url.scheme == "redis"
    assert url.hostname in compose["services"]
    assert url.hostname == "redis"
    assert url.port == 6379


def test_compose_backend_urls_default_to_the_embedded_store():
    env = _compose_environment(_compose()["services"]["dashboard"])
    for name in BACKENDS:
        assert env[name] == f"${{{name}:-}}", f"{name} should pass through with an empty default"


def test_compose_defaults_are_valid_settings(monkeypatch):
    env = _compose_environment(_compose()["services"]["dashboard"])
    settings = _settings_from({k: _compose_default(v) for k, v in env.items()}, monkeypatch)
    # Empty passthroughs must count as unset, i.e. the embedded store.
    assert settings.achievement_api_url is None
    assert settings.orchestrator_url is None
    assert settings.tech_doc_api_url is None
    assert settings.redis_url == "redis://redis:6379/0"
    assert settings.log_level.upper() == "INFO"


def test_compose_passthroughs_reach_the_settings(monkeypatch):
    """With host variables set, compose hands them to the dashboard unchanged."""
    env = _compose_environment(_compose()["services"]["dashboard"])
    host = {
        "ACHIEVEMENT_API_URL": "http://host.docker.internal:8000",
        "ORCHESTRATOR_URL": "http://host.docker.internal:8080",
        "TECH_DOC_API_URL": "http://host.docker.internal:8001",
    }
    resolved = {k: re.sub(r"\$\{([A-Z0-9_]+):?-[^}]*\}", lambda m: host.get(m[1], ""), v) for k, v in env.items()}
    settings = _settings_from(resolved, monkeypatch)
    assert settings.achievement_api_url == host["ACHIEVEMENT_API_URL"]
    assert settings.orchestrator_url == host["ORCHESTRATOR_URL"]
    assert settings.tech_doc_api_url == host["TECH_DOC_API_URL"]


def test_compose_data_dir_is_a_named_volume():
    compose = _compose()
    dashboard = compose["services"]["dashboard"]
    data_dir = _compose_environment(dashboard).get("DASHBOARD_DATA_DIR") or _dockerfile_env()["DASHBOARD_DATA_DIR"]
    mounts = {}
    for volume in dashboard["volumes"]:
        source, target = volume.split(":")[:2] if isinstance(volume, str) else (volume["source"], volume["target"])
        mounts[target] = source
    assert data_dir in mounts, f"{data_dir} is not mounted"
    assert mounts[data_dir] in (compose.get("volumes") or {}), "data volume is not declared"


def test_compose_read_only_root_keeps_tmp_writable():
    dashboard = _compose()["services"]["dashboard"]
    if not dashboard.get("read_only"):
        return  # the image's own /tmp is writable
    tmpfs = dashboard.get("tmpfs", [])
    tmpfs = [tmpfs] if isinstance(tmpfs, str) else tmpfs
    assert "/tmp" in {entry.split(":")[0] for entry in tmpfs}
    assert PurePosixPath(_dockerfile_env()["PROMETHEUS_MULTIPROC_DIR"]).is_relative_to("/tmp")


def test_compose_stop_grace_period_covers_gunicorn_graceful_timeout():
    dashboard = _compose()["services"]["dashboard"]
    graceful = float(_gunicorn_config(_dockerfile_env())["graceful_timeout"])
    assert _seconds(dashboard.get("stop_grace_period", "10s")) > graceful
