"""Headless Chromium from Debian (`chromium`, `chromium-driver`) driven by Selenium.

Both paths are given explicitly, so Selenium never looks for (or downloads) a driver.
"""

from __future__ import annotations

import os
import shutil

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = os.environ.get("TIANJI_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("TIANJI_CHROMEDRIVER", "/usr/bin/chromedriver")


def available() -> bool:
    return bool(shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER))


def start(width: int = 1360, height: int = 1700) -> webdriver.Chrome:
    if not available():
        raise RuntimeError(f"need {CHROMIUM} and {CHROMEDRIVER}: install Debian's chromium "
                           "and chromium-driver packages (.ci/run does)")
    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-extensions", "--no-first-run", f"--window-size={width},{height}",
                "--hide-scrollbars"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
