"""The ``pixverse`` connection: forms it may take, what is refused at hook creation, and test_connection()."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from pixverse_provider.exceptions import PixVerseConfigurationError
from pixverse_provider.hooks import PixVerseHook
from tests.integration.conftest import API_KEY, connection_json


def test_uri_form_of_the_connection_works(emulator, monkeypatch) -> None:
    host_port = emulator.base_url.removeprefix("http://")
    # A bare host is taken as https; the emulator speaks http, so the URI carries the scheme in the host.
    uri = f"pixverse://:{quote(API_KEY)}@{quote('http://' + host_port, safe='')}"
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", uri)
    hook = PixVerseHook()
    assert hook.settings.base_url == emulator.base_url
    assert hook.get_credit_balance().total > 0


def test_default_base_url_is_pixverse(monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", '{"conn_type": "pixverse", "password": "k"}')
    assert PixVerseHook().settings.base_url == "https://app-api.pixverse.ai"


def test_bare_host_means_https(monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json("app-api.pixverseai.cn"))
    assert PixVerseHook().settings.base_url == "https://app-api.pixverseai.cn"


@pytest.mark.parametrize(
    ("conn", "named"),
    [
        ('{"conn_type": "pixverse", "host": "http://127.0.0.1:1"}', "API key is missing"),
        (connection_json("ftp://files.example.com"), "host (Base URL) must be an http(s) URL"),
        (connection_json("http://app-api.pixverse.ai"), "plain http"),
        (connection_json("http://127.0.0.1:1", request_timeout="soon"), "extra 'request_timeout'"),
        (connection_json("http://127.0.0.1:1", connect_timeout=0), "extra 'connect_timeout'"),
        (connection_json("http://127.0.0.1:1", max_retries=-1), "extra 'max_retries'"),
        (connection_json("http://127.0.0.1:1", max_retries=1.5), "extra 'max_retries'"),
    ],
    ids=["no-key", "ftp-url", "http-non-loopback", "timeout-text", "timeout-zero", "retries-negative", "retries-frac"],
)
def test_bad_connection_fails_at_hook_creation_naming_conn_and_field(conn, named, monkeypatch, emulator) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", conn)
    with pytest.raises(PixVerseConfigurationError) as err:
        PixVerseHook()
    assert "pixverse_default" in str(err.value)
    assert named in str(err.value)
    assert emulator.counters()["requests_total"] == 0


def test_test_connection_success(emulator) -> None:
    ok, message = PixVerseHook().test_connection()
    assert ok is True
    assert "100000 credits" in message


def test_test_connection_wrong_key(emulator, monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(emulator.base_url, api_key="wrong-key"))
    ok, message = PixVerseHook().test_connection()
    assert ok is False
    assert "refused the API key" in message
    assert "wrong-key" not in message


def test_test_connection_unreachable_host(monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json("http://127.0.0.1:9", max_retries=0))
    ok, message = PixVerseHook().test_connection()
    assert ok is False
    assert message.startswith("Cannot reach http://127.0.0.1:9")


@pytest.fixture
def not_pixverse() -> Iterator[str]:
    """A loopback web server that answers every request with an HTML page."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<html><body>Welcome to nginx!</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_test_connection_to_a_server_that_is_not_pixverse(not_pixverse, monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(not_pixverse))
    ok, message = PixVerseHook().test_connection()
    assert ok is False
    assert "did not answer like the PixVerse API" in message
