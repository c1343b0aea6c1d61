"""Consistency checks for the deployment files: Dockerfile, .dockerignore,
docker-compose.yml, the k8s/ manifests and .yamllint.yaml.

No Docker or cluster is needed: the files are parsed, linted (yamllint), validated against the
Kubernetes JSON schemas bundled with kubernetes-validate (offline), and cross-checked against
each other, against gunicorn.conf.py and against the settings the application really reads.
"""

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
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

import kubernetes_validate
import pytest
import yaml
from yamllint import linter
from yamllint.config import YamlLintConfig

from dashboard.settings import environment_variables, load_settings

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "k8s"

APP_PORT = 8050
APP_UID = 10001
IMAGE_NAME = "threads-agent-dashboard"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
DEPLOYMENT = "threads-dashboard"
CONFIGMAP = "threads-dashboard-config"
SECRET = "threads-dashboard-secrets"
REDIS = "threads-dashboard-redis"
POD_LABELS = {"app.kubernetes.io/name": "threads-dashboard", "app.kubernetes.io/component": "dashboard"}
# The only things the image may contain from the repository.
SHIPPED = {"dashboard", "pyproject.toml", "README.md", "gunicorn.conf.py"}
GUNICORN_CMD = ["gunicorn", "-c", "gunicorn.conf.py", "dashboard.wsgi:server"]
METRICS_DIR = "/tmp/threads-dashboard-metrics"
# The Threads-Agent services, by Service name, in the dashboard's namespace.
BACKENDS = {
    "ACHIEVEMENT_API_URL": "http://achievement-collector:8000",
    "ORCHESTRATOR_URL": "http://orchestrator:8080",
    "TECH_DOC_API_URL": "http://tech-doc-generator:8001",
}
# One recent Kubernetes release whose schemas kubernetes-validate bundles.
K8S_VERSION = "1.32"
# Linted files; .yamllint.yaml lints itself.
YAML_FILES = sorted(K8S.glob("*.yaml")) + [ROOT / "docker-compose.yml", ROOT / ".yamllint.yaml"]


# --------------------------------------------------------------------------- helpers


def _load_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _k8s_objects() -> list[dict]:
    """Every object of every file listed in k8s/kustomization.yaml."""
    objects = []
    for name in _load_yaml(K8S / "kustomization.yaml")["resources"]:
        with (K8S / name).open(encoding="utf-8") as fh:
            objects.extend(doc for doc in yaml.safe_load_all(fh) if doc)
    return objects


def _k8s(kind: str, name: str) -> dict:
    matches = [o for o in _k8s_objects() if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected exactly one {kind}/{name}, found {len(matches)}"
    return matches[0]


def _of_kind(kind: str) -> list[dict]:
    return [o for o in _k8s_objects() if o["kind"] == kind]


def _container(deployment: dict, name: str) -> dict:
    containers = {c["name"]: c for c in deployment["spec"]["template"]["spec"]["containers"]}
    assert name in containers, f"{deployment['metadata']['name']} has no container {name!r}"
    return containers[name]


def _dashboard() -> tuple[dict, dict]:
    deployment = _k8s("Deployment", DEPLOYMENT)
    return deployment, _container(deployment, "dashboard")


def _effective_security(deployment: dict, container: dict, key: str):
    """A container securityContext field, falling back to the pod-level one."""
    pod_ctx = deployment["spec"]["template"]["spec"].get("securityContext", {})
    return container.get("securityContext", {}).get(key, pod_ctx.get(key))


def _selects(selector: dict, labels: dict) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def _configmap_data() -> dict[str, str]:
    return _k8s("ConfigMap", CONFIGMAP)["data"]


def _secret_data() -> dict[str, str]:
    secret = _k8s("Secret", SECRET)
    assert "data" not in secret, "keep the example in stringData (readable, no base64)"
    return secret["stringData"]


def _pod_environment() -> dict[str, str]:
    """What the dashboard process sees in Kubernetes: image ENV, then envFrom, then env."""
    _, container = _dashboard()
    env = dict(_dockerfile_env())
    for source in container["envFrom"]:
        if "configMapRef" in source:
            env.update(_k8s("ConfigMap", source["configMapRef"]["name"])["data"])
        elif "secretRef" in source:
            env.update(_k8s("Secret", source["secretRef"]["name"])["stringData"])
    for entry in container.get("env", []):
        if "value" in entry:
            env[entry["name"]] = entry["value"]
        else:  # a Secret created out of band (SECRET_KEY): stand in a valid value
            ref = entry["valueFrom"]["secretKeyRef"]
            env[entry["name"]] = f"out-of-band-{ref['name']}-{ref['key']}-0123456789abcdefghijklmnop"
    return env


def _writable_paths(deployment: dict, container: dict) -> set[str]:
    assert _effective_security(deployment, container, "readOnlyRootFilesystem") is True
    return {m["mountPath"] for m in container.get("volumeMounts", []) if not m.get("readOnly")}


def _is_under(path: str, folders: set[str]) -> bool:
    return any(PurePosixPath(path).is_relative_to(folder) for folder in folders)


_CPU = re.compile(r"^(\d+(?:\.\d+)?)(m?)$")
_MEMORY = re.compile(r"^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$")
_MEMORY_FACTOR = {
    None: 1,
    "K": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
}


def _cpu(quantity) -> float:
    match = _CPU.match(str(quantity))
    assert match, f"unparseable CPU quantity {quantity!r}"
    return float(match[1]) / (1000 if match[2] else 1)


def _memory(quantity) -> float:
    match = _MEMORY.match(str(quantity))
    assert match, f"unparseable memory quantity {quantity!r}"
    return float(match[1]) * _MEMORY_FACTOR[match[2]]


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


# --------------------------------------------------------------------------- Dockerfile


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
    # The project's runtime dependencies, never the test extras.
    assert "['project']['dependencies']" in builder_runs
    assert "optional-dependencies" not in builder_runs
    for stage in stages:
        runs = " ".join(_args(stage, "RUN"))
        for dev_tool in ["[test]", "pytest", "selenium", "yamllint", "kubernetes-validate", "build-essential"]:
            assert dev_tool not in runs, f"{dev_tool} must not be installed in the image"
    assert "apt-get install" not in " ".join(_args(stages[-1], "RUN"))


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
    assert env["PYTHONPATH"] == "/app"
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


class _Health(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.send_response(self.status if self.path == HEALTH_PATH else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


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
        "tests/deploy/test_deploy_files.py",
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


# --------------------------------------------------------------------------- docker compose


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


# --------------------------------------------------------------------------- YAML lint


def _yamllint_config() -> YamlLintConfig:
    return YamlLintConfig(file=str(ROOT / ".yamllint.yaml"))


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_yaml_files_pass_yamllint(path):
    problems = list(linter.run(path.read_text(encoding="utf-8"), _yamllint_config(), str(path)))
    assert not problems, "\n".join(f"{path.name}:{p.line}:{p.column} [{p.level}] {p.message}" for p in problems)


def test_yamllint_config_catches_problems():
    """The committed config is not so lax that it accepts broken YAML."""
    bad = "key: value\nkey: again\nflag: yes\nlist:\n- a\n-   b \n"
    problems = list(linter.run(bad, _yamllint_config()))
    rules = {p.rule for p in problems}
    assert {"key-duplicates", "truthy", "trailing-spaces"} <= rules, rules


# --------------------------------------------------------------------------- Kubernetes


def test_kustomization_lists_every_manifest_and_only_existing_ones():
    kustomization = _load_yaml(K8S / "kustomization.yaml")
    listed = kustomization["resources"]
    assert len(listed) == len(set(listed))
    for name in listed:
        assert (K8S / name).is_file(), f"kustomization lists missing file {name}"
    on_disk = {p.name for p in K8S.glob("*.y*ml")} - {"kustomization.yaml"}
    assert on_disk == set(listed), f"manifests not in kustomization: {sorted(on_disk - set(listed))}"
    required = {
        "configmap.yaml",
        "secret.yaml",
        "deployment.yaml",
        "service.yaml",
        "hpa.yaml",
        "pdb.yaml",
        "redis.yaml",
        "ingress.yaml",
    }
    assert required <= set(listed), f"missing from kustomization: {sorted(required - set(listed))}"


def test_kustomization_adds_the_part_of_label():
    kustomization = _load_yaml(K8S / "kustomization.yaml")
    pairs = {}
    for entry in kustomization.get("labels", []):
        pairs.update(entry["pairs"])
        # Deployment selectors are immutable: a label added to them breaks `kubectl apply`.
        assert entry.get("includeSelectors") is False
    assert "commonLabels" not in kustomization  # deprecated, and it rewrites selectors
    assert pairs["app.kubernetes.io/part-of"] == "threads-agent"
    assert IMAGE_NAME in [image["name"] for image in kustomization.get("images", [])]


def test_every_manifest_is_a_single_kind_per_document_with_a_name():
    kinds = sorted(o["kind"] for o in _k8s_objects())
    assert kinds == sorted(
        [
            "ConfigMap",
            "Secret",
            "Deployment",
            "Deployment",
            "Service",
            "Service",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "Ingress",
        ]
    )
    names = [(o["kind"], o["metadata"]["name"]) for o in _k8s_objects()]
    assert len(names) == len(set(names))
    assert all("namespace" not in o["metadata"] for o in _k8s_objects()), "set the namespace at apply time"


def test_kubernetes_validate_bundles_the_chosen_version():
    bundled = {kubernetes_validate.utils.major_minor(v) for v in kubernetes_validate.utils.all_versions()}
    assert K8S_VERSION in bundled, f"kubernetes-validate no longer bundles {K8S_VERSION}: {sorted(bundled)}"


@pytest.mark.parametrize("obj", _k8s_objects(), ids=lambda o: f"{o['kind']}/{o['metadata']['name']}")
def test_manifest_validates_against_the_kubernetes_schema(obj):
    try:
        validated = kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
    except kubernetes_validate.ValidationError as exc:
        path = "/".join(str(p) for p in exc.path)
        pytest.fail(f"{obj['kind']}/{obj['metadata']['name']} at {path or '.'}: {exc.message}")
    assert validated == K8S_VERSION


def test_schema_validation_is_strict():
    """A misspelt field must fail, or the validation above proves little."""
    pdb = json.loads(json.dumps(_k8s("PodDisruptionBudget", DEPLOYMENT)))
    pdb["spec"]["minAvaliable"] = pdb["spec"].pop("minAvailable")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(pdb, K8S_VERSION, strict=True)


def test_configmap_names_are_real_settings_with_string_values():
    data = _configmap_data()
    unknown = set(data) - _known_app_variables()
    assert not unknown, f"ConfigMap sets unknown variables {sorted(unknown)}"
    # Kubernetes rejects non-string ConfigMap values (e.g. an unquoted 30 or false).
    assert all(isinstance(v, str) for v in data.values()), data
    assert "DASHBOARD_LOG_LEVEL" in data


def test_secret_holds_redis_url_and_only_real_settings():
    secret = _k8s("Secret", SECRET)
    assert secret.get("type", "Opaque") == "Opaque"
    data = _secret_data()
    assert "REDIS_URL" in data
    assert set(data) <= set(environment_variables()), f"Secret sets unknown variables {sorted(data)}"
    assert all(isinstance(v, str) for v in data.values())
    # An example only: no password in the repository.
    assert urlparse(data["REDIS_URL"]).password is None
    # With envFrom the later source silently wins: a name must live in one place only.
    assert not set(data) & set(_configmap_data()), "a variable is in both the ConfigMap and the Secret"


def test_deployment_env_names_are_real_settings_or_gunicorn_variables():
    _, container = _dashboard()
    names = set(_configmap_data()) | set(_secret_data())
    names |= {e["name"] for e in container.get("env", [])}
    unknown = names - _known_app_variables()
    assert not unknown, f"the dashboard pod gets variables nothing reads: {sorted(unknown)}"


def test_pod_settings_are_valid_and_use_the_shared_backends(monkeypatch):
    """Two replicas must see the same data: real backends and the shared Redis, no embedded store."""
    env = {k: v for k, v in _pod_environment().items() if k in environment_variables()}
    settings = _settings_from(env, monkeypatch)
    assert settings.achievement_api_url == BACKENDS["ACHIEVEMENT_API_URL"]
    assert settings.orchestrator_url == BACKENDS["ORCHESTRATOR_URL"]
    assert settings.tech_doc_api_url == BACKENDS["TECH_DOC_API_URL"]
    assert settings.redis_url is not None and settings.redis_url.startswith(("redis://", "rediss://"))
    assert settings.refresh_seconds >= 5
    assert settings.debug is False
    assert settings.auth == "proxy" and settings.trusted_proxies
    assert settings.log_level.upper() in {"INFO", "WARNING"}
    assert str(settings.data_dir) == "/data"


def test_redis_url_points_at_the_redis_service():
    url = urlparse(_secret_data()["REDIS_URL"])
    service = _k8s("Service", REDIS)
    assert url.scheme == "redis"
    assert url.hostname == service["metadata"]["name"]
    assert url.port in [p["port"] for p in service["spec"]["ports"]]


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


def test_deployment_replicas_image_and_config():
    deployment, container = _dashboard()
    assert deployment["spec"]["replicas"] >= 2
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert pod_labels == POD_LABELS
    assert _selects(deployment["spec"]["selector"]["matchLabels"], pod_labels)
    assert container["image"].split(":")[0] == IMAGE_NAME
    config_refs = [e["configMapRef"]["name"] for e in container["envFrom"] if "configMapRef" in e]
    secret_refs = [e["secretRef"]["name"] for e in container["envFrom"] if "secretRef" in e]
    assert config_refs == [CONFIGMAP]
    assert secret_refs == [SECRET]
    _k8s("ConfigMap", CONFIGMAP)  # exists
    _k8s("Secret", SECRET)  # exists
    # Rolling updates never drop below the desired count.
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_deployment_exposes_the_app_port_named_http():
    _, container = _dashboard()
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": APP_PORT}


@pytest.mark.parametrize(
    ("probe", "path"),
    [("readinessProbe", READY_PATH), ("livenessProbe", HEALTH_PATH), ("startupProbe", HEALTH_PATH)],
)
def test_deployment_probes(probe, path):
    _, container = _dashboard()
    get = container[probe]["httpGet"]
    assert get["path"] == path
    declared = {p["name"] for p in container["ports"]} | {p["containerPort"] for p in container["ports"]}
    assert get["port"] in declared


def test_liveness_is_more_patient_than_readiness():
    """Readiness takes a pod out quickly; liveness only restarts a really stuck one."""
    _, container = _dashboard()
    readiness, liveness = container["readinessProbe"], container["livenessProbe"]

    def window(probe):
        return probe.get("periodSeconds", 10) * probe.get("failureThreshold", 3)

    assert window(liveness) >= window(readiness)


def test_pod_template_has_prometheus_scrape_annotations():
    deployment, container = _dashboard()
    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/path"] == METRICS_PATH
    assert annotations["prometheus.io/port"] == str(container["ports"][0]["containerPort"])


def test_deployment_is_locked_down():
    deployment, container = _dashboard()
    assert _effective_security(deployment, container, "runAsNonRoot") is True
    assert _effective_security(deployment, container, "runAsUser") == APP_UID
    assert _effective_security(deployment, container, "readOnlyRootFilesystem") is True
    assert _effective_security(deployment, container, "allowPrivilegeEscalation") is False
    assert "ALL" in container["securityContext"]["capabilities"]["drop"]
    assert deployment["spec"]["template"]["spec"]["automountServiceAccountToken"] is False


def test_deployment_resources_are_bounded():
    _, container = _dashboard()
    requests, limits = container["resources"]["requests"], container["resources"]["limits"]
    assert 0 < _cpu(requests["cpu"]) <= _cpu(limits["cpu"])
    assert 0 < _memory(requests["memory"]) <= _memory(limits["memory"])


def test_deployment_volume_mounts_refer_to_declared_volumes():
    deployment = _k8s("Deployment", DEPLOYMENT)
    declared = {v["name"] for v in deployment["spec"]["template"]["spec"]["volumes"]}
    for container in deployment["spec"]["template"]["spec"]["containers"]:
        for mount in container.get("volumeMounts", []):
            assert mount["name"] in declared, f"volumeMount {mount['name']} has no volume"


def test_deployment_writes_only_to_emptydir_data_and_tmp():
    deployment, container = _dashboard()
    writable = _writable_paths(deployment, container)
    env = _pod_environment()
    # Exactly where something is written: the data dir (audit log, embedded store) and /tmp
    # (gunicorn heartbeats and control socket, the Prometheus multiprocess folder).
    assert writable == {env["DASHBOARD_DATA_DIR"], "/tmp"}
    assert _is_under(env["PROMETHEUS_MULTIPROC_DIR"], writable)
    assert env["PROMETHEUS_MULTIPROC_DIR"] == METRICS_DIR
    volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
    for mount in container["volumeMounts"]:
        volume = volumes[mount["name"]]
        # Per-pod scratch space only: a PersistentVolumeClaim would tie the Deployment to one replica.
        assert "emptyDir" in volume and "persistentVolumeClaim" not in volume
        assert "sizeLimit" in volume["emptyDir"]


def test_nothing_in_the_manifests_needs_a_single_replica():
    for obj in _k8s_objects():
        if obj["kind"] == "Deployment":
            volumes = obj["spec"]["template"]["spec"].get("volumes", [])
            assert not [v for v in volumes if "persistentVolumeClaim" in v or "hostPath" in v]
            if obj["metadata"]["name"] == DEPLOYMENT:
                assert obj["spec"].get("strategy", {}).get("type", "RollingUpdate") == "RollingUpdate"


def test_hpa_scales_the_dashboard_deployment_on_cpu():
    hpa = _k8s("HorizontalPodAutoscaler", DEPLOYMENT)
    assert hpa["apiVersion"] == "autoscaling/v2"
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["apiVersion"], target["kind"], target["name"]) == ("apps/v1", "Deployment", DEPLOYMENT)
    _k8s("Deployment", target["name"])  # exists
    assert hpa["spec"]["minReplicas"] >= 2
    assert hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
    deployment, container = _dashboard()
    assert hpa["spec"]["minReplicas"] <= deployment["spec"]["replicas"] <= hpa["spec"]["maxReplicas"]
    cpu = [m for m in hpa["spec"]["metrics"] if m["type"] == "Resource" and m["resource"]["name"] == "cpu"]
    assert len(cpu) == 1
    assert cpu[0]["resource"]["target"]["type"] == "Utilization"
    assert 0 < cpu[0]["resource"]["target"]["averageUtilization"] <= 100
    # Utilization is relative to the request: without one the HPA cannot compute it.
    assert _cpu(container["resources"]["requests"]["cpu"]) > 0


def test_pdb_selects_the_dashboard_pods_only():
    pdb = _k8s("PodDisruptionBudget", DEPLOYMENT)
    assert pdb["apiVersion"] == "policy/v1"
    assert pdb["spec"]["minAvailable"] == 1
    assert "maxUnavailable" not in pdb["spec"]
    selector = pdb["spec"]["selector"]["matchLabels"]
    assert _selects(selector, _k8s("Deployment", DEPLOYMENT)["spec"]["template"]["metadata"]["labels"])
    assert not _selects(selector, _k8s("Deployment", REDIS)["spec"]["template"]["metadata"]["labels"])
    # minAvailable must stay below the smallest replica count, or no drain can ever evict a pod.
    assert pdb["spec"]["minAvailable"] < _k8s("HorizontalPodAutoscaler", DEPLOYMENT)["spec"]["minReplicas"]


def test_every_service_targets_exactly_one_deployment_and_a_declared_port():
    deployments = _of_kind("Deployment")
    services = _of_kind("Service")
    assert {s["metadata"]["name"] for s in services} == {DEPLOYMENT, REDIS}
    for service in services:
        selector = service["spec"]["selector"]
        targets = [d for d in deployments if _selects(selector, d["spec"]["template"]["metadata"]["labels"])]
        assert len(targets) == 1, f"Service {service['metadata']['name']} selects {len(targets)} Deployments"
        ports = [p for c in targets[0]["spec"]["template"]["spec"]["containers"] for p in c["ports"]]
        declared = {p["name"] for p in ports} | {p["containerPort"] for p in ports}
        for port in service["spec"]["ports"]:
            assert port.get("targetPort", port["port"]) in declared


def test_dashboard_service_is_cluster_ip_on_port_80():
    service = _k8s("Service", DEPLOYMENT)
    assert service["spec"].get("type", "ClusterIP") == "ClusterIP"
    assert [(p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [(80, "http")]
    deployment = _k8s("Deployment", DEPLOYMENT)
    assert _selects(service["spec"]["selector"], deployment["spec"]["template"]["metadata"]["labels"])


def test_ingress_routes_the_example_host_to_the_dashboard_service():
    ingress = _k8s("Ingress", DEPLOYMENT)
    assert ingress["apiVersion"] == "networking.k8s.io/v1"
    rules = ingress["spec"]["rules"]
    assert [r["host"] for r in rules] == ["dashboard.example.com"]
    paths = rules[0]["http"]["paths"]
    assert [(p["path"], p["pathType"]) for p in paths] == [("/", "Prefix")]
    backend = paths[0]["backend"]["service"]
    service = _k8s("Service", backend["name"])
    assert backend["name"] == DEPLOYMENT
    service_ports = {p.get("name") for p in service["spec"]["ports"]} | {p["port"] for p in service["spec"]["ports"]}
    assert backend["port"].get("name", backend["port"].get("number")) in service_ports


def test_redis_deployment():
    deployment = _k8s("Deployment", REDIS)
    assert deployment["spec"]["replicas"] == 1
    container = _container(deployment, "redis")
    assert container["image"] == "redis:7-alpine"
    assert container["readinessProbe"]["exec"]["command"] == ["redis-cli", "ping"]
    assert _effective_security(deployment, container, "runAsNonRoot") is True
    assert _effective_security(deployment, container, "readOnlyRootFilesystem") is True
    declared = {v["name"] for v in deployment["spec"]["template"]["spec"]["volumes"]}
    assert {m["name"] for m in container.get("volumeMounts", [])} <= declared
    assert container["resources"]["limits"]["memory"]


def test_the_secret_key_is_never_in_the_repository_and_is_required():
    _, container = _dashboard()
    entry = next(e for e in container["env"] if e["name"] == "SECRET_KEY")
    ref = entry["valueFrom"]["secretKeyRef"]
    assert ref["name"] != SECRET and not ref.get("optional", False)
    assert "SECRET_KEY" not in _secret_data() and "SECRET_KEY" not in _configmap_data()
