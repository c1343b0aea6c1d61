"""The Dockerfile and .dockerignore, parsed (no Docker needed)."""

from __future__ import annotations

import fnmatch
import http.server
import json
import os
import re
import shlex
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.deploy.files import (
    APP_PORT,
    APP_UID,
    GUNICORN_CMD,
    HEALTH_PATH,
    METRICS_DIR,
    READY_PATH,
    ROOT,
    _args,
    _dockerfile_env,
    _dockerfile_stages,
    _final_stage,
    _known_app_variables,
)

# The only things the image may contain from the repository.
SHIPPED = {"dashboard", "pyproject.toml", "README.md", "gunicorn.conf.py", "requirements"}


def _copy_sources(args: str) -> list[str]:
    """Source paths of a COPY (shell or JSON form), options stripped."""
    parts = json.loads(args) if args.startswith("[") else shlex.split(args)
    parts = [p for p in parts if not p.startswith("--")]
    return parts[:-1]


def _copy_destination(args: str) -> str:
    parts = json.loads(args) if args.startswith("[") else shlex.split(args)
    return parts[-1]


def _healthcheck_command() -> list[str]:
    checks = _args(_final_stage(), "HEALTHCHECK")
    assert len(checks) == 1, "exactly one HEALTHCHECK in the final stage"
    options, sep, command = checks[0].partition("CMD ")
    assert sep, "HEALTHCHECK needs a CMD"
    return json.loads(command)  # exec form: no shell needed in the image


def _dockerignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("#")]


def _ignored(path: str) -> bool:
    """Whether .dockerignore excludes `path` (or a parent of it). No `!` patterns are used."""
    parts = Path(path).parts
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in _dockerignore_patterns():
        assert not pattern.startswith("!"), "update _ignored() to support negated patterns"
        pattern = pattern.strip("/")
        for candidate in candidates:
            if fnmatch.fnmatchcase(candidate, pattern):
                return True
            if pattern.startswith("**/") and fnmatch.fnmatchcase(candidate.rsplit("/", 1)[-1], pattern[3:]):
                return True
    return False


class _Health(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.send_response(self.status if self.path == HEALTH_PATH else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_dockerfile_is_multi_stage_with_wheels_built_in_the_builder():
    stages = _dockerfile_stages()
    assert len(stages) >= 2
    builder_runs = " ".join(_args(stages[0], "RUN"))
    assert "pip wheel" in builder_runs
    final_from = _args(stages[-1], "FROM")[0].split()[0]
    assert final_from == "python:3.11-slim"
    final_runs = " ".join(_args(stages[-1], "RUN"))
    assert "pip install" in final_runs and "--no-index" in final_runs
    assert "/wheels" in final_runs


def test_dockerfile_installs_only_the_runtime_dependencies():
    stages = _dockerfile_stages()
    builder_runs = " ".join(_args(stages[0], "RUN"))
    # The locked runtime dependencies, hashes checked, never the test lock or extras.
    assert "--require-hashes" in builder_runs and "requirements/runtime.txt" in builder_runs
    assert "requirements/test.txt" not in builder_runs
    assert "optional-dependencies" not in builder_runs
    for stage in stages:
        runs = " ".join(_args(stage, "RUN"))
        for dev_tool in ["[test]", "pytest", "selenium", "yamllint", "kubernetes-validate", "build-essential"]:
            assert dev_tool not in runs, f"{dev_tool} must not be installed in the image"
    assert "apt-get install" not in " ".join(_args(stages[-1], "RUN"))


def test_dockerfile_installs_the_package_from_its_wheel_not_the_source_tree():
    stages = _dockerfile_stages()
    builder_runs = " ".join(_args(stages[0], "RUN"))
    assert "pip wheel --no-deps" in builder_runs  # the package's own wheel, beside the locked ones
    final_copies = [src for args in _args(stages[-1], "COPY") for src in _copy_sources(args)]
    assert not [src for src in final_copies if Path(src).parts[0] == "dashboard"], final_copies
    final_runs = " ".join(_args(stages[-1], "RUN"))
    assert "-e " not in final_runs and "--editable" not in final_runs


def test_dockerfile_runs_as_the_fixed_non_root_user():
    users = _args(_final_stage(), "USER")
    assert users, "final stage has no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    # Numeric, so Kubernetes can verify runAsNonRoot; must match the manifests.
    assert user == str(APP_UID)
    # USER comes before the CMD it applies to.
    stage = _final_stage()
    last_user = max(i for i, (inst, _) in enumerate(stage) if inst == "USER")
    cmd_at = max(i for i, (inst, _) in enumerate(stage) if inst == "CMD")
    assert last_user < cmd_at


def test_dockerfile_environment():
    env = _dockerfile_env()
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"  # the root file system is read-only in Kubernetes
    assert env["PYTHONUNBUFFERED"] == "1"
    assert "PYTHONPATH" not in env  # the package is installed from its wheel, not read from /app
    assert "DASHBOARD_ASSETS_DIR" not in env  # the assets are inside the package
    assert env["DASHBOARD_DATA_DIR"] == "/data"
    assert env["WEB_CONCURRENCY"] == "2"
    assert env["PROMETHEUS_MULTIPROC_DIR"] == METRICS_DIR
    assert _args(_final_stage(), "WORKDIR")[-1] == "/app"


def test_dockerfile_environment_names_are_known():
    known = _known_app_variables()
    for name in _dockerfile_env():
        assert (
            name in known
            or name.startswith(("PYTHON", "PIP_", "MALLOC_"))  # MALLOC_*: read by glibc
            or name == "XDG_RUNTIME_DIR"  # where gunicorn >= 25 puts its control socket
        ), f"Dockerfile sets {name}, which neither the app nor gunicorn reads"


def test_dockerfile_data_volume_is_prepared_before_it_is_declared():
    stage = _final_stage()
    volume_at = next(i for i, (inst, args) in enumerate(stage) if inst == "VOLUME")
    assert "/data" in _args(stage, "VOLUME")[0]
    chown_at = [i for i, (inst, args) in enumerate(stage) if inst == "RUN" and "chown" in args and "/data" in args]
    assert chown_at and chown_at[0] < volume_at, "chown /data must come before VOLUME"
    assert f"{APP_UID}" in stage[chown_at[0]][1]


def test_dockerfile_exposes_the_app_port():
    exposed = " ".join(_args(_final_stage(), "EXPOSE")).split()
    assert str(APP_PORT) in exposed
    assert _dockerfile_env().get("PORT", str(APP_PORT)) == str(APP_PORT)


def test_dockerfile_healthcheck_hits_healthz_without_curl():
    checks = _args(_final_stage(), "HEALTHCHECK")
    assert len(checks) == 1
    command = _healthcheck_command()
    assert command[0] == "python"
    script = " ".join(command)
    assert f"'{HEALTH_PATH}'" in script and "127.0.0.1" in script
    assert READY_PATH not in script  # a Redis outage must not mark the container unhealthy
    assert "curl" not in script and "wget" not in script
    options = dict(re.findall(r"--([a-z-]+)=(\S+)", checks[0].partition("CMD ")[0]))
    assert {"interval", "timeout", "start-period", "retries"} <= set(options)


@pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False)])
def test_dockerfile_healthcheck_command_really_checks_healthz(status, healthy):
    """Run the HEALTHCHECK command (with this Python) against a stand-in server on $PORT."""
    handler = type("Handler", (_Health,), {"status": status})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        command = [sys.executable, *_healthcheck_command()[1:]]
        env = {"PATH": os.environ.get("PATH", ""), "PORT": str(server.server_address[1])}
        result = subprocess.run(command, env=env, capture_output=True, timeout=30, check=False)
    finally:
        server.shutdown()
        server.server_close()
    assert (result.returncode == 0) is healthy, result.stderr


def test_dockerfile_healthcheck_fails_when_nothing_listens():
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health) as server:
        port = server.server_address[1]  # closed again when the block ends
    command = [sys.executable, *_healthcheck_command()[1:]]
    env = {"PATH": os.environ.get("PATH", ""), "PORT": str(port)}
    result = subprocess.run(command, env=env, capture_output=True, timeout=30, check=False)
    assert result.returncode != 0


def test_dockerfile_cmd_is_gunicorn_with_the_config_file():
    cmds = _args(_final_stage(), "CMD")
    assert len(cmds) == 1
    cmd = json.loads(cmds[0])  # exec form: gunicorn must be PID 1 to get SIGTERM
    assert cmd == GUNICORN_CMD
    assert not _args(_final_stage(), "ENTRYPOINT"), "an ENTRYPOINT would wrap the gunicorn CMD"


def test_dockerfile_copies_gunicorn_conf_into_the_workdir():
    workdir = _args(_final_stage(), "WORKDIR")[-1]
    copies = [args for args in _args(_final_stage(), "COPY") if "gunicorn.conf.py" in _copy_sources(args)]
    assert len(copies) == 1, "gunicorn.conf.py must be copied into the final stage"
    destination = _copy_destination(copies[0])
    # `-c gunicorn.conf.py` is relative to the working directory.
    assert destination in {"./", ".", f"{workdir}/", workdir, f"{workdir}/gunicorn.conf.py", "./gunicorn.conf.py"}
    assert (ROOT / "gunicorn.conf.py").is_file()


def test_dockerfile_copies_only_the_shipped_sources():
    copied = []
    for stage in _dockerfile_stages():
        for inst, args in stage:
            if inst in {"COPY", "ADD"} and "--from=" not in args:
                copied.extend(_copy_sources(args))
    tops = {Path(src).parts[0] for src in copied}
    assert tops <= SHIPPED, f"unexpected COPY sources: {sorted(tops - SHIPPED)}"
    assert {"dashboard", "gunicorn.conf.py"} <= tops
    assert not tops & {"tests", "bench", "k8s", ".", "data", "conftest.py", "setup.cfg"}
    assert not _args(_final_stage(), "ADD")


def test_dockerignore_keeps_local_state_out_but_not_the_sources():
    for path in [
        ".git",
        ".venv",
        "tests",
        "tests/deploy/test_dockerfile.py",
        "bench",
        "k8s",
        "data",
        "docs",
        "dashboard/__pycache__",
        "threads_agent_dashboard.egg-info",
        ".pytest_cache",
        ".env",
    ]:
        assert _ignored(path), f".dockerignore should exclude {path}"
    for path in sorted(SHIPPED) + ["dashboard/settings.py", "dashboard/wsgi.py"]:
        assert not _ignored(path), f".dockerignore must not exclude {path} (COPY needs it)"


def test_shipped_sources_exist():
    for name in SHIPPED:
        assert (ROOT / name).exists(), f"{name} is copied into the image but missing"
