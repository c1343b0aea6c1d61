"""Consistency checks for the deployment files: Dockerfile, .dockerignore,
docker-compose.yml and the k8s/ manifests.

No Docker or cluster is needed: the files are parsed and cross-checked against
each other and against the settings the application really reads.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from dashboard.settings import environment_variables, load_settings

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "k8s"

APP_PORT = 8050
APP_UID = 10001
IMAGE_NAME = "threads-agent-dashboard"
HEALTH_PATH = "/healthz"
# The only things the image may contain from the repository.
SHIPPED = {"dashboard", "assets", "pyproject.toml", "README.md"}


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


def _container(deployment: dict, name: str) -> dict:
    containers = {c["name"]: c for c in deployment["spec"]["template"]["spec"]["containers"]}
    assert name in containers, f"{deployment['metadata']['name']} has no container {name!r}"
    return containers[name]


def _effective_security(deployment: dict, container: dict, key: str):
    """A container securityContext field, falling back to the pod-level one."""
    pod_ctx = deployment["spec"]["template"]["spec"].get("securityContext", {})
    return container.get("securityContext", {}).get(key, pod_ctx.get(key))


def _selects(selector: dict, labels: dict) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


_CPU = re.compile(r"^(\d+(?:\.\d+)?)(m?)$")
_MEMORY = re.compile(r"^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$")
_MEMORY_FACTOR = {
    None: 1, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12,
    "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40,
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
            if pattern.startswith("**/") and fnmatch.fnmatchcase(
                candidate.rsplit("/", 1)[-1], pattern[3:]
            ):
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


def _settings_from(env: dict[str, str], monkeypatch):
    for name in environment_variables():
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings()


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


def test_dockerfile_runs_as_the_fixed_non_root_user():
    users = _args(_final_stage(), "USER")
    assert users, "final stage has no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    # Numeric, so Kubernetes can verify runAsNonRoot; must match the manifests.
    assert user == str(APP_UID)


def test_dockerfile_environment():
    env = _dockerfile_env()
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["PYTHONUNBUFFERED"] == "1"
    assert env["PYTHONPATH"] == "/app"
    assert env["DASHBOARD_ASSETS_DIR"] == "/app/assets"
    assert env["DASHBOARD_DATA_DIR"] == "/data"
    assert _args(_final_stage(), "WORKDIR")[-1] == "/app"


def test_dockerfile_data_volume_is_prepared_before_it_is_declared():
    stage = _final_stage()
    volume_at = next(i for i, (inst, args) in enumerate(stage) if inst == "VOLUME")
    assert "/data" in _args(stage, "VOLUME")[0]
    chown_at = [
        i for i, (inst, args) in enumerate(stage)
        if inst == "RUN" and "chown" in args and "/data" in args
    ]
    assert chown_at and chown_at[0] < volume_at, "chown /data must come before VOLUME"
    assert f"{APP_UID}" in stage[chown_at[0]][1]


def test_dockerfile_exposes_the_app_port():
    exposed = " ".join(_args(_final_stage(), "EXPOSE")).split()
    assert str(APP_PORT) in exposed


def test_dockerfile_healthcheck_hits_healthz_without_curl():
    checks = _args(_final_stage(), "HEALTHCHECK")
    assert len(checks) == 1
    check = checks[0]
    assert f"http://127.0.0.1:{APP_PORT}{HEALTH_PATH}" in check
    assert "urllib" in check
    assert "curl" not in check and "wget" not in check


def test_dockerfile_cmd_is_gunicorn_serving_the_wsgi_app():
    cmds = _args(_final_stage(), "CMD")
    assert len(cmds) == 1
    cmd = json.loads(cmds[0])  # exec form: gunicorn must be PID 1 to get SIGTERM
    assert cmd[0] == "gunicorn"
    assert cmd[-1] == "dashboard.wsgi:server"
    assert cmd[cmd.index("--bind") + 1] == f"0.0.0.0:{APP_PORT}"
    assert int(cmd[cmd.index("--threads") + 1]) > 1


def test_dockerfile_copies_only_the_shipped_sources():
    copied = []
    for stage in _dockerfile_stages():
        for inst, args in stage:
            if inst in {"COPY", "ADD"} and "--from=" not in args:
                copied.extend(_copy_sources(args))
    tops = {Path(src).parts[0] for src in copied}
    assert tops <= SHIPPED, f"unexpected COPY sources: {sorted(tops - SHIPPED)}"
    assert {"dashboard", "assets"} <= tops
    assert not tops & {"tests", "bench", "k8s", ".", "data"}


def test_dockerignore_keeps_local_state_out_but_not_the_sources():
    for path in [".git", ".venv", "tests", "bench", "k8s", "data", "docs",
                 "dashboard/__pycache__", "threads_agent_dashboard.egg-info", ".pytest_cache"]:
        assert _ignored(path), f".dockerignore should exclude {path}"
    for path in sorted(SHIPPED) + ["dashboard/settings.py"]:
        assert not _ignored(path), f".dockerignore must not exclude {path} (COPY needs it)"


def test_shipped_sources_exist():
    for name in SHIPPED:
        assert (ROOT / name).exists(), f"{name} is copied into the image but missing"


# --------------------------------------------------------------------------- docker compose


def test_compose_redis_service_has_a_healthcheck():
    redis = _compose()["services"]["redis"]
    assert redis["image"].startswith("redis:7")
    test = redis["healthcheck"]["test"]
    test = " ".join(test) if isinstance(test, list) else test
    assert "redis-cli" in test and "ping" in test


def test_compose_dashboard_waits_for_healthy_redis():
    dashboard = _compose()["services"]["dashboard"]
    assert dashboard["depends_on"]["redis"]["condition"] == "service_healthy"
    assert dashboard["build"] in (".", {"context": "."})
    assert f"{APP_PORT}:{APP_PORT}" in [str(p) for p in dashboard["ports"]]


def test_compose_env_names_are_real_settings():
    known = set(environment_variables())
    for name, service in _compose()["services"].items():
        if name == "redis":
            continue
        unknown = set(_compose_environment(service)) - known
        assert not unknown, f"compose service {name} sets unknown variables {sorted(unknown)}"


def test_compose_redis_url_points_at_the_redis_service():
    compose = _compose()
    url = urlparse(_compose_environment(compose["services"]["dashboard"])["REDIS_URL"])
    assert url.scheme == "redis"
    assert url.hostname in compose["services"]
    assert url.hostname == "redis"
    assert url.port == 6379


def test_compose_backend_urls_default_to_the_embedded_store():
    env = _compose_environment(_compose()["services"]["dashboard"])
    for name in ["ACHIEVEMENT_API_URL", "ORCHESTRATOR_URL", "TECH_DOC_API_URL"]:
        assert env[name] == f"${{{name}:-}}", f"{name} should pass through with an empty default"


def test_compose_defaults_are_valid_settings(monkeypatch):
    env = _compose_environment(_compose()["services"]["dashboard"])
    settings = _settings_from({k: _compose_default(v) for k, v in env.items()}, monkeypatch)
    # Empty passthroughs must count as unset, i.e. the embedded store.
    assert settings.achievement_api_url is None
    assert settings.orchestrator_url is None
    assert settings.tech_doc_api_url is None
    assert settings.redis_url == "redis://redis:6379/0"


def test_compose_data_dir_is_a_named_volume():
    compose = _compose()
    dashboard = compose["services"]["dashboard"]
    data_dir = _compose_environment(dashboard).get("DASHBOARD_DATA_DIR") or _dockerfile_env()[
        "DASHBOARD_DATA_DIR"
    ]
    mounts = {}
    for volume in dashboard["volumes"]:
        source, target = (volume.split(":")[:2] if isinstance(volume, str)
                          else (volume["source"], volume["target"]))
        mounts[target] = source
    assert data_dir in mounts, f"{data_dir} is not mounted"
    assert mounts[data_dir] in (compose.get("volumes") or {}), "data volume is not declared"


# --------------------------------------------------------------------------- Kubernetes


def test_kustomization_lists_every_manifest_and_only_existing_ones():
    kustomization = _load_yaml(K8S / "kustomization.yaml")
    listed = kustomization["resources"]
    assert len(listed) == len(set(listed))
    for name in listed:
        assert (K8S / name).is_file(), f"kustomization lists missing file {name}"
    on_disk = {p.name for p in K8S.glob("*.y*ml")} - {"kustomization.yaml"}
    assert on_disk == set(listed), f"manifests not in kustomization: {sorted(on_disk - set(listed))}"


def test_kustomization_adds_the_part_of_label():
    kustomization = _load_yaml(K8S / "kustomization.yaml")
    pairs = {}
    for entry in kustomization.get("labels", []):
        pairs.update(entry["pairs"])
    pairs.update(kustomization.get("commonLabels", {}))
    assert pairs["app.kubernetes.io/part-of"] == "threads-agent"
    assert IMAGE_NAME in [image["name"] for image in kustomization.get("images", [])]


def test_configmap_names_are_real_settings_with_string_values():
    data = _k8s("ConfigMap", "threads-dashboard-config")["data"]
    unknown = set(data) - set(environment_variables())
    assert not unknown, f"ConfigMap sets unknown variables {sorted(unknown)}"
    # Kubernetes rejects non-string ConfigMap values (e.g. an unquoted 30 or false).
    assert all(isinstance(v, str) for v in data.values()), data


def test_configmap_values_are_valid_settings(monkeypatch):
    data = _k8s("ConfigMap", "threads-dashboard-config")["data"]
    settings = _settings_from(data, monkeypatch)
    assert settings.refresh_seconds >= 5
    assert settings.debug is False
    assert str(settings.data_dir) == "/data"


def test_configmap_redis_url_points_at_the_redis_service():
    data = _k8s("ConfigMap", "threads-dashboard-config")["data"]
    url = urlparse(data["REDIS_URL"])
    service = _k8s("Service", "threads-dashboard-redis")
    assert url.scheme == "redis"
    assert url.hostname == service["metadata"]["name"]
    assert url.port in [p["port"] for p in service["spec"]["ports"]]


def test_deployment_replicas_image_and_config():
    deployment = _k8s("Deployment", "threads-dashboard")
    assert deployment["spec"]["replicas"] >= 2
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert _selects(deployment["spec"]["selector"]["matchLabels"], pod_labels)
    container = _container(deployment, "dashboard")
    assert container["image"].split(":")[0] == IMAGE_NAME
    config_refs = [e["configMapRef"]["name"] for e in container["envFrom"] if "configMapRef" in e]
    assert config_refs == ["threads-dashboard-config"]
    _k8s("ConfigMap", config_refs[0])  # exists


def test_deployment_exposes_the_app_port_named_http():
    container = _container(_k8s("Deployment", "threads-dashboard"), "dashboard")
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": APP_PORT}


@pytest.mark.parametrize("probe", ["readinessProbe", "livenessProbe"])
def test_deployment_probes_hit_healthz(probe):
    container = _container(_k8s("Deployment", "threads-dashboard"), "dashboard")
    get = container[probe]["httpGet"]
    assert get["path"] == HEALTH_PATH
    declared = {p["name"] for p in container["ports"]} | {p["containerPort"] for p in container["ports"]}
    assert get["port"] in declared


def test_deployment_is_locked_down():
    deployment = _k8s("Deployment", "threads-dashboard")
    container = _container(deployment, "dashboard")
    assert _effective_security(deployment, container, "runAsNonRoot") is True
    assert _effective_security(deployment, container, "runAsUser") == APP_UID
    assert _effective_security(deployment, container, "readOnlyRootFilesystem") is True
    assert _effective_security(deployment, container, "allowPrivilegeEscalation") is False
    assert "ALL" in container["securityContext"]["capabilities"]["drop"]


def test_deployment_resources_are_bounded():
    container = _container(_k8s("Deployment", "threads-dashboard"), "dashboard")
    requests, limits = container["resources"]["requests"], container["resources"]["limits"]
    assert 0 < _cpu(requests["cpu"]) <= _cpu(limits["cpu"])
    assert 0 < _memory(requests["memory"]) <= _memory(limits["memory"])


def test_deployment_volume_mounts_refer_to_declared_volumes():
    deployment = _k8s("Deployment", "threads-dashboard")
    declared = {v["name"] for v in deployment["spec"]["template"]["spec"]["volumes"]}
    for container in deployment["spec"]["template"]["spec"]["containers"]:
        for mount in container.get("volumeMounts", []):
            assert mount["name"] in declared, f"volumeMount {mount['name']} has no volume"


def test_deployment_has_writable_data_and_tmp_on_a_read_only_root():
    deployment = _k8s("Deployment", "threads-dashboard")
    container = _container(deployment, "dashboard")
    writable = {m["mountPath"] for m in container["volumeMounts"] if not m.get("readOnly")}
    data_dir = _k8s("ConfigMap", "threads-dashboard-config")["data"]["DASHBOARD_DATA_DIR"]
    assert data_dir in writable
    assert "/tmp" in writable  # gunicorn's worker heartbeat files


def test_every_service_targets_exactly_one_deployment_and_a_declared_port():
    deployments = [o for o in _k8s_objects() if o["kind"] == "Deployment"]
    services = [o for o in _k8s_objects() if o["kind"] == "Service"]
    assert {s["metadata"]["name"] for s in services} == {"threads-dashboard", "threads-dashboard-redis"}
    for service in services:
        selector = service["spec"]["selector"]
        targets = [d for d in deployments
                   if _selects(selector, d["spec"]["template"]["metadata"]["labels"])]
        assert len(targets) == 1, f"Service {service['metadata']['name']} selects {len(targets)} Deployments"
        ports = [p for c in targets[0]["spec"]["template"]["spec"]["containers"] for p in c["ports"]]
        declared = {p["name"] for p in ports} | {p["containerPort"] for p in ports}
        for port in service["spec"]["ports"]:
            assert port.get("targetPort", port["port"]) in declared


def test_dashboard_service_is_cluster_ip_on_port_80():
    service = _k8s("Service", "threads-dashboard")
    assert service["spec"].get("type", "ClusterIP") == "ClusterIP"
    assert [(p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [(80, "http")]
    deployment = _k8s("Deployment", "threads-dashboard")
    assert _selects(service["spec"]["selector"], deployment["spec"]["template"]["metadata"]["labels"])


def test_redis_deployment():
    deployment = _k8s("Deployment", "threads-dashboard-redis")
    assert deployment["spec"]["replicas"] == 1
    container = _container(deployment, "redis")
    assert container["image"] == "redis:7-alpine"
    assert container["readinessProbe"]["exec"]["command"] == ["redis-cli", "ping"]
    assert _effective_security(deployment, container, "runAsNonRoot") is True
    declared = {v["name"] for v in deployment["spec"]["template"]["spec"]["volumes"]}
    assert {m["name"] for m in container.get("volumeMounts", [])} <= declared
