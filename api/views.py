"""The API's pages: personal tokens (settings), service tokens and webhooks (admin), and
the API reference, rendered from the OpenAPI document."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from api import tokens, webhooks
from api.forms import ServiceTokenForm, TokenForm, WebhookForm, scope_choices
from api.models import WebhookEndpoint
from portal import service as portal_service
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm, commit_or_show, form_status
from portal.inputs import paginate
from portal.permissions import (
    can_have_api_tokens,
    can_manage_service_tokens,
    can_manage_webhooks,
    permission_required,
)

bp = Blueprint("api", __name__, template_folder="templates")
DELIVERIES_PER_PAGE = 25


# ------------------------------------------------------------------ personal tokens
def _tokens_page(form: TokenForm, secret: str | None = None, status: int = 200):
    page = render_template(
        "api/tokens.html",
        form=form,
        tokens=tokens.personal_tokens(db.session, current_user),
        secret=secret,
        action_form=EmptyForm(),
    )
    return page, status


@bp.route("/settings/tokens", methods=["GET", "POST"])
@permission_required(can_have_api_tokens)
def personal_tokens():
    """The user's tokens; a new one's secret is on the answer to its POST, and nowhere else."""
    form = TokenForm()
    form.scopes.choices = scope_choices(admin=False)
    made = {}

    def create():
        made["token"], made["secret"] = tokens.create_token(
            db.session, current_user, name=form.name.data, scopes=form.scopes.data or []
        )

    if form.validate_on_submit() and commit_or_show(form, create):
        fresh = TokenForm(formdata=None)
        fresh.scopes.choices = scope_choices(admin=False)
        return _tokens_page(fresh, made["secret"], 201)
    return _tokens_page(form, status=form_status(form))


@bp.post("/settings/tokens/<int:token_id>/revoke")
@permission_required(can_have_api_tokens)
def revoke_personal_token(token_id: int):
    return _revoke(token_id, "api.personal_tokens")


def _revoke(token_id: int, back: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        token = tokens.revoke_token(db.session, current_user, token_id)
    except DomainError as error:
        db.session.rollback()
        abort(error.status_code, description=error.message)
    db.session.commit()
    flash(_("Token “%(name)s” revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for(back))


# ------------------------------------------------------------------ service tokens
def _service_page(form: ServiceTokenForm, secret: str | None = None, status: int = 200):
    page = render_template(
        "api/service_tokens.html",
        form=form,
        tokens=tokens.service_tokens(db.session),
        secret=secret,
        action_form=EmptyForm(),
    )
    return page, status


@bp.route("/admin/api-tokens", methods=["GET", "POST"])
@permission_required(can_manage_service_tokens)
def service_tokens():
    form = ServiceTokenForm()
    form.scopes.choices = scope_choices(admin=True)
    made = {}

    def create():
        username = (form.account.data or "").strip()
        account = portal_service.get_user_by_username(db.session, username) if username else None
        made["token"], made["secret"] = tokens.create_token(
            db.session,
            current_user,
            name=form.name.data,
            scopes=form.scopes.data or [],
            service_for=account or current_user._get_current_object(),
        )

    if form.validate_on_submit() and commit_or_show(form, create):
        fresh = ServiceTokenForm(formdata=None)
        fresh.scopes.choices = scope_choices(admin=True)
        return _service_page(fresh, made["secret"], 201)
    return _service_page(form, status=form_status(form))


@bp.post("/admin/api-tokens/<int:token_id>/revoke")
@permission_required(can_manage_service_tokens)
def revoke_service_token(token_id: int):
    return _revoke(token_id, "api.service_tokens")


# ------------------------------------------------------------------ webhooks
def _webhooks_page(form: WebhookForm, secret=None, created=None, status: int = 200):
    endpoints = db.session.scalars(db.select(WebhookEndpoint).order_by(WebhookEndpoint.id))
    page = render_template(
        "api/webhooks.html",
        form=form,
        endpoints=list(endpoints),
        secret=secret,
        created=created,
        events=webhooks.EVENTS,
    )
    return page, status


@bp.route("/admin/webhooks", methods=["GET", "POST"])
@permission_required(can_manage_webhooks)
def webhooks_index():
    form = WebhookForm()
    made = {}

    def create():
        made["endpoint"], made["secret"] = webhooks.create_endpoint(
            db.session,
            current_user,
            url=form.url.data,
            events=form.events.data or [],
            description=form.description.data or "",
        )

    if form.validate_on_submit() and commit_or_show(form, create):
        return _webhooks_page(WebhookForm(formdata=None), made["secret"], made["endpoint"], 201)
    return _webhooks_page(form, status=form_status(form))


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        abort(404)
    return endpoint


@bp.get("/admin/webhooks/<int:endpoint_id>")
@permission_required(can_manage_webhooks)
def webhook_detail(endpoint_id: int):
    """The endpoint and its deliveries, newest first, each replayable."""
    endpoint = _endpoint(endpoint_id)
    deliveries = paginate(webhooks.deliveries_of(endpoint), per_page=DELIVERIES_PER_PAGE)
    return render_template(
        "api/webhook.html",
        endpoint=endpoint,
        deliveries=deliveries,
        events=webhooks.EVENTS,
        action_form=EmptyForm(),
        pause_after=current_app.config["WEBHOOK_PAUSE_AFTER_FAILURES"],
    )


def _act(endpoint_id: int, action, message: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    endpoint = _endpoint(endpoint_id)
    action(endpoint)
    db.session.commit()
    flash(message, "success")
    return endpoint


@bp.post("/admin/webhooks/<int:endpoint_id>/resume")
@permission_required(can_manage_webhooks)
def resume_webhook(endpoint_id: int):
    resume = lambda e: webhooks.resume_endpoint(db.session, current_user, e)  # noqa: E731
    _act(endpoint_id, resume, _("Webhook resumed: new events are sent to it again."))
    return redirect(url_for("api.webhook_detail", endpoint_id=endpoint_id))


@bp.post("/admin/webhooks/<int:endpoint_id>/delete")
@permission_required(can_manage_webhooks)
def delete_webhook(endpoint_id: int):
    delete = lambda e: webhooks.delete_endpoint(db.session, current_user, e)  # noqa: E731
    _act(endpoint_id, delete, _("Webhook deleted, with its deliveries."))
    return redirect(url_for("api.webhooks_index"))


@bp.post("/admin/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/replay")
@permission_required(can_manage_webhooks)
def replay_delivery(endpoint_id: int, delivery_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    endpoint = _endpoint(endpoint_id)
    original = db.session.get(webhooks.WebhookDelivery, delivery_id)
    if original is None or original.endpoint_id != endpoint.id:
        abort(404)
    webhooks.replay(db.session, current_user, original.id)
    db.session.commit()
    flash(_("Delivery #%(id)s sent again, as a new delivery.", id=delivery_id), "success")
    return redirect(url_for("api.webhook_detail", endpoint_id=endpoint.id))


# ------------------------------------------------------------------ reference
@bp.get("/api/v1/docs")
def reference():
    """The API reference, rendered on the server from the OpenAPI document (no CDN, no JS)."""
    document = current_app.extensions["portal.api"].spec.to_dict()
    operations = [
        (path, method.upper(), operation)
        for path, item in document.get("paths", {}).items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    return render_template(
        "api/reference.html",
        document=document,
        operations=operations,
        schemas=document.get("components", {}).get("schemas", {}),
        scopes=tokens.SCOPES,
        events=webhooks.EVENTS,
    )
