"""Settings: defaults here, then ``instance/config.py``, then the environment.

Environment variables:
- ``DATABASE_URL``: SQLAlchemy URL; default an SQLite file in the instance folder.
- ``SECRET_KEY``: required when ``DLA_ENV=production``; in development a random key is
  generated once and kept in the instance folder.
- ``DLA_ENV``: ``development`` (default) or ``production`` (secure cookies, secret required).
- ``REDIS_URL``: storage for login throttling and the cache of pages and chart data, shared
  by several app servers (else memory: the throttle's counts and a bounded in-process cache in
  each process). ``DLA_CACHE_PREFIX``: prefix of the cache's Redis keys (default ``dla:``).
- ``DLA_RATELIMIT_PREFIX``: prefix of the throttle's Redis keys, for deployments that share
  one Redis (default none).
- ``DLA_PROXIES``: how many reverse proxies stand in front of the app (default 0); their
  ``X-Forwarded-*`` headers are trusted for the client address, scheme and host.
- ``DLA_TRUSTED_HOSTS``: comma-separated host names the app answers to (Flask's
  ``TRUSTED_HOSTS``; ``.example.nl`` also allows its subdomains); a request with another
  ``Host`` gets a 400. Default: any host (set it in production).
- ``DLA_SERVER_NAME``: the public host (``dla.example.nl``) of every absolute link the app
  makes (invitations, the werksessie join page), also outside a request (Flask's
  ``SERVER_NAME``); ``DLA_URL_SCHEME``: ``https`` (default in production) or ``http``.
- ``DLA_LOG_FORMAT``: ``json`` (default in production: one object per line on stdout) or
  ``text``; ``DLA_LOG_LEVEL`` (default ``INFO`` for the server, ``WARNING`` for ``flask``
  commands, whose stdout is their data and whose logs go to stderr); ``DLA_REQUEST_LOG``
  (``1``/``0``, one line per request; default on in production).
"""

import os
import secrets
from pathlib import Path


class Defaults:
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024  # a .docx upload at most; larger bodies get a 413
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024
    SEND_FILE_MAX_AGE_DEFAULT = 3600
    DLA_ENV = "development"
    WTF_I18N_ENABLED = False  # use WTForms' own (Dutch) translations
    RATELIMIT_STORAGE_URI = "memory://"
    # Redis unreachable: count in this process's memory instead of failing the request.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    DLA_PROXIES = 0
    # Cache of shared data and parts of pages, and of whole pages per viewer (dla.caching):
    # Redis when REDIS_URL is set, else two in-process caches per app process, bounded in
    # bytes (DLA_CACHE_BYTES, DLA_PAGE_CACHE_BYTES) and in entries (CACHE_THRESHOLD,
    # DLA_PAGE_CACHE_THRESHOLD); an entry above DLA_CACHE_ENTRY_LIMIT bytes is not stored
    # (README.md, "Caching").
    DLA_CACHE = True
    CACHE_THRESHOLD = 200
    DLA_CACHE_BYTES = 64_000_000
    DLA_PAGE_CACHE_THRESHOLD = 500
    DLA_PAGE_CACHE_BYTES = 64_000_000
    DLA_CACHE_ENTRY_LIMIT = 3_000_000
    CACHE_DEFAULT_TIMEOUT = 600
    CACHE_KEY_PREFIX = "dla:"
    DLA_LOG_FORMAT = None  # json in production, text otherwise
    DLA_LOG_LEVEL = None  # INFO for the server, WARNING while a flask command runs
    DLA_REQUEST_LOG = None  # on in production
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 14
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12


def normalise_database_url(url: str) -> str:
    """Accept the common ``postgres://`` and ``postgresql://`` forms; use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def load_environment(config: dict, instance_path: str) -> None:
    """Apply environment variables over what is already in ``config``."""
    env = os.environ
    if env.get("DLA_ENV"):
        config["DLA_ENV"] = env["DLA_ENV"]
    if env.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = env["DATABASE_URL"]
    if env.get("SECRET_KEY"):
        config["SECRET_KEY"] = env["SECRET_KEY"]
    if env.get("REDIS_URL"):
        config["RATELIMIT_STORAGE_URI"] = env["REDIS_URL"]
        config.setdefault("CACHE_REDIS_URL", env["REDIS_URL"])
    if env.get("DLA_CACHE_PREFIX"):
        config["CACHE_KEY_PREFIX"] = env["DLA_CACHE_PREFIX"]
    redis = bool(config.get("CACHE_REDIS_URL"))
    config.setdefault("CACHE_TYPE", "RedisCache" if redis else "dla.caching.store.BoundedCache")
    if config["CACHE_TYPE"] == "RedisCache":
        # A Redis that does not answer is a cache miss within a second, not a hanging request.
        config.setdefault("CACHE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1})
    if env.get("DLA_RATELIMIT_PREFIX"):
        config["RATELIMIT_KEY_PREFIX"] = env["DLA_RATELIMIT_PREFIX"]
    if env.get("DLA_PROXIES"):
        config["DLA_PROXIES"] = _integer("DLA_PROXIES", env["DLA_PROXIES"])
    if env.get("DLA_TRUSTED_HOSTS"):
        config["TRUSTED_HOSTS"] = _hosts(env["DLA_TRUSTED_HOSTS"])
    if env.get("DLA_SERVER_NAME"):
        config["SERVER_NAME"] = env["DLA_SERVER_NAME"].strip()
    if env.get("DLA_URL_SCHEME"):
        config["PREFERRED_URL_SCHEME"] = env["DLA_URL_SCHEME"].strip().lower()
    elif config["DLA_ENV"] == "production":
        config["PREFERRED_URL_SCHEME"] = "https"
    if config.get("PREFERRED_URL_SCHEME", "http") not in ("http", "https"):
        raise RuntimeError("DLA_URL_SCHEME must be 'http' or 'https'.")
    for name in ("DLA_LOG_FORMAT", "DLA_LOG_LEVEL"):
        if env.get(name):
            config[name] = env[name].strip()
    if env.get("DLA_REQUEST_LOG"):
        config["DLA_REQUEST_LOG"] = env["DLA_REQUEST_LOG"].strip().lower() in ("1", "true", "yes")
    production = config["DLA_ENV"] == "production"
    if config.get("DLA_LOG_FORMAT") is None:
        config["DLA_LOG_FORMAT"] = "json" if production else "text"
    if config["DLA_LOG_FORMAT"] not in ("json", "text"):
        raise RuntimeError("DLA_LOG_FORMAT must be 'json' or 'text'.")
    if config.get("DLA_REQUEST_LOG") is None:
        config["DLA_REQUEST_LOG"] = production
    config.setdefault(
        "SQLALCHEMY_DATABASE_URI", "sqlite:///" + str(Path(instance_path) / "dla.sqlite3")
    )
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if config["DLA_ENV"] == "production":
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True


def set_engine_options(config: dict) -> None:
    """PostgreSQL: a database that does not answer gives a 503 within seconds, not a hang."""
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options["connect_args"] = {"connect_timeout": 5, **options.get("connect_args", {})}
        config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _hosts(value: str) -> list[str]:
    """``"dla.example.nl, .example.nl"`` -> ``["dla.example.nl", ".example.nl"]``."""
    hosts = [host.strip().lower() for host in value.split(",") if host.strip()]
    if not hosts:
        raise RuntimeError("DLA_TRUSTED_HOSTS must name at least one host.")
    return hosts


def _integer(name: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise RuntimeError(f"{name} must be a whole number, not {value!r}.") from None
    if number < 0:
        raise RuntimeError(f"{name} must not be negative.")
    return number


def ensure_secret_key(config: dict, instance_path: str) -> None:
    """Refuse to run in production without SECRET_KEY; keep a local key in development."""
    if config.get("SECRET_KEY"):
        return
    if config["DLA_ENV"] == "production":
        raise RuntimeError("SECRET_KEY must be set in the environment when DLA_ENV=production.")
    key_file = Path(instance_path) / "secret_key"
    if key_file.exists():
        config["SECRET_KEY"] = key_file.read_text().strip()
        return
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    config["SECRET_KEY"] = key
