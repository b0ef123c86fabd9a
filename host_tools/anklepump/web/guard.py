"""What keeps the web app to this computer's browser: the Host it was opened by, a password
when it listens beyond this computer, and for every change a POST from its own pages, carrying
the token this run made (CSRF); a Content-Security-Policy that lets a page load nothing from
anywhere else."""

import base64
import binascii
import hmac
import secrets

from flask import Flask, Response, abort, request

# Pages load their style sheet and images from the app alone, and run no script.
POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class WebError(Exception):
    pass


def listen_address(text: str) -> tuple[str, int]:
    """'127.0.0.1:8765' -> ('127.0.0.1', 8765); '[::1]:8765' for IPv6; port 0: any free one."""
    host, sep, port = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise WebError(f"--listen wants ADDRESS:PORT, e.g. 127.0.0.1:8765, got {text!r}")
    return host, int(port)


def is_loopback(host: str) -> bool:
    return host in LOOPBACK


def guard(app: Flask, host: str, port: int, password: str | None) -> str:
    """Install the checks on `app` serving on host:port; the run's CSRF token."""
    token = secrets.token_urlsafe(32)
    names = {host, "localhost", "127.0.0.1"} if is_loopback(host) else {host}
    # A page of another site that names this address (DNS rebinding) sends its own Host.
    hosts = {f"{name}:{port}" for name in names} | {f"[{name}]:{port}" for name in names if ":" in name}

    @app.before_request
    def check():
        if request.host not in hosts:
            abort(421, "this app answers only at its own address")
        if password is not None and not _authorised(password):
            return Response(
                "the password is needed", 401, {"WWW-Authenticate": 'Basic realm="anklepump", charset="UTF-8"'}
            )
        if request.method == "POST":
            origin = request.headers.get("Origin")
            if origin is not None and origin != request.host_url.rstrip("/"):
                abort(403, "refused: the request came from another site")
            if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
                abort(403, "refused: the request came from another site")
            if not hmac.compare_digest(request.form.get("csrf", ""), token):
                abort(403, "refused: the page was not this app's (reload it and try again)")
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        # Health data: kept out of the browser's cache.
        response.headers["Cache-Control"] = "no-store"
        return response

    return token


def _authorised(password: str) -> bool:
    """HTTP basic authentication, any user name, this password."""
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        _, _, given = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return hmac.compare_digest(given.encode(), password.encode())
