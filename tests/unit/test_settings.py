import pytest

from dashboard.settings import Settings, SettingsError, environment_variables, load_settings


def test_defaults_run_on_the_embedded_store(monkeypatch):
    for name in environment_variables():
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.achievement_api_url is None and settings.redis_url is None
    assert settings.refresh_seconds == 30


def test_reads_the_environment(monkeypatch):
    monkeypatch.setenv("ACHIEVEMENT_API_URL", "http://collector:8000/")
    monkeypatch.setenv("DASHBOARD_REFRESH_SECONDS", "12")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/3")
    settings = load_settings()
    assert settings.achievement_api_url == "http://collector:8000"
    assert settings.refresh_seconds == 12
    assert settings.redis_url == "redis://cache:6379/3"


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("DASHBOARD_REFRESH_SECONDS", "2", "greater than or equal to 5"),
        ("DASHBOARD_REFRESH_SECONDS", "soon", "valid integer"),
        ("ACHIEVEMENT_API_URL", "collector:8000", "http:// or https:// URL"),
        ("REDIS_URL", "localhost:6379", "redis://"),
        ("DASHBOARD_HTTP_TIMEOUT_SECONDS", "0", "greater than 0"),
    ],
)
def test_invalid_value_names_the_variable(monkeypatch, name, value, says):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    message = str(info.value)
    assert f"{name}={value!r}" in message
    assert says in message


def test_keyword_overrides_use_field_names():
    assert Settings(refresh_seconds=7).refresh_seconds == 7


def test_every_field_is_documented():
    variables = environment_variables()
    assert "DASHBOARD_CACHE_TTL_SECONDS" in variables
    assert all(description for description in variables.values())


def test_every_setting_is_in_the_readme_table():
    from pathlib import Path

    from dashboard.settings import environment_variables

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    first_cells = " ".join(line.split("|")[1] for line in readme.splitlines() if line.startswith("| `"))
    missing = [name for name in environment_variables() if f"`{name}`" not in first_cells]
    assert not missing, f"settings missing from the README's configuration table: {missing}"
