"""Every YAML deployment file passes the committed yamllint config, which is strict enough."""

from __future__ import annotations

import pytest
from yamllint import linter
from yamllint.config import YamlLintConfig

from tests.deploy.files import ROOT
from tests.deploy.k8s import K8S

# Linted files; .yamllint.yaml lints itself.
YAML_FILES = sorted(K8S.glob("*.yaml")) + [ROOT / "docker-compose.yml", ROOT / ".yamllint.yaml"]


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
