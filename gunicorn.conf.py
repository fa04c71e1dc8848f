"""gunicorn settings read from the project root (`make run`).

Nothing slow or periodic runs in a web worker: e-mail, notifications and the escalation
sweep are jobs (`flask jobs worker`, which `make run` starts beside gunicorn).
"""

# A request has this long before its worker is killed and replaced. Every page answers in
# milliseconds; what could take longer (mail, fan-out, index rebuilds) runs in the jobs
# worker, so 30 s only catches a request that hangs.
timeout = 30
# Keep-alive for a reverse proxy in front; no slow client ties a sync worker up for long.
keepalive = 5


def post_worker_init(worker) -> None:
    """Load the embedding model and open the search index before the first request, so no
    visitor waits seconds for them."""
    from search.indexing import warm_up

    warm_up(worker.wsgi)
