"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py dashboard.wsgi:server`.

Every value can be changed from the environment (GUNICORN_* / WEB_CONCURRENCY / PORT), so the
same file serves a laptop, Docker and Kubernetes.
"""

import gc
import multiprocessing
import os
import shutil
import tempfile

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8050')}")

# gevent workers: callbacks mostly wait on backend HTTP calls and Redis, and a connection costs a
# greenlet, not a thread. With gthread (2 workers x 4 threads), 8 sockets that never finished
# their headers took every thread and /healthz answered 1 time in 7; here an idle socket waits
# cheaply and is dropped after `keepalive` seconds without a whole request. GUNICORN_WORKER_CLASS=
# gthread brings threads back.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gevent")
# One worker per two cores this process may run on (at least one, at most 8). gevent already
# overlaps the waiting inside a worker, so a process only adds CPU for building figures: a warm
# refresh costs ~3 ms, so one worker keeps up with a thousand screens at a 30 s refresh, and each
# more costs ~40 MB (bench/serving.py, 2 cores, after 10 browser visits: 1 worker 145 MB PSS,
# 2 workers 183 MB, the old 2 x cores + 1 = 5 workers 582 MB). The cores left over run Redis, a
# proxy, the backends. With preload a worker that dies is forked again in milliseconds. Set
# WEB_CONCURRENCY for more (the Docker image and the k8s manifests set 2).
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else multiprocessing.cpu_count()
workers = int(os.environ.get("WEB_CONCURRENCY", min(max(1, _cores // 2), 8)))
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

# Preloaded: the master builds the app once (imports, pages, Dash's first-request setup) and
# forks it, so the workers share that memory copy-on-write instead of each holding its own, and
# a worker is ready the moment it is forked: a restarted or recycled worker serves at once.
# Measured on 2 cores with 2 workers after 10 browser visits (bench/serving.py): 183 MB PSS and
# 2.4 s to the first page, against 582 MB and 3.9 s for 5 unshared workers. Before the fork the
# master closes what must not be shared (SQLite connections: dashboard.app.before_fork) and
# freezes its objects out of the collector's reach. GUNICORN_PRELOAD=0 builds one app per worker.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
if preload_app and worker_class == "gevent":
    # gevent must patch the standard library before anything imports it; the master imports
    # the whole app, so it patches first (the worker's own patch is then a no-op).
    from gevent import monkey

    monkey.patch_all()

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
# them up. The folder is emptied at start so counters from a previous run do not linger (the
# preloaded master's own files go too: it serves no request, and each worker writes its own).
_metrics_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), "threads-dashboard-metrics")
)
os.makedirs(_metrics_dir, exist_ok=True)  # the preloaded app's metrics need it before on_starting


def pre_fork(server, worker):
    if not preload_app:
        return
    from dashboard.app import before_fork

    before_fork(server.app.wsgi())
    # What the master holds now is never collected again: a worker's collector would otherwise
    # write to every shared object's header and copy the page it sits on.
    gc.freeze()


def on_starting(server):
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    os.makedirs(_metrics_dir, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
