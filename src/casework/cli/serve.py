"""`casework serve [--host 127.0.0.1] [--port 8000]`: the API (and later the web UI)."""

from __future__ import annotations

import typer

from casework.cli.main import app
from casework.config import UnsafeSettings, get_settings
from casework.errors import InvalidInput
from casework.jobs.worker import start_embedded_worker


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
) -> None:
    """Serve the API at /api (OpenAPI at /api/openapi.json).

    In production (CASEWORK_ENV=production) it refuses to start with the default secret
    key or without HTTPS settings. Unless CASEWORK_EMBEDDED_WORKER=false it also processes
    uploads in the background (as `casework worker` does).
    """
    settings = get_settings()
    try:
        settings.check_safe()
    except UnsafeSettings as error:
        raise InvalidInput(str(error)) from error
    import uvicorn

    from casework.api import create_app

    application = create_app(settings)
    embedded = start_embedded_worker(settings) if settings.embedded_worker else None
    scheme = "https" if settings.tls_certfile else "http"
    typer.echo(f"Casework API on {scheme}://{host}:{port}/api (Ctrl+C to stop)", err=True)
    try:
        uvicorn.run(
            application,
            host=host,
            port=port,
            ssl_certfile=str(settings.tls_certfile) if settings.tls_certfile else None,
            ssl_keyfile=str(settings.tls_keyfile) if settings.tls_keyfile else None,
            proxy_headers=False,
            server_header=False,
            log_level="info",
        )
    finally:
        if embedded is not None:
            embedded.stop()
