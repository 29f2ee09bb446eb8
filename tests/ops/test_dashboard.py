"""/dashboard in a real browser (headless Chromium) against a gateway that served fake traffic."""

from __future__ import annotations

import openai
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.wait import WebDriverWait

from router.fakeprovider import Fault, FaultKind
from tests.conftest import deployment, make_config, run_gateway
from tests.ops import browser

KEY = "tianji-dashboard-key-0123456789"


@pytest.fixture(scope="module")
def driver():
    chrome = browser.start()
    try:
        yield chrome
    finally:
        chrome.quit()


@pytest.fixture
def served(fake, tmp_path):
    """A gateway that answered 5 small, 2 medium (one after a fallback) and failed 1."""
    small = deployment(fake, "s1", price={"input": 1.0, "output": 5.0})
    medium_a = deployment(fake, "m1", price={"input": 15.0, "output": 75.0})
    medium_b = deployment(fake, "m2", "anthropic", price={"input": 15.0, "output": 75.0})
    config = make_config([[small], [medium_a, medium_b]], log={"url": str(tmp_path / "log.db")},
                         server={"api_keys": [KEY]})
    fake.set_fault("m1", Fault(FaultKind.HTTP_ERROR, status=401))  # cooled down at once
    with run_gateway(config, api_key=KEY) as gw:
        for text in ["[easy] hello"] * 5 + ["[hard] prove it"] * 2:
            gw.client.chat.completions.create(
                model="auto", messages=[{"role": "user", "content": text}])
        fake.set_fault("s1", Fault(FaultKind.HTTP_ERROR, status=400))
        with pytest.raises(openai.BadRequestError):
            gw.client.chat.completions.create(
                model="small", messages=[{"role": "user", "content": "[easy] bad"}])
        assert gw.app.state.gateway.request_log.writer.flush(timeout=15)
        yield gw


def _loaded(driver) -> None:
    WebDriverWait(driver, 15).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-loaded") == "true")


def _text(driver, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).text


def test_dashboard_shows_what_the_traffic_did(driver, served, tmp_path):
    driver.get(f"{served.url}/dashboard#key={KEY}")
    _loaded(driver)
    assert "key=" not in driver.current_url  # the key left the address bar
    assert _text(driver, "requests-total") == "8"
    assert _text(driver, "answered") == "7 answered"
    stats = served.http.get("/v1/stats", headers={"authorization": f"Bearer {KEY}"}).json()
    s = stats["summary"]
    assert _text(driver, "spend") == f"${s['spend_usd']:.4f}"
    assert _text(driver, "saved") == f"${s['savings_usd']:.4f}" and s["savings_usd"] > 0
    assert _text(driver, "error-rate") == "12.5%"
    assert _text(driver, "errors-by-status") == "400: 1"
    assert _text(driver, "tier-mix") == "small 71.4% · medium 28.6%"
    spend = driver.find_element(By.CSS_SELECTOR, "#chart-spend path[data-series=spend]")
    assert spend.get_attribute("d").startswith("M")
    drawn = {r.get_attribute("data-tier")
             for r in driver.find_elements(By.CSS_SELECTOR, "#chart-tiers rect[data-tier]")}
    assert drawn == {"small", "medium"}
    m1 = driver.find_element(By.CSS_SELECTOR, "#deployments tr[data-deployment=m1]")
    assert "cooldown" in m1.text and "cooldown" in m1.get_attribute("class")
    assert "ok" in driver.find_element(By.CSS_SELECTOR, "tr[data-deployment=s1]").text
    recent = driver.find_elements(By.CSS_SELECTOR, "#recent tr.request")
    assert len(recent) == 8
    assert recent[0].text.split()[-1] == "400"  # newest first: the failed one
    hard = next(r for r in recent if " medium " in f" {r.text} ")
    hard.click()
    explain = WebDriverWait(driver, 15).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, "#recent tr.explain")))
    assert "m1: auth (cooldown)" in explain.text or "m1: skipped" in explain.text
    assert "medium/m1 → medium/m2" in explain.text
    assert "reason" in explain.text
    driver.save_screenshot(str(tmp_path / "dashboard.png"))
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000


def test_dashboard_asks_for_the_key_and_rejects_a_wrong_one(driver, served):
    driver.get(f"{served.url}/dashboard")
    driver.execute_script("sessionStorage.clear()")
    driver.refresh()
    form = WebDriverWait(driver, 10).until(ec.visibility_of_element_located((By.ID, "login")))
    assert "API key" in form.text
    assert not driver.find_element(By.ID, "main").is_displayed()
    driver.find_element(By.ID, "key").send_keys("wrong-key")
    driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
    WebDriverWait(driver, 10).until(
        ec.text_to_be_present_in_element((By.ID, "login-error"), "not accepted"))
    driver.find_element(By.ID, "key").send_keys(KEY)
    driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
    _loaded(driver)
    assert _text(driver, "requests-total") == "8"


def test_dashboard_page_has_no_data_and_the_data_needs_the_key(served):
    page = served.http.get("/dashboard")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert served.http.get("/dashboard/dashboard.js").status_code == 200
    assert served.http.get("/dashboard/../server.py").status_code == 404
    for path in ("/v1/stats", "/v1/requests", "/v1/deployments"):
        assert served.http.get(path).status_code == 401
    recent = served.http.get("/v1/requests?limit=2", headers={"authorization": f"Bearer {KEY}"})
    assert [r["status"] for r in recent.json()["data"]] == [400, 200]
    assert "prompt" not in recent.json()["data"][0]
    bad = served.http.get("/v1/requests?limit=0", headers={"authorization": f"Bearer {KEY}"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "limit"


def test_a_refused_request_shows_as_refused_not_as_an_empty_tier(driver, fake, tmp_path):
    config = make_config([[deployment(fake, "s1")]], log={"url": str(tmp_path / "log.db")},
                         server={"api_keys": [KEY]})
    with run_gateway(config, api_key=KEY) as gw:
        gw.client.chat.completions.create(
            model="auto", messages=[{"role": "user", "content": "[easy] hello"}])
        with pytest.raises(openai.NotFoundError):
            gw.client.chat.completions.create(
                model="gpt-5", messages=[{"role": "user", "content": "[easy] hello"}])
        assert gw.app.state.gateway.request_log.writer.flush(timeout=15)
        auth = {"authorization": f"Bearer {KEY}"}
        recent = gw.http.get("/v1/requests?limit=2", headers=auth).json()["data"]
        driver.get(f"{gw.url}/dashboard#key={KEY}")
        _loaded(driver)
        rows = driver.find_elements(By.CSS_SELECTOR, "#recent tr.request")
        assert [r["tier"] for r in recent] == ["refused", "small"]
        cells = rows[0].find_elements(By.TAG_NAME, "td")
        assert [c.text for c in cells[2:4]] == ["gpt-5", "refused"]
        assert rows[0].text.split()[-1] == "404"
