"""The published site in a real browser: headless Chromium (Debian's chromium and
chromium-driver, which .ci/run installs) against the site served on localhost."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from conftest import ROOT

from utvardering.publish.serve import make_server

# These tests start Jupyter kernels or a browser: `pytest -m "not karna"` leaves them out.
pytestmark = pytest.mark.karna

ARTEFACTS = Path(os.environ.get("UTVARDERING_ARTEFAKTER", ROOT / "_artefakter"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-quic", "--window-size=1280,1600")  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and DRIVER):
        pytest.fail(
            "Chromium och chromedriver behövs för webbläsartestet (apt-get install "
            "chromium chromium-driver; .ci/run installerar dem)."
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="chromium-profil-")
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def site_url(published):
    server = make_server(published.site_dir, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


def _console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_landing_page_loads_without_errors_and_links_resolve(browser, site_url):
    from selenium.webdriver.common.by import By

    browser.get(f"{site_url}/index.html")
    assert "Regional uppföljning" in browser.title
    assert _console_errors(browser) == []
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTEFACTS / "startsida.png"))
    links = sorted({a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a")
                    if "/regioner/" in (a.get_attribute("href") or "")})  # fmt: skip
    assert len(links) >= 21
    for link in links:
        browser.get(link)
        heading = browser.find_element(By.TAG_NAME, "h1").text
        assert heading and "404" not in browser.title and "Error" not in heading, link
        assert _console_errors(browser) == [], link


def test_region_report_images_load(browser, site_url):
    from selenium.webdriver.common.by import By

    browser.get(f"{site_url}/regioner/07/index.html")
    browser.save_screenshot(str(ARTEFACTS / "region_07.png"))
    hrefs = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "main a")]
    reports = [h for h in hrefs if "/regioner/07/" in h and h.endswith(".html")
               and not h.endswith("index.html")]  # fmt: skip
    assert reports
    for report in reports:
        browser.get(report)
        images = browser.find_elements(By.TAG_NAME, "img")
        assert images, report
        for image in images:
            width = browser.execute_script(
                "return arguments[0].complete && arguments[0].naturalWidth", image
            )
            assert width and width > 0, report
            assert image.get_attribute("alt")
        assert _console_errors(browser) == []
    browser.save_screenshot(str(ARTEFACTS / "rapport_07.png"))


def test_status_page_lists_the_failed_region(browser, site_url):
    from selenium.webdriver.common.by import By

    browser.get(f"{site_url}/status.html")
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "03/demo" in text and "misslyckades" in text
    browser.get(f"{site_url}/regioner/03/index.html")
    notice = browser.find_element(By.CSS_SELECTOR, ".utv-notis").text
    assert "kunde inte tas fram" in notice


def test_hostile_text_is_not_executed(browser, site_url):
    browser.get(f"{site_url}/regioner/07/demo.html")
    assert browser.execute_script("return document.querySelectorAll('script').length") == 0
    assert "<script>alert(1)</script>" in browser.find_element("tag name", "main").text
