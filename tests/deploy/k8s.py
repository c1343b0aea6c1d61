"""Reading the k8s/ manifests: the objects kustomization.yaml lists, the dashboard pod and its environment."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import yaml

from tests.deploy.files import ROOT, _dockerfile_env, _load_yaml

K8S = ROOT / "k8s"
DEPLOYMENT = "threads-dashboard"
CONFIGMAP = "threads-dashboard-config"
SECRET = "threads-dashboard-secrets"
REDIS = "threads-dashboard-redis"
POD_LABELS = {"app.kubernetes.io/name": "threads-dashboard", "app.kubernetes.io/component": "dashboard"}


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
