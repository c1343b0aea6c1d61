"""gunicorn.conf.py's effective settings under the image's and the pod's environment."""

from __future__ import annotations

from tests.deploy.files import APP_PORT, _dockerfile_env, _gunicorn_config
from tests.deploy.k8s import _cpu, _dashboard, _is_under, _pod_environment, _writable_paths


def test_image_environment_gives_the_expected_gunicorn_settings():
    config = _gunicorn_config(_dockerfile_env())
    assert config["bind"] == f"['0.0.0.0:{APP_PORT}']"
    assert config["workers"] == _dockerfile_env()["WEB_CONCURRENCY"]
    # gevent: an idle or half-sent request costs a greenlet, not one of a few threads.
    assert config["worker_class"] == "gevent"
    assert int(config["worker_connections"]) >= 200
    # The control socket must land in a writable folder, not under the user's missing $HOME.
    if "control_socket" in config:
        assert config["control_socket"].startswith("/tmp/"), config["control_socket"]


def test_pod_gunicorn_settings_match_the_deployment():
    deployment, container = _dashboard()
    pod_env = _pod_environment()
    config = _gunicorn_config(pod_env)
    assert config["bind"] == f"['0.0.0.0:{container['ports'][0]['containerPort']}']"
    assert config["workers"] == pod_env["WEB_CONCURRENCY"]
    # A worker process per CPU of the limit at most, or they only fight over it.
    assert int(config["workers"]) <= max(1, _cpu(container["resources"]["limits"]["cpu"]) * 2)
    writable = _writable_paths(deployment, container)
    if "control_socket" in config:
        assert _is_under(config["control_socket"], writable), config["control_socket"]
    # SIGTERM -> preStop pause -> gunicorn's graceful stop must fit in the grace period.
    pre_stop = container.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
    pause = float(pre_stop[-1]) if pre_stop[:1] == ["sleep"] else 0.0
    grace = deployment["spec"]["template"]["spec"].get("terminationGracePeriodSeconds", 30)
    assert grace > float(config["graceful_timeout"]) + pause
