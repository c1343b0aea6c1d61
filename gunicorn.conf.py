"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py dashboard.wsgi:server`.

Every value can be changed from the environment (GUNICORN_* / WEB_CONCURRENCY / PORT), so the
same file serves a laptop, Docker and Kubernetes.
"""

import multiprocessing
import os
import shutil
import tempfile

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8050')}")

# gevent workers: callbacks mostly wait on backend HTTP calls and Redis, and a connection costs a
# greenlet, not a thread. With gthread (2 workers x 4 threads), 8 sockets that never finished
# their headers took every thread and /healthz answered 1 time in 7; here an idle socket waits
# cheaply and is dropped after `keepalive` seconds without a whole request. Processes give CPU
# parallelism for figure building. GUNICORN_WORKER_CLASS=gthread brings threads back.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gevent")
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))  # gthread only
# Open connections per gevent worker; past it, new ones wait in the listen backlog.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", 1000))

# A callback waits at most a few backend timeouts; 60 s leaves room without hiding a hang.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# SIGTERM: stop accepting, finish requests in flight for up to this long, then exit.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# Recycle workers now and then so a slow leak cannot grow without bound on a wall running for weeks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 2000))

# gunicorn believes X-Forwarded-Proto (and sets wsgi.url_scheme to https) only from these
# addresses; its own default is loopback, so any local client could claim HTTPS and get HSTS.
# None by default: the app decides HTTPS itself, from DASHBOARD_TRUSTED_PROXIES only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")

# Not preloaded: each worker builds its own app after the fork, so SQLite connections, the
# per-process decoded cache and Dash's first-request setup are never shared across a fork.
preload_app = False

# The app writes one JSON line per request (with its request id); gunicorn's own access log is
# off unless asked for, and then in JSON as well.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
access_log_format = (
    '{"ts": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, '
    '"bytes": "%(B)s", "duration_us": %(D)s, "request_id": "%({x-request-id}o)s"}'
)
errorlog = "-"
# gunicorn's control socket defaults to $HOME, which the container user lacks (read-only root).
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", os.path.join(tempfile.gettempdir(), "gunicorn.ctl"))
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# Prometheus: several worker processes write their metrics into one folder, and /metrics adds
# them up. The folder is emptied at start so counters from a previous run do not linger.
_metrics_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), "threads-dashboard-metrics")
)


def on_starting(server):
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    os.makedirs(_metrics_dir, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
