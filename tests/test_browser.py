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
    # the site's own search scripts only: no inline script, none from the data
    sources = browser.execute_script(
        "return [...document.querySelectorAll('script')].map(s => s.getAttribute('src'))"
    )
    assert sources == ["../../sok-index.js", "../../sok.js"]
    assert "<script>alert(1)</script>" in browser.find_element("tag name", "main").text


# --- the region page as a regional analyst reads it: the summary of a real run ---------------

# The window sizes the summary must read at without scrolling sideways: a laptop and a phone.
WIDE, NARROW = 1280, 390
_WIDER_THAN_THE_WINDOW = """
return [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 8)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className) : ''));
"""

# The elements matching a selector between the <h2> of that name and the next <h2> (the
# notebook's outputs each sit in their own wrappers, so document order, not siblings).
_UNDER_HEADING = """
const [name, selector] = arguments;
const heads = [...document.querySelectorAll('main h2')];
const i = heads.findIndex(h => h.textContent.trim() === name);
if (i < 0) return [];
const start = heads[i], end = heads[i + 1];
return [...document.querySelectorAll('main ' + selector)].filter(e =>
  (start.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING) &&
  (!end || (end.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_PRECEDING)));
"""


@pytest.fixture(scope="module")
def real_site_url(published_real):
    site, run = published_real
    failed = {r.job: r.error for r in run.results if r.status != "klar"}
    assert not failed, failed
    server = make_server(site.site_dir, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def sized(browser):
    """The browser, set back to the module's window size after the test."""
    yield browser
    browser.set_window_size(1280, 1600)


def _open(browser, url: str, width: int) -> None:
    browser.set_window_size(width, 900)
    browser.get(url)


def _no_sideways_scrolling(browser) -> None:
    inner = browser.execute_script("return window.innerWidth")
    scroll = browser.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= inner, (
        f"{browser.current_url} är {scroll} px bred i ett fönster på {inner} px; för breda: "
        f"{browser.execute_script(_WIDER_THAN_THE_WINDOW)}"
    )


def _whole_page(browser, name: str) -> None:
    """A screenshot of the whole page at the window's width (the window grown to the page)."""
    width = browser.execute_script("return window.innerWidth")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, min(height, 10000))
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTEFACTS / name))


def _images_load_with_alt_text(browser) -> int:
    from selenium.webdriver.common.by import By

    images = browser.find_elements(By.CSS_SELECTOR, "main img")
    for image in images:
        width = browser.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth", image
        )
        assert width and width > 0, browser.current_url
        assert (image.get_attribute("alt") or "").strip(), browser.current_url
    return len(images)


def test_region_page_is_the_summary_with_key_figures_and_recommendations(sized, real_site_url):
    from selenium.webdriver.common.by import By

    browser = sized
    _open(browser, f"{real_site_url}/regioner/07/index.html", WIDE)
    assert browser.title.startswith("Kronobergs län")
    assert _console_errors(browser) == []
    main = browser.find_element(By.TAG_NAME, "main")
    assert "Sammanfattning" in main.find_element(By.TAG_NAME, "h1").text
    headings = [h.text.strip() for h in main.find_elements(By.TAG_NAME, "h2")]
    assert "Nyckeltal" in headings and "Rekommendationer" in headings, headings
    # the key figures (a row or list item each) with links to the reports they come from
    figures = browser.execute_script(_UNDER_HEADING, "Nyckeltal", "li, tbody tr")
    assert len(figures) >= 4
    sources = browser.execute_script(_UNDER_HEADING, "Nyckeltal", "a")
    assert {"mognad.html", "tema.html", "effekt.html", "malkedja.html"} <= {
        a.get_attribute("href").rsplit("/", 1)[-1] for a in sources
    }
    # the recommendations: a numbered list, each with its heading
    advice = browser.execute_script(_UNDER_HEADING, "Rekommendationer", "ol > li")
    assert 1 <= len(advice) <= 5
    assert all(item.find_elements(By.TAG_NAME, "strong") for item in advice)
    # after the summary: the links to the region's reports, the learning plan among them
    hrefs = {a.get_attribute("href") for a in main.find_elements(By.TAG_NAME, "a")}
    for report in ("mognad", "tema", "effekt", "malkedja", "larandeplan"):
        assert f"{real_site_url}/regioner/07/{report}.html" in hrefs, report
    assert not [h for h in hrefs if h.endswith("/sammanfattning.html")]
    assert f"{real_site_url}/regioner/07/sammanfattning.xlsx" in hrefs
    assert "Proveniens" in main.text
    _images_load_with_alt_text(browser)
    _whole_page(browser, "sammanfattning_07.png")


def test_summary_links_resolve(sized, real_site_url):
    """Every link of the summary page leads somewhere: a page with a heading, or a file."""
    import urllib.request

    from selenium.webdriver.common.by import By

    browser = sized
    _open(browser, f"{real_site_url}/regioner/07/index.html", WIDE)
    hrefs = sorted(
        {
            (a.get_attribute("href") or "").split("#")[0]
            for a in browser.find_elements(By.CSS_SELECTOR, "main a")
        }
        - {""}
    )
    internal = [h for h in hrefs if h.startswith(real_site_url)]
    assert len(internal) >= 8
    for href in internal:
        if href.endswith(".html"):
            browser.get(href)
            heading = browser.find_element(By.TAG_NAME, "h1").text
            assert heading and "404" not in browser.title and "Error" not in heading, href
            assert _console_errors(browser) == [], href
        else:
            with urllib.request.urlopen(href, timeout=10) as response:
                assert response.status == 200, href


@pytest.mark.parametrize("width", [WIDE, NARROW], ids=["bred", "smal"])
def test_summary_reads_without_sideways_scrolling(sized, real_site_url, width):
    browser = sized
    _open(browser, f"{real_site_url}/regioner/07/index.html", width)
    assert browser.execute_script("return window.innerWidth") <= width
    _no_sideways_scrolling(browser)
    if width == NARROW:
        _whole_page(browser, "sammanfattning_07_smal.png")


@pytest.mark.parametrize("width", [WIDE, NARROW], ids=["bred", "smal"])
def test_learning_plan_page(sized, real_site_url, width):
    from selenium.webdriver.common.by import By

    browser = sized
    _open(browser, f"{real_site_url}/regioner/07/larandeplan.html", width)
    assert _console_errors(browser) == []
    assert "Lärandeplan" in browser.find_element(By.TAG_NAME, "h1").text
    assert _images_load_with_alt_text(browser) >= 1
    _no_sideways_scrolling(browser)
    if width == WIDE:
        _whole_page(browser, "larandeplan_07.png")


# --- the conference site: map, dashboard, search, documents, notices, print --------------------

_GREY = "rgb(189, 189, 189)"  # --utv-saknas


def _fill(browser, code: str) -> str:
    return browser.execute_script(
        "return getComputedStyle(document.querySelector(`path[data-lan='${arguments[0]}']`)).fill",
        code,
    )


def _visible_legend(browser) -> list[str]:
    from selenium.webdriver.common.by import By

    return [
        e.text for e in browser.find_elements(By.CSS_SELECTOR, ".utv-legend") if e.is_displayed()
    ]


@pytest.mark.parametrize("width", [WIDE, NARROW], ids=["bred", "smal"])
def test_landing_map_is_coloured_by_the_chosen_measure_with_a_legend(sized, real_site_url, width):
    from selenium.webdriver.common.by import By

    browser = sized
    _open(browser, f"{real_site_url}/index.html", width)
    assert _console_errors(browser) == []
    # the maturity level is chosen at first: its legend, with "saknas" for regions not run
    [legend] = _visible_legend(browser)
    assert legend.startswith("Mognad") and "Nivå 1" in legend and "saknas" in legend
    kronoberg = _fill(browser, "07")
    assert kronoberg != _GREY and _fill(browser, "01") == _GREY
    values = browser.find_elements(By.CSS_SELECTOR, ".utv-lanlista .utv-matt-varde")
    shown = [v.text for v in values if v.is_displayed()]
    # the run has two regions: the others have no value
    assert len(shown) == 21 and shown.count("saknas") >= 19, shown
    assert any(v.startswith("nivå ") for v in shown), shown
    # choose the money per inhabitant: another legend, another colour, other values
    browser.find_element(By.CSS_SELECTOR, "label:has(#utv-matt-stod)").click()
    [legend] = _visible_legend(browser)
    assert legend.startswith("Beviljade medel per invånare") and " kr" in legend
    assert _fill(browser, "07") not in (_GREY, "")
    shown = [v.text for v in values if v.is_displayed()]
    assert any(v.endswith(" kr") for v in shown), shown
    browser.find_element(By.CSS_SELECTOR, "label:has(#utv-matt-mal)").click()
    [legend] = _visible_legend(browser)
    assert legend.startswith("RUS-mål på väg") and "saknas" in legend
    _no_sideways_scrolling(browser)
    _whole_page(browser, f"startsida_karta_{'bred' if width == WIDE else 'smal'}.png")


@pytest.mark.parametrize("width", [WIDE, NARROW], ids=["bred", "smal"])
def test_region_page_is_a_dashboard(sized, real_site_url, width):
    from selenium.webdriver.common.by import By

    browser = sized
    _open(browser, f"{real_site_url}/regioner/07/index.html", width)
    panel = browser.find_element(By.CSS_SELECTOR, "main .utv-panel")
    cards = panel.find_elements(By.CSS_SELECTOR, ".utv-kort")
    assert len(cards) >= 4
    for card in cards:
        assert card.find_element(By.CSS_SELECTOR, ".utv-kort-varde").text.strip()
    sources = {a.get_attribute("href").rsplit("/", 1)[-1]
               for a in panel.find_elements(By.CSS_SELECTOR, "a.utv-kort-kalla")}  # fmt: skip
    assert {"mognad.html", "tema.html", "malkedja.html"} <= sources
    figures = panel.find_elements(By.CSS_SELECTOR, "figure.utv-minifigur img")
    assert len(figures) == 3
    assert _images_load_with_alt_text(browser) >= 3
    # the dashboard comes after the summary's title and notice, before its key figures
    order = browser.execute_script(
        """const main = document.querySelector('main');
        const at = s => [...main.querySelectorAll('*')].indexOf(main.querySelector(s));
        return [at('h1'), at('blockquote'), at('.utv-panel'), at('h2')];"""
    )
    assert order == sorted(order) and -1 not in order, order
    _no_sideways_scrolling(browser)
    _whole_page(browser, f"region_07_panel_{'bred' if width == WIDE else 'smal'}.png")


def test_region_page_links_the_whole_report_as_pdf_and_word(browser, real_site_url):
    """The PDF and the Word file exist once the publishing builds them (publish.documents)."""
    import urllib.request

    from selenium.webdriver.common.by import By

    browser.get(f"{real_site_url}/regioner/07/index.html")
    links = {a.text: a.get_attribute("href")
             for a in browser.find_elements(By.CSS_SELECTOR, "main .utv-dokument a")}  # fmt: skip
    assert set(links) == {"Hela rapporten som PDF", "Hela rapporten som Word"}, links
    with urllib.request.urlopen(links["Hela rapporten som PDF"], timeout=10) as response:
        assert response.read(5) == b"%PDF-"
    with urllib.request.urlopen(links["Hela rapporten som Word"], timeout=10) as response:
        assert response.read(2) == b"PK"  # a zip: the .docx package


def _project_of(code: str) -> str:
    """The name of a project of the data that works in ``code`` only."""
    from utvardering.dataset import load_dataset

    ds = load_dataset(ROOT / "data", ["projekt", "projekt_lan"])
    places = ds.projekt_lan.groupby("arende_id")["lan_kod"].agg(set)
    only = {case for case, codes in places.items() if codes == {code}}
    names = ds.projekt.loc[ds.projekt["arende_id"].isin(only), "projektnamn"]
    counts = ds.projekt["projektnamn"].value_counts()
    return next(n for n in names if counts[n] == 1 and len(n) > 12)


def _search(browser, text: str) -> list:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    field = browser.find_element(By.ID, "utv-sokfalt")
    field.clear()
    field.send_keys(text)
    WebDriverWait(browser, 5).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, ".utv-sokresultat li")
    )
    return browser.find_elements(By.CSS_SELECTOR, ".utv-sokresultat a")


@pytest.mark.parametrize("width", [WIDE, NARROW], ids=["bred", "smal"])
def test_search_finds_the_region_of_a_project(sized, real_site_url, width):
    from selenium.webdriver.common.by import By

    browser = sized
    project = _project_of("07")
    _open(browser, f"{real_site_url}/regioner/09/malkedja.html", width)
    hits = _search(browser, project.lower()[: max(12, len(project) - 3)])
    assert hits, project
    first = hits[0]
    assert project in first.text and "Kronobergs län" in first.text
    _no_sideways_scrolling(browser)
    if width == WIDE:
        browser.save_screenshot(str(ARTEFACTS / "sok.png"))
    first.click()
    assert browser.current_url == f"{real_site_url}/regioner/07/tema.html"
    assert "Kronobergs län" in browser.find_element(By.TAG_NAME, "h1").text
    # a region by its name, without its accents
    hits = _search(browser, "vastra gotaland")
    assert hits[0].get_attribute("href").endswith("/regioner/14/index.html")


def test_search_works_from_the_file_system(browser, published_real):
    """Opened from a folder (file://), where a page cannot fetch a JSON file."""
    site, _ = published_real
    browser.get((site.site_dir / "index.html").resolve().as_uri())
    hits = _search(browser, "kronoberg")
    assert hits[0].get_attribute("href") == (
        (site.site_dir / "regioner" / "07" / "index.html").resolve().as_uri()
    )
    assert _console_errors(browser) == []


def test_every_page_with_simulated_data_says_so_at_the_top(browser, real_site_url):
    from selenium.webdriver.common.by import By

    pages = ["index", "regioner/07/index", "regioner/09/index", "regioner/01/index"]
    pages += [f"regioner/07/{r}" for r in ("mognad", "tema", "effekt", "malkedja", "larandeplan")]
    for page in pages:
        browser.get(f"{real_site_url}/{page}.html")
        main = browser.find_element(By.TAG_NAME, "main")
        if "simulera" not in main.text.lower():
            continue
        notice = browser.execute_script(
            """const main = document.querySelector('main');
            const all = [...main.querySelectorAll('*')];
            const notice = all.find(e => e.matches('.utv-notis, blockquote') &&
                                    /simulera/i.test(e.textContent));
            const h2 = main.querySelector('h2');
            return [notice ? all.indexOf(notice) : -1, h2 ? all.indexOf(h2) : all.length];"""
        )
        assert notice[0] >= 0 and notice[0] < notice[1], page


def test_print_leaves_out_the_navigation_and_the_search(browser, real_site_url):
    from selenium.webdriver.common.by import By

    browser.get(f"{real_site_url}/regioner/07/index.html")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for selector in (".utv-sidhuvud", ".utv-sok"):
            assert not browser.find_element(By.CSS_SELECTOR, selector).is_displayed(), selector
        assert browser.execute_script(
            "return getComputedStyle(document.querySelector('main figure')).breakInside"
        ) in ("avoid", "avoid-page")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
