"""The call console with the keyboard alone: the telephone system opens it
with the caller's number and queue, the agent types the address and presses
Enter — the case is registered from the category's template and forwarded to
the routed contractor. Keystrokes and clicks are counted and printed."""

import re

from geocases.cases.models import Case
from tests.browser.test_accessibility import violations
from tests.browser.test_report_flow import DESKTOP, shoot
from tests.factories import UserFactory


def test_register_and_forward_a_template_case_with_the_keyboard_alone(page, site, city):
    snow = city
    snow.template_title_sv = "Halka på gångbana"
    snow.save()
    UserFactory(username="agent1", role="agent")
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/login/")
    page.get_by_label("Användarnamn").fill("agent1")
    page.get_by_label("Lösenord").fill("secret-password")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(re.compile("/desk/"))
    page.goto(site + f"/desk/?phone=0701234567&queue={snow.group.code}")
    page.locator("#report-map .leaflet-overlay-pane path").first.wait_for()
    assert violations(page) == []

    keys = 0
    page.keyboard.press("Alt+a")
    keys += 1
    address = "Birger Jarlsgatan 23"
    page.keyboard.type(address)
    keys += len(address)
    page.get_by_role("button", name="Birger Jarlsgatan 23, Norrmalm").wait_for()
    page.keyboard.press("Enter")  # the first suggestion: a half-taken call is not sent
    keys += 1
    page.locator("#place-status", has_text="Birger Jarlsgatan 23, Norrmalm").wait_for()
    assert Case.objects.count() == 0
    page.keyboard.press("Alt+s")
    keys += 1
    page.locator(".case-number").wait_for()
    clicks = 0
    print(f"\nregistered and forwarded with {keys} keystrokes and {clicks} clicks")
    shoot(page, "desk-created")

    case = Case.objects.get()
    assert case.title == "Halka på gångbana" and case.reporter_phone == "0701234567"
    assert case.status == "assigned" and case.responsible_unit.name == "Plogbolaget AB"
    assert page.locator(".case-number").inner_text() == case.number
    assert keys <= 25


def test_the_desk_pages_have_no_wcag_violations(page, site, city):
    from django.contrib.gis.geos import Point

    from geocases.knowledge.services import article_save
    from tests.factories import case_in_status

    agent = UserFactory(username="agent2", role="agent")
    article_save(user=agent, title="Kontroll", categories=[city], checklist=["Fråga om olycka"])
    case = case_in_status("assigned", category=city, location=Point(18.06, 59.33, srid=4326))
    Case.objects.filter(pk=case.pk).update(responsible_user=agent)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + "/login/")
    page.get_by_label("Användarnamn").fill("agent2")
    page.get_by_label("Lösenord").fill("secret-password")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(re.compile("/desk/"))
    found = {"desk": violations(page)}
    pages = (
        ("queues", "/desk/queues/mine/"),
        ("case", f"/desk/cases/{case.number}/"),
        ("search", f"/desk/search/?q={case.number}"),
        ("articles", "/desk/articles/?q=olycka"),
        ("article", "/desk/articles/new/"),
        ("follow-up", "/staff/followup/"),
    )
    for name, path in pages:
        page.goto(site + path)
        found[name] = violations(page)
        shoot(page, f"desk-{name}")
    assert not any(found.values()), found
