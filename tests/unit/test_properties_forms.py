"""Property tests of form fields and configuration (issue 6): the post editor, the Generate form,
the schedule time, and the environment. Any input gives a value or a clear, named refusal.
"""

from __future__ import annotations

import os
from datetime import datetime
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.outcomes import FieldProblem
from dashboard.services.content import posts as content
from dashboard.settings import Settings, SettingsError, environment_variables, load_settings
from tests.unit.test_properties_common import anything, covers, examples, url_text

NOW = datetime(2026, 3, 15, 12, 0)
form_values = st.one_of(
    anything,
    url_text,
    st.lists(st.one_of(url_text, st.integers(), st.floats()), max_size=4),
    st.sampled_from(
        ["", " ", "ai-engineer", "linkedin", "dev.to", "recent", "pick", "12", "$10,000", "-5", "1e400", "nan"]
    ),
)


def assert_form_errors(errors, fields) -> None:
    for error in errors:
        assert isinstance(error, FieldProblem)
        assert error.field in fields and error.message.strip() and error.accepted.strip()
        assert str(error).startswith(content.LABELS.get(error.field, error.field))


@given(form_values, form_values)
@examples(300)
@covers("dashboard.services.content.posts.validate_text")
def test_post_text_is_trimmed_text_or_refused_by_field(hook, body):
    values, errors = content.validate_text(hook, body)
    assert_form_errors(errors, {"hook", "body"})
    assert set(values) | {e.field for e in errors} == {"hook", "body"}
    assert 0 < len(values.get("hook", "x")) <= content.HOOK_MAX
    assert 0 < len(values.get("body", "x")) <= content.BODY_MAX


@given(
    st.dictionaries(
        st.sampled_from(["persona_id", "platforms", "draft_only", "mode", "picked", "min_value", "other"]),
        form_values,
        max_size=7,
    )
)
@examples(400)
@covers("dashboard.services.content.posts.parse_generate_form", "dashboard.services.content.posts.parse_amount")
def test_generate_form_gives_a_request_or_named_errors(form):
    request, errors = content.parse_generate_form(form)
    assert (request is None) == bool(errors)
    assert_form_errors(errors, set(content.LABELS))
    if request is not None:
        assert content.PERSONA_PATTERN.fullmatch(request.persona_id)
        assert request.platforms and set(request.platforms) <= set(content.CONTENT_PLATFORMS)
        assert request.mode in ("recent", "pick") and 0 <= len(request.picked) <= content.MAX_PICKED
        assert all(type(i) is int for i in request.picked)
        assert request.min_value >= 0 and request.min_value != float("inf")


@given(st.sampled_from(["12", "123", "7"]))
@examples(20)
@covers("dashboard.services.content.posts.parse_generate_form")
def test_one_picked_id_given_as_text_is_one_id(text):
    request, errors = content.parse_generate_form(
        {"persona_id": "ai-engineer", "platforms": ["linkedin"], "mode": "pick", "picked": text}
    )
    assert errors == [] and request.picked == (int(text),)


@given(
    st.one_of(
        form_values,
        st.datetimes(timezones=st.none() | st.timezones()).map(lambda d: d.isoformat()),
        st.sampled_from(["0001-01-01T00:00+05:00", "9999-12-31T23:59-05:00", "2026-03-15T12:00Z"]),
    )
)
@examples(300)
@covers("dashboard.services.content.posts._future_time")
def test_schedule_time_is_a_future_naive_utc_time_or_refused(raw):
    moment, error = content._future_time(raw, NOW)
    assert (moment is None) != (error is None)
    if moment is not None:
        assert moment.tzinfo is None and moment > NOW
    else:
        assert_form_errors([error], {"scheduled_at"})


ENV_NAMES = sorted(environment_variables())
env_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=24)
env_values = st.one_of(
    env_text,
    st.sampled_from(
        [
            "0",
            "-1",
            "1e400",
            "nan",
            "inf",
            "true",
            "maybe",
            "http://",
            "https://x.example",
            "redis://",
            "'self' https://a.example",
            "'none' 'self'",
            "99999999999999999999999",
            "5",
            "DEBUG",
        ]
    ),
)


@given(st.dictionaries(st.sampled_from(ENV_NAMES), env_values, max_size=4))
@examples(300)
@covers("dashboard.settings.load_settings", "dashboard.settings.Settings validators")
def test_any_environment_gives_settings_or_a_settings_error(env):
    clean = {name: value for name, value in os.environ.items() if name not in ENV_NAMES}
    with mock.patch.dict(os.environ, {**clean, **env}, clear=True):
        try:
            settings = load_settings()
        except SettingsError as exc:
            text = str(exc)
            assert text.startswith("Invalid dashboard configuration:")
            assert any(f"{name}=" in text for name in env) or "configuration" in text
            return
    assert isinstance(settings, Settings)
    assert settings.refresh_seconds >= 5
    for name in ("achievement_api_url", "orchestrator_url", "tech_doc_api_url"):
        url = getattr(settings, name)
        assert url is None or url.startswith(("http://", "https://"))
