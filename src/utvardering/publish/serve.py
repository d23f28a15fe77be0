"""Preview the published site on localhost."""

from __future__ import annotations

import functools
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from utvardering.errors import ReportError

__all__ = ["make_server"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # requests are not logged to the terminal
        pass


class _PreviewServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A browser that closes the connection mid-download (a PDF it stopped reading, a
        page left) is no error of the site: it is not printed. Anything else is."""
        if isinstance(sys.exc_info()[1], ConnectionResetError | BrokenPipeError):
            return
        super().handle_error(request, client_address)


def make_server(site_dir: Path, port: int = 8000, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """An HTTP server for ``site_dir`` on ``host:port`` (port 0: any free port)."""
    if not (site_dir / "index.html").is_file():
        raise ReportError(
            f"Hittar ingen publicerad webbplats i {site_dir}. Kör först `utvardering publicera`."
        )
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    try:
        return _PreviewServer((host, port), handler)
    except OSError as exc:
        raise ReportError(
            f"Kan inte starta servern på {host}:{port}: {exc}. Välj en annan port med --port."
        ) from exc
