"""Preview the published site on localhost."""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from utvardering.errors import ReportError

__all__ = ["make_server"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # requests are not logged to the terminal
        pass


def make_server(site_dir: Path, port: int = 8000, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """An HTTP server for ``site_dir`` on ``host:port`` (port 0: any free port)."""
    if not (site_dir / "index.html").is_file():
        raise ReportError(
            f"Hittar ingen publicerad webbplats i {site_dir}. Kör först `utvardering publicera`."
        )
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    try:
        return ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise ReportError(
            f"Kan inte starta servern på {host}:{port}: {exc}. Välj en annan port med --port."
        ) from exc
