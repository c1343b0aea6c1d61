"""Reading the deployment files: the Dockerfile, YAML, the settings and gunicorn.conf.py they feed."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from dashboard.settings import environment_variables, load_settings

ROOT = Path(__file__).resolve().parents[2]
APP_PORT = 8050
APP_UID = 10001
IMAGE_NAME = "threads-agent-dashboard"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
# The Threads-Agent services, by Service name, in the dashboard's namespace.
BACKENDS = {
    "ACHIEVEMENT_API_URL": "http://achievement-collector:8000",
    "ORCHESTRATOR_URL": "http://orchestrator:8080",
    "TECH_DOC_API_URL": "http://tech-doc-generator:8001",
}
GUNICORN_CMD = ["gunicorn", "-c", "gunicorn.conf.py", "dashboard.wsgi:server"]
METRICS_DIR = "/tmp/threads-dashboard-metrics"


def _load_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _dockerfile_stages() -> list[list[tuple[str, str]]]:
    """(INSTRUCTION, arguments) per build stage, continuation lines joined, comments dropped."""
    stages: list[list[tuple[str, str]]] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        instruction, _, args = line.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            stages.append([])
        assert stages, f"instruction before the first FROM: {line!r}"
        stages[-1].append((instruction, args.strip()))
    return stages


def _final_stage() -> list[tuple[str, str]]:
    return _dockerfile_stages()[-1]


def _args(stage, instruction: str) -> list[str]:
    return [args for inst, args in stage if inst == instruction]


def _dockerfile_env() -> dict[str, str]:
    env = {}
    for args in _args(_final_stage(), "ENV"):
        for token in shlex.split(args):
            key, sep, value = token.partition("=")
            assert sep, f"use ENV KEY=value form, got {token!r}"
            env[key] = value
    return env


def _settings_from(env: dict[str, str], monkeypatch):
    for name in environment_variables():
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings()


def _gunicorn_env_names() -> set[str]:
    """Variables gunicorn.conf.py reads, plus GUNICORN_CMD_ARGS (read by gunicorn itself)."""
    source = (ROOT / "gunicorn.conf.py").read_text(encoding="utf-8")
    names = set(re.findall(r"os\.environ(?:\.get|\.setdefault)?[(\[]\s*[\"']([A-Z0-9_]+)[\"']", source))
    assert {"WEB_CONCURRENCY", "PROMETHEUS_MULTIPROC_DIR"} <= names, names  # the parser still works
    return names | {"GUNICORN_CMD_ARGS"}


def _known_app_variables() -> set[str]:
    return set(environment_variables()) | _gunicorn_env_names()


# gunicorn's own command line, with the app replaced by a stub: --print-config would otherwise
# import dashboard.wsgi, which opens stores and folders named by the image's environment.
_PRINT_CONFIG = """
import sys
from gunicorn.app.wsgiapp import WSGIApplication


class ConfigOnly(WSGIApplication):
    def load(self):
        return lambda environ, start_response: []


sys.argv = ["gunicorn", *sys.argv[1:]]
ConfigOnly("%(prog)s [OPTIONS] [APP_MODULE]", prog="gunicorn").run()
"""


def _gunicorn_config(env: dict[str, str]) -> dict[str, str]:
    """gunicorn's effective settings for the image's CMD (gunicorn.conf.py) under `env`."""
    env = dict(env, PATH=os.environ.get("PATH", ""), HOME="/nonexistent", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", _PRINT_CONFIG, *GUNICORN_CMD[1:-1], "--print-config", GUNICORN_CMD[-1]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    config = {}
    for line in result.stdout.splitlines():
        name, sep, value = line.partition(" = ")
        if sep:
            config[name.strip()] = value.strip()
    assert "bind" in config and "workers" in config, result.stdout[:2000]
    return config
