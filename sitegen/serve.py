"""The dev server: serves the last good build from a temporary folder, under the site's
base path, with live reload and an error overlay injected into served pages only."""

from __future__ import annotations

import json
import mimetypes
import shutil
import tempfile
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.build import BuildOptions, Reporter
from sitegen.config import load_config
from sitegen.errors import BuildFailed, SitegenError, UsageError
from sitegen.watch import DevBuilder, run_watch

EVENTS_PATH = "/__sitegen/events"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
    ".wasm": "application/wasm",
}

# Reloads after a complete, successful build; shows build errors over the page meanwhile.
LIVE_RELOAD = """<script>
(() => {
  const source = new EventSource("EVENTS_PATH");
  let overlay = null;
  source.addEventListener("reload", () => location.reload());
  source.addEventListener("builderror", (event) => {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "sitegen-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;background:#2b0b0b;color:#ffdede;font:14px/1.5 monospace;" +
        "padding:1rem 1.25rem;white-space:pre-wrap;box-shadow:0 2px 12px #0008";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "sitegen: the last change did not build; showing the last good " +
      "site.\\n\\n" + JSON.parse(event.data).join("\\n");
  });
})();
</script>
""".replace("EVENTS_PATH", EVENTS_PATH)


class BuildState:
    """What the server knows of the builds: a generation number that rises after every
    successful build, and the errors of the latest failed one."""

    def __init__(self) -> None:
        self.generation = 0
        self.errors: list[str] = []
        self.changed = threading.Condition()

    def succeeded(self) -> None:
        with self.changed:
            self.generation += 1
            self.errors = []
            self.changed.notify_all()

    def failed(self, errors: list[SitegenError]) -> None:
        with self.changed:
            self.errors = [str(error) for error in errors]
            self.changed.notify_all()


class DevServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site_dir: Path, base_path: str,
                 state: BuildState) -> None:
        self.site_dir = site_dir.resolve()
        self.base_path = base_path
        self.state = state
        self.stopping = threading.Event()
        super().__init__(address, DevHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{self.base_path}"

    def shutdown(self) -> None:
        self.stopping.set()
        with self.state.changed:
            self.state.changed.notify_all()
        super().shutdown()


def resolve_request(site_dir: Path, base_path: str, raw_path: str) -> Path | str | None:
    """Map a request path to a file of the site: a Path to serve, a str to redirect to,
    or None for a 404. The path is decoded once and must stay inside ``site_dir``."""
    path = urlsplit(raw_path).path
    if not path.startswith(base_path):
        return base_path if path in ("", "/") else None
    try:
        rel = unquote(path[len(base_path):], errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in rel or "\0" in rel:
        return None
    segments = rel.split("/")
    if any(segment in (".", "..") for segment in segments):
        return None
    target = site_dir.joinpath(*[s for s in segments if s])
    try:
        resolved = target.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(site_dir):
        return None
    if resolved.is_dir():
        if rel and not rel.endswith("/"):
            return path + "/"
        resolved = resolved / "index.html"
        if not resolved.is_file():
            return None
    return resolved if resolved.is_file() else None


class DevHandler(BaseHTTPRequestHandler):
    server: DevServer
    server_version = "sitegen"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass  # the terminal is for build messages

    def do_GET(self) -> None:  # noqa: N802 - stdlib's name
        self._respond(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(head=True)

    def _not_allowed(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed  # noqa: N815

    def _respond(self, head: bool) -> None:
        if urlsplit(self.path).path == EVENTS_PATH:
            self._events()
            return
        found = resolve_request(self.server.site_dir, self.server.base_path, self.path)
        if isinstance(found, str):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", found)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = HTTPStatus.OK
        if found is None:
            status = HTTPStatus.NOT_FOUND
            found = self.server.site_dir / "404.html"
            if not found.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
                return
        try:
            body = found.read_bytes()
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        content_type = CONTENT_TYPES.get(found.suffix.lower()) or (
            mimetypes.guess_type(found.name)[0] or "application/octet-stream")
        if content_type.startswith("text/html"):
            body = inject(body)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: "reload" after each successful build, "builderror" while the
        last build failed (sent at once to a page opened meanwhile)."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.server.state
        try:
            with state.changed:
                generation, errors = state.generation, list(state.errors)
            self._send_event("hello", str(generation))
            if errors:
                self._send_event("builderror", json.dumps(errors))
            while not self.server.stopping.is_set():
                with state.changed:
                    state.changed.wait(timeout=15)
                    now, now_errors = state.generation, list(state.errors)
                if now != generation:
                    generation = now
                    self._send_event("reload", str(now))
                elif now_errors and now_errors != errors:
                    self._send_event("builderror", json.dumps(now_errors))
                elif not self.server.stopping.is_set():
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                errors = now_errors
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return

    def _send_event(self, name: str, data: str) -> None:
        self.wfile.write(f"event: {name}\ndata: {data}\n\n".encode())
        self.wfile.flush()


def inject(html: bytes) -> bytes:
    """The live-reload script, before ``</body>`` (or at the end)."""
    script = LIVE_RELOAD.encode()
    index = html.lower().rfind(b"</body>")
    return html + script if index < 0 else html[:index] + script + html[index:]


PLACEHOLDER = b"""<!doctype html><html lang="en"><meta charset="utf-8">
<title>Not built yet</title><body><p>The site has not built yet: see the errors.</p></body>
</html>
"""


def serve(root: Path, options: BuildOptions, *, bind: str, port: int, poll: bool,
          say: Callable[[str], None], report: Callable[[list[SitegenError]], None],
          reporter: Reporter | None = None, stop: threading.Event | None = None,
          started: Callable[[DevServer], None] | None = None) -> None:
    """Build into a temporary folder, serve it, rebuild on change, reload the browsers.
    Returns on Ctrl-C (or ``stop``) with the temporary folder removed."""
    state = BuildState()
    scratch = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
    site_dir = scratch / "site"
    site_dir.mkdir()
    (site_dir / "404.html").write_bytes(PLACEHOLDER)
    server: DevServer | None = None
    serving = threading.Event()  # serve_forever runs (shutdown waits for it to end)
    try:
        base_path = _base_path(root, options)
        try:
            server = DevServer((bind, port), site_dir, base_path, state)
        except OSError as exc:
            raise UsageError(f"cannot listen on {bind}:{port}: {exc.strerror}; "
                             "choose another --port") from None
        say(f"Serving {server.url}")  # requests wait for the first build (see run_watch)

        def ready() -> None:
            assert server is not None
            threading.Thread(target=server.serve_forever, name="sitegen-server",
                             daemon=True).start()
            serving.set()
            if started:
                started(server)

        def after_build(dev: DevBuilder, changed: list[str]) -> None:
            assert server is not None
            if dev.last is not None:
                server.base_path = dev.last.config.base_path
            if changed or state.errors:
                state.succeeded()

        run_watch(root, options, site_dir, poll=poll, say=say, report=report,
                  reporter=reporter, stop=stop, after_build=after_build,
                  after_failure=lambda dev: state.failed(dev.errors), ready=ready)
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            if serving.is_set():
                server.shutdown()
            server.server_close()
        shutil.rmtree(scratch, ignore_errors=True)


def _base_path(root: Path, options: BuildOptions) -> str:
    try:
        config = load_config(root)
        if options.base_url is not None:
            config = config.with_base_url(options.base_url)
    except (BuildFailed, SitegenError):
        return "/"  # the build will report it; serve at the root meanwhile
    return config.base_path
