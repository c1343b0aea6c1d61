# syntax=docker/dockerfile:1
# Threads-Agent dashboard image.
#   docker build -t threads-agent-dashboard:latest .
#   docker run --rm -p 8050:8050 threads-agent-dashboard:latest
# BuildKit (the default since Docker 23) is required for the bind mount below.

# ---------------------------------------------------------------------------
# Stage 1: build wheels: the locked runtime dependencies, then the package.
# ---------------------------------------------------------------------------
FROM python:3.11-slim AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /build

# The lock first, alone: editing application code does not invalidate this (slow) layer.
# --require-hashes: exactly the versions and files that were tested (requirements/runtime.txt,
# made by `make lock`), never what the index offers on the day of the build.
COPY requirements/runtime.txt ./requirements/
RUN pip wheel --require-hashes --wheel-dir /wheels --requirement requirements/runtime.txt

# The package as a wheel of its own; its assets and data files travel inside it
# ([tool.setuptools.package-data]). --no-deps: the dependencies are the locked wheels above.
COPY pyproject.toml README.md ./
COPY dashboard/ ./dashboard/
RUN pip wheel --no-deps --wheel-dir /wheels .

# ---------------------------------------------------------------------------
# Stage 2: runtime.
# ---------------------------------------------------------------------------
FROM python:3.11-slim AS runtime

# `dashboard` is imported from its installed wheel (site-packages), assets included.
# DASHBOARD_DATA_DIR points the embedded SQLite store and the audit log at the volume.
# gunicorn.conf.py reads PORT, WEB_CONCURRENCY and GUNICORN_*. WEB_CONCURRENCY is
# fixed because gunicorn's default counts the host's CPUs, not the container's
# limit. The Prometheus folder is shared by the worker processes and must be
# writable: /tmp is writable in Docker and an emptyDir in Kubernetes, where the
# root file system is read-only. XDG_RUNTIME_DIR: gunicorn >= 25 opens its control
# socket there, otherwise under $HOME, which this user does not have.
# MALLOC_MMAP_THRESHOLD_: glibc serves blocks over 128 KB (figure JSON, grid pages)
# from mmap and returns them at once; with its default sliding threshold a worker's
# RSS kept creeping up in 2-3 MB steps over thousands of refreshes (bench/long_run.py).
ENV PYTHONDONTWRITEBYTECODE=1 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DASHBOARD_DATA_DIR=/data \
    PORT=8050 \
    WEB_CONCURRENCY=2 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/threads-dashboard-metrics \
    XDG_RUNTIME_DIR=/tmp

# Fixed numeric ids so Kubernetes' runAsNonRoot/runAsUser (k8s/deployment.yaml)
# and host volume permissions can rely on them.
RUN groupadd --system --gid 10001 dashboard \
 && useradd --system --uid 10001 --gid 10001 --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin dashboard

# Bind-mount the wheels instead of COPYing them: a COPY layer would keep the
# wheels in the image even after `rm`. --no-index: install exactly what the
# builder built from the lock (the package's wheel among them, non-editable),
# never reach the network here.
# Then the bundles a page loads are compressed once, here, at brotli's best quality
# (dashboard/web/precompress.py), instead of by each worker on its first request.
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-index --find-links=/wheels /wheels/*.whl \
 && python -m dashboard.web.precompress

WORKDIR /app

# Only gunicorn's config lives here (`-c gunicorn.conf.py` is relative to this
# folder); the code is the installed package. Owned by root (COPY's default): the
# app user can read but not modify it. Tests, benchmarks and manifests are
# deliberately left out.
COPY gunicorn.conf.py ./

# Create and chown /data *before* VOLUME: changes made to a volume path after
# the VOLUME instruction are discarded, and Docker seeds a new named volume
# with this directory's ownership.
RUN mkdir -p /data && chown 10001:10001 /data
VOLUME ["/data"]

USER 10001:10001

EXPOSE 8050

# python:3.11-slim has no curl/wget; urlopen raises on connection errors and
# on HTTP status >= 400, which makes the check fail. Liveness only (/healthz):
# a Redis outage must not get the container restarted.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; url = 'http://127.0.0.1:' + os.environ.get('PORT', '8050') + '/healthz'; sys.exit(0 if urllib.request.urlopen(url, timeout=4).status == 200 else 1)"]

# Exec form so gunicorn is PID 1 and receives SIGTERM for a graceful stop.
# Workers, threads, timeouts and the bind address (0.0.0.0:$PORT) are set in
# gunicorn.conf.py and can be changed from the environment.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "dashboard.wsgi:server"]
