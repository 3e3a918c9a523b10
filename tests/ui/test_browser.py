"""What a person sees: Debian's chromium, driven by Selenium, loads the view inside Airflow's own UI as a
logged-in user (the ``_token`` session cookie Airflow's login sets) and checks that the videos play, the filters
work, the task-instance tab shows that task's video, the chart renders, a prompt made of HTML shows as text,
and an anonymous browser is refused. It also takes the screenshots of docs/ui.rst: into a temporary folder,
or, to refresh the docs' copies, into the folder named by ``PIXVERSE_SCREENSHOT_DIR``::

    PIXVERSE_SCREENSHOT_DIR=docs/_static/ui AIRFLOW_HOME=.airflow/3.3.2 .venv/bin/pytest tests/ui/test_browser.py

(A test run never rewrites tracked files by itself.)"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from scripts import headless_chromium
from tests.ui.dags.ui_dags import XSS_PROMPT
from tests.ui.deployment import UiDeployment

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed in this venv (the 'deployment' extra of the newest one)"
)
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not (shutil.which("chromium") and shutil.which("chromedriver")),
        reason="needs Debian's chromium and chromium-driver (make system-packages)",
    ),
]
SCREENSHOTS = Path(os.environ.get("PIXVERSE_SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "pixverse-ui-screenshots")
CHROMIUM_FLAGS = [*headless_chromium.FLAGS, "--autoplay-policy=no-user-gesture-required"]
PLAYS = "return [...document.querySelectorAll('video')].map(v => [v.readyState, v.duration])"


def new_browser(ui: UiDeployment, user: str | None) -> Any:
    options = webdriver.ChromeOptions()
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='pixverse-ui-chromium-')}")
    options.binary_location = shutil.which("chromium")
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(120)
    if user is not None:
        driver.get(f"{ui.api}/api/v2/version")  # a page of the origin, to set its cookie
        driver.add_cookie({"name": "_token", "value": ui.token(user), "path": "/"})
    return driver


@pytest.fixture(scope="module")
def admin(ui: UiDeployment) -> Iterator[Any]:
    driver = new_browser(ui, "admin")
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver: Any, condition: Callable[[Any], Any], what: str, timeout: float = 90) -> Any:
    return WebDriverWait(driver, timeout, poll_frequency=0.5).until(condition, what)


def open_in_airflow(driver: Any, ui: UiDeployment, path: str) -> None:
    """Open an Airflow UI page that frames the view, and move into the view's frame once it has drawn."""
    driver.switch_to.default_content()
    driver.get(f"{ui.api}{path}")
    frame = wait(driver, lambda d: d.find_element("css selector", "iframe[src*='/pixverse/']"), "the view's frame")
    driver.switch_to.frame(frame)
    wait(driver, lambda d: d.find_element("id", "summary").text not in ("", "Loading…"), "the view to load")


def shown(driver: Any, attribute: str) -> list[str]:
    return [a.get_attribute(attribute) for a in driver.find_elements("css selector", "article.video")]


def all_play(driver: Any) -> bool:
    states = driver.execute_script(PLAYS)
    return bool(states) and all(ready >= 2 and duration and duration > 0 for ready, duration in states)


def filtered(driver: Any, **values: str) -> list[str]:
    """Set the filters (the rest cleared) and wait for the page to redraw; returns the shown videos' DAGs."""
    driver.find_element("id", "f-clear").click()
    for name, value in values.items():
        driver.execute_script(
            "const f = document.getElementById(arguments[0]); f.value = arguments[1];"
            "f.dispatchEvent(new Event('change'));",
            f"f-{name}",
            value,
        )
    expected = "Loading…"
    wait(driver, lambda d: d.find_element("id", "summary").text != expected, "the filtered list")
    return shown(driver, "data-dag-id")


SHOW_A_FRAME = """const done = arguments[arguments.length - 1];
const videos = [...document.querySelectorAll('video')];
Promise.all(videos.map(v => new Promise(ok => { v.addEventListener('seeked', ok, {once: true}); v.currentTime = 1; })))
  .then(() => done(true));"""


def screenshot(driver: Any, name: str) -> None:
    """The page as it is, each player showing a frame (not its loading spinner)."""
    driver.execute_async_script(SHOW_A_FRAME)
    driver.switch_to.default_content()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / name))


def test_the_page_plays_the_videos_and_draws_the_credits_chart(ui: UiDeployment, admin: Any) -> None:
    open_in_airflow(admin, ui, "/plugin/pixverse")
    wait(admin, lambda d: len(shown(d, "data-video-id")) == 6, "the six videos")
    assert admin.find_element("id", "summary").text == "6 videos"
    wait(admin, all_play, "every landed video to be playable (readyState >= 2, duration > 0)")
    assert len(admin.execute_script(PLAYS)) == 5  # the failed video has no player, and says why
    failed = admin.find_element("css selector", "article.status-failed")
    assert "failed" in failed.text and failed.find_elements("tag name", "video") == []
    reason = wait(admin, lambda d: "status 8" in d.find_element("css selector", ".reason").text, "PixVerse's reason")
    assert reason is True
    bars = admin.find_elements("css selector", "#chart svg rect.bar")
    assert len(bars) >= 5
    legend = [item.text for item in admin.find_elements("css selector", "#legend li")]
    assert legend == ["ui_escaped", "ui_failed", "ui_fox", "ui_mapped", "ui_private"]
    assert "credits" in admin.find_element("id", "balance").text
    screenshot(admin, "pixverse-page.png")


def test_the_filters_narrow_the_list(ui: UiDeployment, admin: Any) -> None:
    open_in_airflow(admin, ui, "/plugin/pixverse")
    wait(admin, lambda d: len(shown(d, "data-video-id")) == 6, "the six videos")
    assert filtered(admin, dag="ui_mapped") == ["ui_mapped", "ui_mapped"]
    assert filtered(admin, status="failed") == ["ui_failed"]
    wait(admin, lambda d: "status 8" in d.find_element("css selector", ".reason").text, "PixVerse's reason")
    screenshot(admin, "pixverse-failed.png")
    open_in_airflow(admin, ui, "/plugin/pixverse")
    assert filtered(admin, status="succeeded", dag="ui_fox") == ["ui_fox"]
    assert filtered(admin, mode="fusion") == []
    assert admin.find_element("id", "summary").text == "0 videos"
    assert len(filtered(admin, mode="text_to_video")) == 6
    today = date.today()
    assert filtered(admin, end=(today - timedelta(days=1)).isoformat()) == []
    assert len(filtered(admin, start=(today - timedelta(days=1)).isoformat())) == 6


def test_a_videos_links_open_its_task_instance_in_airflow(ui: UiDeployment, admin: Any) -> None:
    open_in_airflow(admin, ui, "/plugin/pixverse")
    assert filtered(admin, dag="ui_fox") == ["ui_fox"]
    admin.find_element("link text", "fox").click()
    admin.switch_to.default_content()
    task_page = f"/dags/ui_fox/runs/{ui.runs['ui_fox']}/tasks/fox"
    wait(admin, lambda d: unquote(urlsplit(d.current_url).path) == task_page, "Airflow's page of the task instance")
    wait(admin, lambda d: "PixVerseTextToVideoOperator" in d.find_element("tag name", "body").text, "the task page")


def test_the_task_instance_tab_plays_that_tasks_video(ui: UiDeployment, admin: Any) -> None:
    run = ui.runs["ui_mapped"]
    open_in_airflow(admin, ui, f"/dags/ui_mapped/runs/{run}/tasks/clips/mapped/1/plugin/pixverse-video")
    assert shown(admin, "data-video-id") == [str(ui.xcom("ui_mapped", run, "clips", map_index=1))]
    assert admin.find_element("css selector", ".prompt").text == "A paper boat on a pond"
    wait(admin, all_play, "the mapped instance's video to play")
    fox_run = ui.runs["ui_fox"]
    open_in_airflow(admin, ui, f"/dags/ui_fox/runs/{fox_run}/tasks/fox_ready/plugin/pixverse-video")
    assert shown(admin, "data-video-id") == [str(ui.xcom("ui_fox", fox_run, "fox"))]  # the sensor's = the submit's
    wait(admin, all_play, "the sensor's video to play")
    screenshot(admin, "pixverse-task-tab.png")


def test_the_tab_reads_the_unencoded_ids_airflow_3_1_puts_in_its_address(ui: UiDeployment, admin: Any) -> None:
    """Airflow 3.1 fills the tab's address in without percent-encoding: a run id's ``+`` must stay a ``+``."""
    run = ui.runs["ui_fox"]
    assert "+" in run
    admin.switch_to.default_content()
    admin.get(f"{ui.api}/pixverse/task?dag_id=ui_fox&run_id={run}&task_id=fox&map_index={{MAP_INDEX}}")
    wait(admin, lambda d: d.find_element("id", "summary").text not in ("", "Loading…"), "the tab to load")
    assert shown(admin, "data-video-id") == [str(ui.xcom("ui_fox", run, "fox"))]


def test_a_prompt_made_of_html_shows_as_text(ui: UiDeployment, admin: Any) -> None:
    run = ui.runs["ui_escaped"]
    open_in_airflow(admin, ui, f"/dags/ui_escaped/runs/{run}/tasks/html_prompt/plugin/pixverse-video")
    assert admin.find_element("css selector", ".prompt").text == XSS_PROMPT
    assert admin.find_elements("css selector", "img, main b") == []
    with pytest.raises(NoAlertPresentException):
        admin.switch_to.alert.text  # noqa: B018


def test_the_page_follows_airflows_dark_theme(ui: UiDeployment, admin: Any) -> None:
    admin.switch_to.default_content()
    admin.execute_script("localStorage.setItem('theme', 'dark')")
    try:
        open_in_airflow(admin, ui, "/plugin/pixverse")
        wait(admin, lambda d: d.execute_script("return document.documentElement.dataset.theme") == "dark", "dark")
        background = admin.execute_script("return getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(15, 17, 23)"
        wait(admin, all_play, "the videos")
        screenshot(admin, "pixverse-page-dark.png")
    finally:
        admin.switch_to.default_content()
        admin.execute_script("localStorage.setItem('theme', 'light')")


def test_an_anonymous_browser_is_refused(ui: UiDeployment) -> None:
    driver = new_browser(ui, None)
    try:
        for route in ("/pixverse/", "/pixverse/api/videos", f"/pixverse/task?dag_id=ui_fox&run_id={ui.runs['ui_fox']}"):
            driver.get(f"{ui.api}{route}")
            body = driver.find_element("tag name", "body").text
            assert "Not authenticated" in body, route
            assert driver.find_elements("tag name", "video") == [] and "fox" not in body.lower()
    finally:
        driver.quit()
