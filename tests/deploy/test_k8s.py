"""The k8s/ manifests: valid against the Kubernetes schemas (offline), consistent with each other and with the image."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import kubernetes_validate
import pytest

from dashboard.settings import environment_variables
from tests.deploy.files import (
    APP_PORT,
    APP_UID,
    BACKENDS,
    HEALTH_PATH,
    IMAGE_NAME,
    METRICS_DIR,
    READY_PATH,
    _known_app_variables,
    _load_yaml,
    _settings_from,
)
from tests.deploy.k8s import (
    CONFIGMAP,
    DEPLOYMENT,
    K8S,
    POD_LABELS,
    REDIS,
    SECRET,
    _configmap_data,
    _container,
    _cpu,
    _dashboard,
    _effective_security,
    _is_under,
    _k8s,
    _k8s_objects,
    _memory,
    _of_kind,
    _pod_environment,
    _secret_data,
    _selects,
    _writable_paths,
)

# One recent Kubernetes release whose schemas kubernetes-validate bundles.
K8S_VERSION = "1.32"
METRICS_PATH = "/metrics"


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
