"""gunicorn settings read from the project root (`make run`).

The escalation sweep timer starts here, once per worker after it has loaded the app, and
only when CASES_SWEEP_INTERVAL_SECONDS > 0: never at import, in create_app, in the
`flask` CLI or in tests. Two workers sweeping at once is safe (see moderation/cases/sweep.py).
"""


def post_worker_init(worker) -> None:
    from moderation.cases.sweep import start_sweep_timer

    start_sweep_timer(worker.wsgi)
