"""Submit admin forms the way a browser does: read the rendered form, change fields, post it."""

import re
from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.done = False
        self.fields: list[list] = []  # [name, value]
        self._select = None
        self._select_multiple = False
        self._select_seen = []
        self._option_value = None
        self._option_selected = False
        self._option_text = ""
        self._textarea = None
        self._textarea_text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done:
            self.in_form = self.form_id is None or attrs.get("id") == self.form_id
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.fields.append([name, attrs.get("value", default)])
        elif tag == "select" and name:
            self._select = name
            self._select_multiple = "multiple" in attrs
            self._select_seen = []
        elif tag == "option" and self._select:
            self._flush_option()
            self._option_value = attrs.get("value")
            self._option_selected = "selected" in attrs
            self._option_text = ""
        elif tag == "textarea" and name:
            self._textarea = name
            self._textarea_text = ""

    def _flush_option(self):
        if self._option_value is None and not self._option_text:
            return
        value = self._option_value if self._option_value is not None else self._option_text.strip()
        self._select_seen.append((value, self._option_selected))
        self._option_value, self._option_selected, self._option_text = None, False, ""

    def handle_data(self, data):
        if self._textarea:
            self._textarea_text += data
        elif self._select and (self._option_value is not None or self._option_text):
            self._option_text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
            self.done = True
        elif tag == "select" and self._select:
            self._flush_option()
            selected = [value for value, chosen in self._select_seen if chosen]
            if not selected and self._select_seen and not self._select_multiple:
                selected = [self._select_seen[0][0]]
            self.fields += [[self._select, value] for value in selected]
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = self._textarea_text
            self.fields.append([self._textarea, text[1:] if text.startswith("\n") else text])
            self._textarea = None


def form_fields(html: str, form_id: str | None = None) -> dict:
    """The fields a browser would submit for the form `form_id` (the first form if None).

    Multi-valued fields (multiple selects) map to lists.
    """
    parser = _FormParser(form_id)
    parser.feed(html)
    data: dict = {}
    for name, value in parser.fields:
        if name in data:
            data[name] = data[name] if isinstance(data[name], list) else [data[name]]
            data[name].append(value)
        else:
            data[name] = value
    return data


def change_form(client, url: str) -> dict:
    """GET an admin change (or revert) form and return what submitting it unchanged would post."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    match = re.search(r'<form [^>]*id="(\w+_form)"', html)
    assert match, f"no admin change form on {url}"
    data = form_fields(html, match.group(1))
    data.pop("csrfmiddlewaretoken", None)
    data["_save"] = "Save"
    return data
