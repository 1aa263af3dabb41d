"""Photograph the five #14 screens of a running demo (`alongside demo`) at 390 px and 1366 px.

    python docs/screenshots/shoot.py URL PREFIX OTP_COMMAND...

URL is the demo's address, PREFIX "before" or "after", and OTP_COMMAND the command that prints
clinician1's current code (``alongside otp clinician1@demo.alongside.test`` run with that demo's
settings). The PNGs are written beside this file as ``PREFIX-<screen>-<phone|desk>.png``.
See README.md in this folder.
"""

from __future__ import annotations

import io
import re
import subprocess  # nosec B404
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for tests.conftest
from tests.conftest import CHROMIUM_ARGS

HERE = Path(__file__).parent
PASSWORD = "alongside-demo"  # the demo's published password
WIDTHS = {"phone": (390, 844), "desk": (1366, 900)}
FLAGS = CHROMIUM_ARGS  # the test suite's flags for Debian's headless Chromium
CLIENT = "Fran"  # the same made-up client in both demos (seed 2026), when the caseload lists her
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def sign_in(page: Page, url: str, email: str, otp: list[str] | None) -> None:
    page.goto(url + "/accounts/login/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_load_state("networkidle")
    if otp is not None and page.locator("#id_code").count():
        code = subprocess.run(otp, capture_output=True, text=True, check=True).stdout  # noqa: S603  # nosec B603
        page.fill("#id_code", re.findall(r"\b\d{6}\b", code)[-1])
        page.press("#id_code", "Enter")
        page.wait_for_load_state("networkidle")


def save(page: Page, name: str) -> None:
    """Write a PNG (the first screen on a phone, the whole page on a desk) in a 256-colour palette."""
    shot = page.screenshot(full_page=name.endswith("-desk"), animations="disabled", caret="hide")
    image = Image.open(io.BytesIO(shot)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(HERE / f"{name}.png", optimize=True)


def first_href(page: Page, pattern: str, text: str = "") -> str | None:
    """Return the first link matching ``pattern``, preferring one whose text is ``text``."""
    links = page.eval_on_selector_all("a[href]", "ls => ls.map(a => [a.getAttribute('href'), a.innerText.trim()])")
    matching = [(href, label) for href, label in links if re.search(pattern, href or "")]
    for href, label in matching:
        if label == text:
            return str(href)
    return str(matching[0][0]) if matching else None


def questionnaire(page: Page, url: str) -> bool:
    """Open the first questionnaire the signed-in client has waiting, on its first question."""
    page.goto(url + "/")
    href = first_href(page, rf"/measures/(requests|responses)/{UUID}/")
    if href is None:
        return False
    page.goto(url + href)
    start = page.locator("form[action*='/start/'] button[type=submit]")
    if start.count():
        start.first.click()
    page.wait_for_load_state("networkidle")
    return True


def main(url: str, prefix: str, otp: list[str]) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for width_name, (width, height) in WIDTHS.items():
            viewport = {"width": width, "height": height}
            staff = browser.new_context(viewport=viewport, reduced_motion="reduce", locale="en-GB")
            page = staff.new_page()
            sign_in(page, url, "clinician1@demo.alongside.test", otp)
            page.goto(url + "/practice/clients/")
            save(page, f"{prefix}-caseload-{width_name}")
            client = re.search(UUID, first_href(page, rf"/practice/clients/{UUID}/$", CLIENT) or "")
            assert client, "no client on the caseload"
            page.goto(f"{url}/practice/clients/{client.group(0)}/")
            save(page, f"{prefix}-client-record-{width_name}")
            page.goto(f"{url}/sessions/clients/{client.group(0)}/brief/")
            save(page, f"{prefix}-brief-{width_name}")
            staff.close()

            person = browser.new_context(viewport=viewport, reduced_motion="reduce", locale="en-GB")
            page = person.new_page()
            sign_in(page, url, "client01@demo.alongside.test", None)
            page.goto(url + "/")
            save(page, f"{prefix}-client-home-{width_name}")
            person.add_cookies([{"name": "django_language", "value": "es", "url": url}])
            for n in range(1, 43):
                if questionnaire(page, url):
                    save(page, f"{prefix}-questionnaire-es-{width_name}")
                    break
                person.clear_cookies()
                person.add_cookies([{"name": "django_language", "value": "es", "url": url}])
                sign_in(page, url, f"client{n + 1:02d}@demo.alongside.test", None)
            person.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3:])
