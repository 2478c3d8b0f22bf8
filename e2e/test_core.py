import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_home_page_and_language_switch(page, check_a11y):
    page.goto("/")
    expect(page.locator("h1")).to_contain_text("Vos démarches")
    expect(page.locator(".fr-logo").first).to_contain_text("République")
    check_a11y(page)
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("h1")).to_contain_text("secure-document procedures")
    check_a11y(page)
