"""The dead-letter list for admins: /admin/jobs and `flask jobs`."""

from sqlalchemy import select

from portal import jobs
from portal.jobs import Job, JobStatus, outbox
from portal.permissions import Role
from tests.factories import make_user
from tests.portal.jobs.conftest import FAILURES


def dead_job(db, app, note="doomed"):
    """A committed job that failed its only attempt."""
    app.config["JOBS_MAX_ATTEMPTS"], FAILURES["left"] = 1, 1
    try:
        job_id = jobs.enqueue(db.session, "tests.record", note=note)
        db.session.commit()
        outbox.run_job(job_id)
    finally:
        app.config["JOBS_MAX_ATTEMPTS"] = 12
    return job_id


def statuses(db):
    db.session.expire_all()
    return dict(db.session.execute(select(Job.id, Job.status)).all())


def test_only_admins_see_the_jobs_page(client, auth, db):
    for role in (Role.CUSTOMER, Role.MODERATOR, Role.AGENT):
        make_user(db.session, f"user-{role.value}", role=role)
    make_user(db.session, "ada", role=Role.ADMIN)
    db.session.commit()
    assert client.get("/admin/jobs/").status_code == 302  # visitors sign in first
    for role in (Role.CUSTOMER, Role.MODERATOR, Role.AGENT):
        auth.login(f"user-{role.value}")
        assert client.get("/admin/jobs/").status_code == 403
        assert client.post("/admin/jobs/purge").status_code == 403
        auth.logout()
    auth.login("ada")
    assert b"Background jobs" in client.get("/admin/jobs/").data


def test_admin_sees_a_dead_job_and_retries_then_purges(client, auth, db, app, queue, effect_rows):
    make_user(db.session, "ada", role=Role.ADMIN)
    first, second = dead_job(db, app, "one"), dead_job(db, app, "two")
    auth.login("ada")
    page = client.get("/admin/jobs/").data.decode()
    assert f"#{first}" in page and "tests.record" in page and "the server did not answer" in page
    response = client.post("/admin/jobs/retry", data={"job_id": str(first)})
    assert response.status_code == 302
    assert statuses(db) == {first: JobStatus.PENDING, second: JobStatus.DEAD}
    assert queue.pushed[-1] == first
    assert client.post("/admin/jobs/purge", data={"job_id": "nonsense"}).status_code == 400
    client.post("/admin/jobs/purge")  # every dead job
    assert statuses(db) == {first: JobStatus.PENDING}


def test_cli_lists_retries_and_purges(runner, db, app, queue, effect_rows):
    job_id = dead_job(db, app)
    listed = runner.invoke(args=["jobs", "list", "--dead"])
    assert "dead 1" in listed.output and f"#{job_id} dead tests.record" in listed.output
    assert "ConnectionError" in listed.output
    assert runner.invoke(args=["jobs", "retry"]).exit_code != 0  # says which
    assert "1 job handed" in runner.invoke(args=["jobs", "retry", str(job_id)]).output
    assert statuses(db) == {job_id: JobStatus.PENDING}
    other = dead_job(db, app)
    assert "1 dead job purged" in runner.invoke(args=["jobs", "purge", "--all-dead"]).output
    assert other not in statuses(db)


def test_the_jobs_page_speaks_the_admins_language(client, auth, db, app, queue):
    job_id = dead_job(db, app)
    make_user(db.session, "ada", role=Role.ADMIN, locale="fr")
    db.session.commit()
    auth.login("ada")
    page = client.get("/admin/jobs/").get_data(as_text=True)
    assert "<h1>Tâches en arrière-plan</h1>" in page
    assert "est retentée plus tard, jusqu’à 12 fois" in page  # JOBS_MAX_ATTEMPTS
    assert "<dt>En échec définitif</dt><dd>1</dd>" in page
    assert f'aria-label="Relancer la tâche n°\u00a0{job_id}">Relancer</button>' in page
    retried = client.post("/admin/jobs/retry", data={"job_id": str(job_id)}, follow_redirects=True)
    assert "1 tâche remise dans la file." in retried.get_data(as_text=True)
