"""The iCalendar feed of dialogues."""

import datetime as dt

import pytest
from django.utils import translation
from icalendar import Calendar

from tests.dialogue.factories import DialogueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The test client leaves the last request's language active: start in English.
    translation.activate("en")


def test_calendar_parses_and_lists_public_dialogues_as_all_day_events(client):
    shown = DialogueFactory(
        title_en="Seoul dialogue", start_date=dt.date(2025, 7, 9), end_date=dt.date(2025, 7, 10)
    )
    DialogueFactory(draft=True, title_en="Draft dialogue")
    DialogueFactory(scheduled=True, title_en="Scheduled dialogue")
    response = client.get("/en/dialogues.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == ["Seoul dialogue"]
    event = events[0]
    assert event.decoded("DTSTART") == dt.date(2025, 7, 9)
    assert event.decoded("DTEND") == dt.date(2025, 7, 11)  # exclusive end of an all-day event
    assert str(event["URL"]) == f"http://testserver{shown.get_absolute_url()}"
    assert str(event["UID"]) == f"dialogue-{shown.pk}@testserver"
    assert "Seoul" in str(event["LOCATION"])


def test_calendar_in_french(client):
    DialogueFactory(title_fr="Dialogue de Séoul")
    calendar = Calendar.from_ical(client.get("/fr/dialogues.ics").content)
    assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == "Dialogue de Séoul"
    assert "/fr/dialogues/" in str(calendar.walk("VEVENT")[0]["URL"])
