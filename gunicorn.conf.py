"""gunicorn settings read from the project root (`make run`).

Nothing slow or periodic runs in a web worker: e-mail, notifications and the escalation
sweep are jobs (`flask jobs worker`, which `make run` starts beside gunicorn), and the
embedding model lives in the encoder service that the jobs worker runs.
"""

# A request has this long before its worker is killed and replaced. Every page answers in
# milliseconds; what could take longer (mail, fan-out, index rebuilds) runs in the jobs
# worker, so 30 s only catches a request that hangs.
timeout = 30
# Keep-alive for a reverse proxy in front; no slow client ties a sync worker up for long.
keepalive = 5


def post_worker_init(worker) -> None:
    """Reach the search encoder and open the search index before the first request, so no
    visitor waits for them. The encoder is the machine's encoder service (run by the jobs
    worker): a web worker holds no copy of the model (SEARCH_ENCODER_SERVICE)."""
    from search.indexing import warm_up

    warm_up(worker.wsgi)
