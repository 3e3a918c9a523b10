"""The ``pixverse`` connection: forms it may take, what is refused on first use, and test_connection()."""

from __future__ import annotations

import http.server
import logging
import socket
import threading
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from pixverse_provider.api import Endpoint
from pixverse_provider.exceptions import PixVerseConfigurationError
from pixverse_provider.hooks import PixVerseHook
from pixverse_provider.hooks.settings import KNOWN_EXTRAS
from tests.integration.conftest import API_KEY, connection_json
from tests.integration.helpers import sent

try:  # Airflow 3.2+
    from airflow.sdk.exceptions import AirflowNotFoundException
except ImportError:  # Airflow 3.1
    from airflow.exceptions import AirflowNotFoundException  # type: ignore[no-redef]


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
        (connection_json("http://app-api.pixverse.ai"), "allow_insecure_http"),
        (connection_json("http://127.0.0.1:1", request_timeout="soon"), "extra 'request_timeout'"),
        (connection_json("http://127.0.0.1:1", connect_timeout=0), "extra 'connect_timeout'"),
        (connection_json("http://127.0.0.1:1", max_retries=-1), "extra 'max_retries'"),
        (connection_json("http://127.0.0.1:1", max_retries=1.5), "extra 'max_retries'"),
        (connection_json("http://127.0.0.1:1", allow_insecure_http="maybe"), "extra 'allow_insecure_http'"),
    ],
    ids=[
        "no-key",
        "ftp-url",
        "http-non-loopback",
        "timeout-text",
        "timeout-zero",
        "retries-negative",
        "retries-frac",
        "insecure-not-bool",
    ],
)
def test_bad_connection_fails_on_first_use_naming_conn_and_field(conn, named, monkeypatch, emulator) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", conn)
    hook = PixVerseHook()  # creating a hook reads nothing
    with pytest.raises(PixVerseConfigurationError) as err:
        hook.get_credit_balance()
    assert "pixverse_default" in str(err.value)
    assert named in str(err.value)
    assert emulator.counters()["requests_total"] == 0


def test_test_connection_of_an_unusable_connection_answers_naming_the_field(emulator, monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json("http://127.0.0.1:1", max_retries=-1))
    ok, message = PixVerseHook().test_connection()
    assert ok is False
    assert "pixverse_default" in message and "extra 'max_retries'" in message
    assert emulator.counters()["requests_total"] == 0


def test_creating_a_hook_does_not_look_the_connection_up(emulator) -> None:
    hook = PixVerseHook("missing_conn")
    assert "missing_conn" in repr(hook)
    with pytest.raises(AirflowNotFoundException, match="missing_conn"):
        hook.get_credit_balance()
    assert emulator.counters()["requests_total"] == 0


def test_settings_are_read_once_per_hook(emulator, monkeypatch) -> None:
    hook = PixVerseHook()
    hook.get_credit_balance()
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json("ftp://changed.example.com"))
    assert hook.get_credit_balance().total == 100_000  # the first use's settings are kept
    assert hook.settings.base_url == emulator.base_url


@pytest.mark.parametrize("flag", [True, "true", "True", 1])
def test_allow_insecure_http_permits_plain_http_to_a_named_service(flag, monkeypatch, caplog) -> None:
    monkeypatch.setenv(
        "AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json("http://pixverse-emulator:8787", allow_insecure_http=flag)
    )
    caplog.set_level(logging.WARNING)
    settings = PixVerseHook().settings
    assert settings.base_url == "http://pixverse-emulator:8787"
    assert settings.allow_insecure_http is True
    assert "plain http to pixverse-emulator" in caplog.text  # the risk is said, every time it is taken


def test_allow_insecure_http_in_the_uri_form(monkeypatch) -> None:
    uri = f"pixverse://:{quote(API_KEY)}@{quote('http://pixverse-emulator:8787', safe='')}?allow_insecure_http=true"
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", uri)
    assert PixVerseHook().settings.base_url == "http://pixverse-emulator:8787"


@pytest.mark.parametrize("flag", [False, "false", None])
def test_plain_http_to_a_named_service_is_refused_by_default(flag, monkeypatch) -> None:
    extra = {} if flag is None else {"allow_insecure_http": flag}
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json("http://pixverse-emulator:8787", **extra))
    with pytest.raises(PixVerseConfigurationError, match="plain http to pixverse-emulator"):
        PixVerseHook().get_credit_balance()


@pytest.mark.parametrize("typo", ["max_retry", "extra__pixverse__timeout"])
def test_an_unknown_extra_is_named_in_a_warning_without_its_value(typo, emulator, monkeypatch, caplog) -> None:
    value = "pv-looks-like-a-secret-93f1"
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(emulator.base_url, **{typo: value}))
    caplog.set_level(logging.WARNING)
    PixVerseHook().get_credit_balance()
    (warning,) = [r.getMessage() for r in caplog.records if "unknown extra" in r.getMessage()]
    assert repr(typo) in warning
    assert all(name in warning for name in KNOWN_EXTRAS)
    assert value not in caplog.text


def test_known_extras_raise_no_warning(emulator, monkeypatch, caplog) -> None:
    extra = {"request_timeout": 5, "extra__pixverse__connect_timeout": 5, "max_retries": 1}
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(emulator.base_url, **extra))
    caplog.set_level(logging.WARNING)
    PixVerseHook().get_credit_balance()
    assert "unknown extra" not in caplog.text


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


def refused_port() -> int:
    """A loopback port nothing listens on: bound to learn a free one, then closed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_test_connection_to_a_refused_port_answers_without_retrying(monkeypatch, caplog) -> None:
    base_url = f"http://127.0.0.1:{refused_port()}"
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(base_url, max_retries=5))
    caplog.set_level(logging.WARNING)
    ok, message = PixVerseHook().test_connection()
    assert ok is False
    assert message.startswith(f"Cannot reach PixVerse: nothing is listening at {base_url}: check the connection's")
    assert "retrying" not in caplog.text  # one attempt: a retry logs a warning first


def test_test_connection_makes_one_request_even_on_a_transient_error(emulator) -> None:
    emulator.inject(Endpoint.BALANCE.value, "status", count=5, status=503)
    ok, message = PixVerseHook(retry_wait=0.01).test_connection()
    assert ok is False
    assert "HTTP 503" in message
    assert sent(emulator, "GET", Endpoint.BALANCE) == 1


def test_tasks_keep_their_retries(emulator) -> None:
    emulator.inject(Endpoint.BALANCE.value, "status", count=2, status=503)
    assert PixVerseHook(retry_wait=0.01).get_credit_balance().total == 100_000
    assert sent(emulator, "GET", Endpoint.BALANCE) == 3


def test_test_connection_to_a_wrong_base_url_path(emulator, monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(emulator.base_url + "/v1"))
    ok, message = PixVerseHook().test_connection()
    assert ok is False
    assert f"{emulator.base_url}/v1{Endpoint.BALANCE.value} did not answer like the PixVerse API" in message
    assert "check the connection's Base URL" in message


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
