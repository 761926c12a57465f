"""The iCalendar feed of public dialogues."""

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from core.pages import SITE_NAME, absolute_url, site_root
from dialogue import selectors


@require_safe
def dialogues_ical(request):
    """Every public dialogue as an all-day event, in the reader's language."""
    host = site_root(request).split("://", 1)[-1]
    calendar = Calendar()
    calendar.add("prodid", f"-//{SITE_NAME}//{get_language()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Dialogue Atlas: dialogues"))
    for dialogue in selectors.dialogue_calendar_public():
        url = absolute_url(request, dialogue.get_absolute_url())
        event = Event()
        event.add("uid", f"dialogue-{dialogue.pk}@{host}")
        event.add("summary", dialogue.title)
        event.add("dtstart", dialogue.start_date)
        # All-day events end on the day after the last day (RFC 5545, DTEND is exclusive).
        event.add("dtend", dialogue.end_date + dt.timedelta(days=1))
        event.add("dtstamp", dialogue.updated_at or timezone.now())
        event.add("last-modified", dialogue.updated_at or timezone.now())
        location = ", ".join(
            part
            for part in (dialogue.venue, dialogue.city, dialogue.country.name if dialogue.country else "")
            if part
        )
        if location:
            event.add("location", location)
        event.add("description", f"{dialogue.summary}\n\n{url}".strip())
        event.add("url", url)
        if dialogue.public_series:
            event.add("categories", [str(dialogue.public_series.name)])
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="dialogues.ics"'
    return response
