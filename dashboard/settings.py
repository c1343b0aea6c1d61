"""All configuration, read from the environment in one place.

Every field is documented in the README's configuration table; the environment variable
names are the field aliases below. An invalid value stops start-up with a `SettingsError`
that names the variable and what it accepts.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Literal, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

REFRESH_FLOOR_SECONDS = 5
"""No screen may poll faster than this: a wall of TVs must not hammer the backends."""


@dataclass(frozen=True)
class BackendSettings:
    """The knobs of the layers below the web (services, sources, infra), as `Settings` reads them
    from DASHBOARD_... variables. Their defaults are stated here once: the settings take them, and
    parts built without settings (in tests) get the same."""

    probe_timeout_seconds: float = 2.0
    health_max_age_seconds: float = 2.0
    http_max_connections: int = 20
    http_max_keepalive: int = 10
    write_lock_margin_seconds: float = 1.0
    write_wait_seconds: float = 1.0
    submission_seconds: int = 86_400
    create_uncertain_seconds: int = 86_400
    create_done_seconds: int = 600


class SettingsError(RuntimeError):
    """The environment holds a value the dashboard cannot run with."""


def _env(name: str) -> AliasChoices:
    # Accept the env name and the field name, so tests and hosts can pass keyword arguments.
    return AliasChoices(name)


class Settings(BaseSettings):
    """The dashboard's settings. Environment variable names are the aliases."""

    model_config = SettingsConfigDict(populate_by_name=True, extra="ignore", frozen=True, env_ignore_empty=True)

    achievement_api_url: Optional[str] = Field(
        None,
        validation_alias=_env("ACHIEVEMENT_API_URL"),
        description="Base URL of achievement-collector; unset means the embedded store.",
    )
    orchestrator_url: Optional[str] = Field(
        None,
        validation_alias=_env("ORCHESTRATOR_URL"),
        description="Base URL of the orchestrator; unset means the embedded store.",
    )
    tech_doc_api_url: Optional[str] = Field(
        None,
        validation_alias=_env("TECH_DOC_API_URL"),
        description="Base URL of tech-doc-generator; unset means 'not available'.",
    )
    redis_url: Optional[str] = Field(
        None,
        validation_alias=_env("REDIS_URL"),
        description="Redis for the shared cache and fetch locks; unset means in-process.",
    )
    refresh_seconds: int = Field(
        30,
        ge=REFRESH_FLOOR_SECONDS,
        le=86_400,
        validation_alias=_env("DASHBOARD_REFRESH_SECONDS"),
        description="How often screens refresh (the ?refresh= parameter may change it).",
    )
    cache_ttl_seconds: float = Field(
        10.0,
        ge=0.0,
        le=86_400,
        validation_alias=_env("DASHBOARD_CACHE_TTL_SECONDS"),
        description="How long fetched data is fresh; 0 fetches on every read.",
    )
    live: Literal["auto", "on", "off"] = Field(
        "auto",
        validation_alias=_env("DASHBOARD_LIVE"),
        description=(
            "Push changes to open screens (Server-Sent Events at /api/live). auto: where the server holds"
            " a connection cheaply (gunicorn's gevent workers, the development server), else poll;"
            " true: on any server but gunicorn's thread workers; false: screens poll."
        ),
    )
    live_watch_seconds: Optional[float] = Field(
        None,
        ge=1.0,
        le=3_600,
        validation_alias=_env("DASHBOARD_LIVE_WATCH_SECONDS"),
        description="How often one process of all checks the backends for changes (default: the cache TTL, >= 2 s).",
    )
    live_heartbeat_seconds: float = Field(
        15.0,
        ge=1.0,
        le=60.0,
        validation_alias=_env("DASHBOARD_LIVE_HEARTBEAT_SECONDS"),
        description="Seconds between the live channel's heartbeats (proxies drop a silent connection).",
    )
    live_stream_seconds: float = Field(
        300.0,
        ge=5.0,
        le=3_600,
        validation_alias=_env("DASHBOARD_LIVE_STREAM_SECONDS"),
        description="How long one live connection lasts before the screen reconnects (and resumes where it was).",
    )
    live_max_connections: int = Field(
        900,
        ge=0,
        le=100_000,
        validation_alias=_env("DASHBOARD_LIVE_MAX_CONNECTIONS"),
        description="Open live connections per process; past it a screen polls on its interval.",
    )
    history_sample_seconds: float = Field(
        30.0,
        ge=0.0,
        le=3_600,
        validation_alias=_env("DASHBOARD_HISTORY_SAMPLE_SECONDS"),
        description="How often one process of all samples health and metrics for the 7-day history; 0: off.",
    )
    cache_enabled: bool = Field(
        True,
        validation_alias=_env("DASHBOARD_CACHE_ENABLED"),
        description="Off only to measure what the cache saves: every read then calls the backend.",
    )
    retry_backoff_seconds: float = Field(
        5.0,
        ge=0.0,
        le=3_600,
        validation_alias=_env("DASHBOARD_RETRY_BACKOFF_SECONDS"),
        description="After a failed fetch, wait this long before asking that backend again.",
    )
    data_dir: Path = Field(
        Path("data"),
        validation_alias=_env("DASHBOARD_DATA_DIR"),
        description="Folder of the embedded SQLite store (created and seeded on first start).",
    )
    assets_dir: Optional[Path] = Field(
        None,
        validation_alias=_env("DASHBOARD_ASSETS_DIR"),
        description="Folder of CSS/JS assets; defaults to the package's dashboard/ui/assets.",
    )
    http_timeout_seconds: float = Field(
        5.0,
        gt=0,
        le=120,
        validation_alias=_env("DASHBOARD_HTTP_TIMEOUT_SECONDS"),
        description="Read/write timeout of one backend request.",
    )
    http_connect_timeout_seconds: float = Field(
        2.0,
        gt=0,
        le=60,
        validation_alias=_env("DASHBOARD_HTTP_CONNECT_TIMEOUT_SECONDS"),
        description="Connect timeout of one backend request.",
    )
    backend_call_seconds: float = Field(
        10.0,
        gt=0,
        le=300,
        validation_alias=_env("DASHBOARD_BACKEND_CALL_SECONDS"),
        description="The most one backend request may take in all: connect, send and the whole answer "
        "(a service trickling bytes is cut off here; the timeouts above are per read).",
    )
    backend_read_seconds: float = Field(
        30.0,
        gt=0,
        le=600,
        validation_alias=_env("DASHBOARD_BACKEND_READ_SECONDS"),
        description="The most one read of a data set may take, every page of a paged list included; "
        "its fetch lock lasts 2 s longer, so a second read never starts beside a slow one.",
    )
    backend_max_bytes: int = Field(
        8 * 1024 * 1024,
        ge=64 * 1024,
        le=1024 * 1024 * 1024,
        validation_alias=_env("DASHBOARD_BACKEND_MAX_BYTES"),
        description="The most bytes one backend answer may hold; a larger one is dropped and shown as too large.",
    )
    wait_seconds: float = Field(
        4.0,
        gt=0,
        le=60,
        validation_alias=_env("DASHBOARD_WAIT_SECONDS"),
        description="The most a screen waits for a backend read; then it shows the data it has "
        '(or "still loading") and the read finishes in the background.',
    )
    # Below the web layer: Redis, the caches' locks, HTTP pools, probes, remembered writes, screens.
    redis_socket_timeout_seconds: float = Field(
        1.0,
        gt=0,
        le=60,
        validation_alias=_env("DASHBOARD_REDIS_SOCKET_TIMEOUT_SECONDS"),
        description="The most one Redis command may wait for its answer: a hung Redis costs a page this, not a tick.",
    )
    redis_connect_timeout_seconds: float = Field(
        1.0,
        gt=0,
        le=60,
        validation_alias=_env("DASHBOARD_REDIS_CONNECT_TIMEOUT_SECONDS"),
        description="The most a connection to Redis may take to open.",
    )
    redis_health_check_seconds: int = Field(
        30,
        ge=0,
        le=3600,
        validation_alias=_env("DASHBOARD_REDIS_HEALTH_CHECK_SECONDS"),
        description="A pooled Redis connection idle this long is checked (PING) before use; 0 never checks.",
    )
    cache_threshold: int = Field(
        1000,
        ge=10,
        le=1_000_000,
        validation_alias=_env("DASHBOARD_CACHE_THRESHOLD"),
        description="Entries the in-process cache (no Redis) holds before it drops old ones.",
    )
    cache_fallback_threshold: int = Field(
        2000,
        ge=10,
        le=1_000_000,
        validation_alias=_env("DASHBOARD_CACHE_FALLBACK_THRESHOLD"),
        description="Entries the in-process stand-in holds while Redis is left alone after a failure.",
    )
    fetch_lock_margin_seconds: float = Field(
        2.0,
        ge=0,
        le=60,
        validation_alias=_env("DASHBOARD_FETCH_LOCK_MARGIN_SECONDS"),
        description="A fetch lock outlives DASHBOARD_BACKEND_READ_SECONDS by this much: time to store the value.",
    )
    write_lock_margin_seconds: float = Field(
        BackendSettings.write_lock_margin_seconds,
        ge=0,
        le=60,
        validation_alias=_env("DASHBOARD_WRITE_LOCK_MARGIN_SECONDS"),
        description="A write lock lasts 4 × DASHBOARD_BACKEND_CALL_SECONDS (the calls made under it) plus this.",
    )
    write_wait_seconds: float = Field(
        BackendSettings.write_wait_seconds,
        gt=0,
        le=60,
        validation_alias=_env("DASHBOARD_WRITE_WAIT_SECONDS"),
        description="How long a save waits for another save of the same record before saying someone else is saving.",
    )
    http_max_connections: int = Field(
        BackendSettings.http_max_connections,
        ge=1,
        le=1000,
        validation_alias=_env("DASHBOARD_HTTP_MAX_CONNECTIONS"),
        description="Connections each backend's HTTP pool opens at most (per worker).",
    )
    http_max_keepalive: int = Field(
        BackendSettings.http_max_keepalive,
        ge=0,
        le=1000,
        validation_alias=_env("DASHBOARD_HTTP_MAX_KEEPALIVE"),
        description="Idle connections each backend's HTTP pool keeps open (per worker).",
    )
    probe_timeout_seconds: float = Field(
        BackendSettings.probe_timeout_seconds,
        gt=0,
        le=60,
        validation_alias=_env("DASHBOARD_PROBE_TIMEOUT_SECONDS"),
        description="A health check (GET /health) unanswered within this counts as down, whatever the data timeouts.",
    )
    health_max_age_seconds: float = Field(
        BackendSettings.health_max_age_seconds,
        gt=0,
        le=300,
        validation_alias=_env("DASHBOARD_HEALTH_MAX_AGE_SECONDS"),
        description="How old the System page's health checks may be (never older than the cache TTL).",
    )
    submission_seconds: int = Field(
        BackendSettings.submission_seconds,
        ge=60,
        le=30 * 86_400,
        validation_alias=_env("DASHBOARD_SUBMISSION_SECONDS"),
        description="How long a sent Generate form is remembered: the same submission again gets its outcome.",
    )
    create_uncertain_seconds: int = Field(
        BackendSettings.create_uncertain_seconds,
        ge=60,
        le=30 * 86_400,
        validation_alias=_env("DASHBOARD_CREATE_UNCERTAIN_SECONDS"),
        description="How long an add whose answer was lost is remembered: a retry looks for the row first.",
    )
    create_done_seconds: int = Field(
        BackendSettings.create_done_seconds,
        ge=0,
        le=86_400,
        validation_alias=_env("DASHBOARD_CREATE_DONE_SECONDS"),
        description="How long a successful add is remembered: the same form sent again gets the same achievement.",
    )
    screen_forget_seconds: int = Field(
        7 * 86_400,
        ge=60,
        le=366 * 86_400,
        validation_alias=_env("DASHBOARD_SCREEN_FORGET_SECONDS"),
        description="A screen silent this long leaves the list of screens.",
    )
    max_screens: int = Field(
        200,
        ge=1,
        le=100_000,
        validation_alias=_env("DASHBOARD_MAX_SCREENS"),
        description="Screens remembered at most (the oldest heartbeats go first).",
    )
    max_screens_per_actor: int = Field(
        50,
        ge=1,
        le=100_000,
        validation_alias=_env("DASHBOARD_MAX_SCREENS_PER_ACTOR"),
        description="Screens one signed-in user or token may register at most.",
    )
    max_request_bytes: int = Field(
        2 * 1024 * 1024,
        ge=64 * 1024,
        le=1024 * 1024 * 1024,
        validation_alias=_env("DASHBOARD_MAX_REQUEST_BYTES"),
        description="The largest request body accepted (413 above it). A callback's body is a few KB; "
        "the largest, an edit of 100,000 characters of text, under 1 MB.",
    )
    currency: str = Field(
        "USD",
        pattern=r"^[A-Za-z]{3}$",
        validation_alias=_env("DASHBOARD_CURRENCY"),
        description="ISO code of the money totals; amounts in other currencies are shown beside them, never added.",
    )
    timezone: str = Field(
        "UTC",
        max_length=64,
        validation_alias=_env("DASHBOARD_TIMEZONE"),
        description="IANA time zone (Europe/Paris) in which days, months and the time range are read "
        "and shown; each person can switch to UTC or the browser's own zone in the time-range picker.",
    )
    value_target: Optional[float] = Field(
        None,
        gt=0,
        le=1e15,
        validation_alias=_env("DASHBOARD_VALUE_TARGET"),
        description="Business value wanted per 30 days, in the dashboard's currency: the value cards "
        "turn green at it, amber from 80 %, red below (scaled to the range's length). Unset: no colours.",
    )
    impact_target: Optional[float] = Field(
        None,
        gt=0,
        le=100,
        validation_alias=_env("DASHBOARD_IMPACT_TARGET"),
        description="Average impact score wanted (0-100): the card turns green at it, amber within "
        "10 points, red below. Unset: no colours.",
    )
    clock_shift_seconds: float = Field(
        0.0,
        ge=-100 * 366 * 86_400,
        le=100 * 366 * 86_400,
        validation_alias=_env("DASHBOARD_CLOCK_SHIFT_SECONDS"),
        description="Moves the dashboard's clock (demos of another day, the suite's date runs); 0 = system clock.",
    )
    host: str = Field(
        "127.0.0.1",
        validation_alias=_env("HOST"),
        description="Interface of the development server (python -m dashboard).",
    )
    port: int = Field(8050, ge=1, le=65_535, validation_alias=_env("PORT"), description="Port to serve on.")
    build_id: Optional[str] = Field(
        None,
        validation_alias=_env("DASHBOARD_BUILD_ID"),
        description="Identifies a deployment (e.g. a git SHA); wallboards reload when it changes.",
    )
    wallboard_reload_hours: float = Field(
        12.0,
        ge=0.5,
        le=24 * 14,
        validation_alias=_env("DASHBOARD_WALLBOARD_RELOAD_HOURS"),
        description="Kiosk screens reload fully this often, shedding browser memory.",
    )
    stale_after_seconds: Optional[int] = Field(
        None,
        ge=10,
        validation_alias=_env("DASHBOARD_STALE_AFTER_SECONDS"),
        description="A tile whose data is older than this turns stale on screen (default 3 refreshes).",
    )
    frame_ancestors: str = Field(
        "'self'",
        validation_alias=_env("DASHBOARD_FRAME_ANCESTORS"),
        description="Who may frame the pages and embeds (CSP frame-ancestors): 'self', 'none' or origins.",
    )
    log_level: str = Field(
        "INFO",
        pattern=r"(?i)^(debug|info|warning|error|critical)$",
        validation_alias=_env("DASHBOARD_LOG_LEVEL"),
        description="Level of the JSON logs (debug, info, warning, error).",
    )
    debug: bool = Field(
        False,
        validation_alias=_env("DASHBOARD_DEBUG"),
        description="Dash dev tools and reloader; never in production.",
    )
    auth: Literal["none", "password", "proxy"] = Field(
        "none",
        validation_alias=_env("DASHBOARD_AUTH"),
        description="Who may use the dashboard: none (local use), password (users file) or proxy (trusted header).",
    )
    secret_key: Optional[SecretStr] = Field(
        None,
        validation_alias=_env("SECRET_KEY"),
        description="Signs sessions, CSRF and read-only tokens; required (32+ characters) when DASHBOARD_AUTH is on.",
    )
    users_file: Optional[Path] = Field(
        None,
        validation_alias=_env("DASHBOARD_USERS_FILE"),
        description="YAML users file for DASHBOARD_AUTH=password (names, password hashes, roles).",
    )
    trusted_proxies: str = Field(
        "",
        validation_alias=_env("DASHBOARD_TRUSTED_PROXIES"),
        description="Addresses/networks whose user and X-Forwarded-Proto headers are believed, e.g. 10.0.0.0/8.",
    )
    proxy_user_header: str = Field(
        "X-Forwarded-User",
        validation_alias=_env("DASHBOARD_PROXY_USER_HEADER"),
        description="Header naming the signed-in user (DASHBOARD_AUTH=proxy).",
    )
    proxy_groups_header: str = Field(
        "X-Forwarded-Groups",
        validation_alias=_env("DASHBOARD_PROXY_GROUPS_HEADER"),
        description="Header listing the user's groups, comma-separated (DASHBOARD_AUTH=proxy).",
    )
    role_groups: str = Field(
        "admin=dashboard-admins,editor=dashboard-editors",
        validation_alias=_env("DASHBOARD_ROLE_GROUPS"),
        description="Proxy groups that grant roles, role=group pairs; other signed-in users are viewers.",
    )
    session_hours: float = Field(
        12.0,
        gt=0,
        le=24 * 30,
        validation_alias=_env("DASHBOARD_SESSION_HOURS"),
        description="How long a sign-in lasts.",
    )
    cookie_secure: bool = Field(
        True,
        validation_alias=_env("DASHBOARD_COOKIE_SECURE"),
        description="Session cookies only over HTTPS; turn off only for plain-HTTP testing.",
    )
    read_token_hours: float = Field(
        24.0,
        ge=1,
        le=24 * 30,
        validation_alias=_env("DASHBOARD_READ_TOKEN_HOURS"),
        description="Lifetime of a read-only wallboard/embed token; open screens renew theirs at half-life.",
    )
    read_token_max_hours: float = Field(
        720.0,
        ge=1,
        le=24 * 366,
        validation_alias=_env("DASHBOARD_READ_TOKEN_MAX_HOURS"),
        description="How long after its first issue a read-only token can still be renewed (or its own "
        "lifetime, if longer); then the screen needs a new one.",
    )
    revoked_tokens: str = Field(
        "",
        validation_alias=_env("DASHBOARD_REVOKED_TOKENS"),
        description="Comma-separated names of read-only tokens that no longer work (rotate SECRET_KEY to revoke all).",
    )
    hsts_seconds: int = Field(
        31_536_000,
        ge=0,
        validation_alias=_env("DASHBOARD_HSTS_SECONDS"),
        description="Strict-Transport-Security max-age, sent on HTTPS requests only; 0 sends none.",
    )
    # The web side's limits (dashboard/web): sign-in throttling and the sign-in form's lifetime.
    login_attempts: int = Field(
        5,
        ge=1,
        le=1_000,
        validation_alias=_env("DASHBOARD_LOGIN_ATTEMPTS"),
        description="Sign-in attempts allowed per user name and address before a lock-out.",
    )
    login_lock_seconds: int = Field(
        300,
        ge=1,
        le=86_400,
        validation_alias=_env("DASHBOARD_LOGIN_LOCK_SECONDS"),
        description="How long a name and address stay locked out once their attempts are used up.",
    )
    login_form_seconds: int = Field(
        3_600,
        ge=60,
        le=86_400,
        validation_alias=_env("DASHBOARD_LOGIN_FORM_SECONDS"),
        description="How long a sign-in form stays valid (its CSRF cookie); then it asks to sign in again.",
    )

    def backend(self) -> BackendSettings:
        """The knobs the services, sources and infrastructure take through their constructors."""
        return BackendSettings(**{f.name: getattr(self, f.name) for f in fields(BackendSettings)})

    @field_validator("achievement_api_url", "orchestrator_url", "tech_doc_api_url")
    @classmethod
    def _http_url(cls, value: Optional[str]) -> Optional[str]:
        if value is None:
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")) or len(value) < len("http://x"):
            raise ValueError("must be an http:// or https:// URL, e.g. http://localhost:8000")
        return value

    @field_validator("live", mode="before")
    @classmethod
    def _live_mode(cls, value: object) -> object:
        """true/false as for every switch (1, yes, on…), or auto."""
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return "on"
        if text in ("0", "false", "no", "off"):
            return "off"
        return text or "auto"

    @field_validator("history_sample_seconds")
    @classmethod
    def _sample_interval(cls, value: float) -> float:
        if 0 < value < 5:
            raise ValueError("must be 0 (off) or at least 5 seconds: each sample probes every service")
        return value

    @field_validator("frame_ancestors")
    @classmethod
    def _frame_ancestors(cls, value: str) -> str:
        tokens = value.split()
        if not tokens:
            raise ValueError("must name at least one source, e.g. 'self'")
        for token in tokens:
            if token in ("'self'", "'none'"):
                continue
            if not token.startswith(("https://", "http://")) or any(c in token for c in ";,'\""):
                raise ValueError(f"{token!r} is not 'self', 'none' or an origin like https://intranet.example.com")
        if "'none'" in tokens and len(tokens) > 1:
            raise ValueError("'none' cannot be combined with other sources")
        return " ".join(tokens)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        name = value.strip()
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(f"{name!r} is not an IANA time zone, e.g. UTC or Europe/Paris") from None
        return name

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return value.upper()

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: Optional[str]) -> Optional[str]:
        if value is None:
            return None
        value = value.strip()
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a redis://, rediss:// or unix:// URL, e.g. redis://localhost:6379/0")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        for item in _split(value):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network, e.g. 10.0.0.0/8 or 127.0.0.1") from None
        return value

    @field_validator("role_groups")
    @classmethod
    def _role_groups(cls, value: str) -> str:
        for item in _split(value):
            role, _, group = item.partition("=")
            if role.strip().lower() not in ("viewer", "editor", "admin") or not group.strip():
                raise ValueError(f"{item!r} is not role=group with role viewer, editor or admin")
        return value

    @model_validator(mode="after")
    def _production_rules(self) -> "Settings":
        if self.auth == "none":
            return self
        key = self.secret_key.get_secret_value() if self.secret_key else ""
        if not key:
            raise ValueError(f"SECRET_KEY is required when DASHBOARD_AUTH={self.auth}")
        if len(key) < 32 or key.lower() in WEAK_SECRET_KEYS or len(set(key)) < 8:
            raise ValueError(
                "SECRET_KEY is too weak or a known default: use 32+ random characters, "
                "e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        if self.debug:
            raise ValueError("DASHBOARD_DEBUG cannot be on with authentication: dev tools expose the server")
        if self.auth == "password" and self.users_file is None:
            raise ValueError("DASHBOARD_USERS_FILE is required when DASHBOARD_AUTH=password")
        if self.auth == "proxy" and not _split(self.trusted_proxies):
            raise ValueError(
                "DASHBOARD_TRUSTED_PROXIES is required when DASHBOARD_AUTH=proxy: "
                "the user header is believed only from those addresses"
            )
        return self

    def role_for_groups(self) -> dict[str, str]:
        """Proxy group -> role name, from DASHBOARD_ROLE_GROUPS."""
        pairs = (item.partition("=") for item in _split(self.role_groups))
        return {group.strip(): role.strip().lower() for role, _, group in pairs}

    def proxy_networks(self) -> list:
        return [ipaddress.ip_network(item, strict=False) for item in _split(self.trusted_proxies)]

    def revoked_token_names(self) -> frozenset[str]:
        return frozenset(_split(self.revoked_tokens))


WEAK_SECRET_KEYS = {
    "changeme",
    "change-me",
    "secret",
    "dev",
    "development",
    "default",
    "please-change-me",
    "replace-me-with-a-long-random-string-in-production",
}


def _split(text: str) -> list[str]:
    return [item.strip() for item in str(text or "").split(",") if item.strip()]


def load_settings(**overrides) -> Settings:
    """Read settings from the environment (overrides win), or raise a readable SettingsError."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(_explain(exc)) from None
    if settings.debug:
        log.warning("DASHBOARD_DEBUG is on: dev tools are exposed; never run this in production")
    if settings.cache_ttl_seconds > settings.refresh_seconds * 4:
        log.warning(
            "DASHBOARD_CACHE_TTL_SECONDS=%s is far above DASHBOARD_REFRESH_SECONDS=%s: "
            "screens will show the same data for several refreshes",
            settings.cache_ttl_seconds,
            settings.refresh_seconds,
        )
    return settings


def _explain(exc: ValidationError) -> str:
    lines = ["Invalid dashboard configuration:"]
    for error in exc.errors():
        if not error["loc"]:  # a rule across several settings: its message names them
            lines.append("  " + error["msg"].removeprefix("Value error, "))
            continue
        name = str(error["loc"][0])
        field = Settings.model_fields.get(name)
        if field is not None and isinstance(field.validation_alias, AliasChoices):
            name = str(field.validation_alias.choices[0])
        else:
            name = name.upper()
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"  {name}={error.get('input')!r}: {message}")
    return "\n".join(lines)


def environment_variables() -> dict[str, str]:
    """Environment variable name -> description, for docs and the compose/k8s checks."""
    out = {}
    for field in Settings.model_fields.values():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            out[str(alias.choices[0])] = field.description or ""
    return out
