"""`anklepump web`: serve the pages on this computer and open them in the browser."""

import getpass
import os
import webbrowser

from werkzeug.serving import make_server

from ..device.link import add_port_option
from ..store.database import add_db_option
from .guard import WebError, is_loopback, listen_address

PASSWORD_VARIABLE = "ANKLEPUMP_WEB_PASSWORD"


def password(args) -> str | None:
    if not args.password:
        return None
    given = os.environ.get(PASSWORD_VARIABLE) or getpass.getpass("password for the web pages: ")
    if not given:
        raise WebError("--password: the password is empty")
    return given


def run(args) -> int:
    from .app import create_app

    host, port = listen_address(args.listen)
    if not is_loopback(host) and not args.password:
        raise WebError(
            f"--listen {args.listen} lets other computers reach the patients' data: add --password"
            f" (asked for, or taken from {PASSWORD_VARIABLE})"
        )
    secret = password(args)
    try:
        # The port is bound before the app is made, so that port 0 is known by then.
        server = make_server(host, port, None, threaded=True)
    except OSError as exc:
        raise WebError(f"cannot listen on {args.listen}: {exc.strerror or exc}") from exc
    port = server.socket.getsockname()[1]
    server.app = create_app(args.db, args.port, host, port, secret)
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
    print(f"anklepump web: {url} (Ctrl-C stops it)", flush=True)
    if not is_loopback(host):
        print("anyone on the network who has the password can open it; the connection is not encrypted", flush=True)
    if not args.no_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


def register(commands) -> None:
    p = commands.add_parser("web", help="the caregiver's pages in the browser: devices, sync, report, settings")
    add_db_option(p)
    add_port_option(p)
    p.add_argument(
        "--listen",
        default="127.0.0.1:8765",
        metavar="ADDRESS:PORT",
        help="where to answer (default 127.0.0.1:8765, this computer only; another address needs --password)",
    )
    p.add_argument(
        "--password", action="store_true", help=f"ask every browser for a password (asked for, or {PASSWORD_VARIABLE})"
    )
    p.add_argument("--no-browser", action="store_true", help="do not open the browser")
    p.set_defaults(run=run)
