"""JSON rendering that splices records encoded once, instead of encoding them on every request."""

import json

from rest_framework import renderers

# Stands for the results while the envelope is encoded; JSON-escaped, it cannot occur in a count
# or in a percent-encoded link.
RESULTS_PLACEHOLDER = "\x00results\x00"


class JSONFragments(list):
    """Records already encoded as JSON (bytes each), in order, for the `results` of a page."""


def encode(data) -> bytes:
    """`data` as the API's JSON renderer writes it (compact, UTF-8), for a JSONFragments item."""
    return JSONRenderer().render(data)


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer; a page whose `results` are JSONFragments gets them spliced in as they are.

    Indented output (`Accept: application/json; indent=2`) decodes them and renders as usual.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, JSONFragments):
            return super().render(data, accepted_media_type, renderer_context)
        if self.get_indent(accepted_media_type, renderer_context or {}):
            decoded = {**data, "results": [json.loads(item) for item in results]}
            return super().render(decoded, accepted_media_type, renderer_context)
        envelope = super().render(
            {**data, "results": RESULTS_PLACEHOLDER}, accepted_media_type, renderer_context
        )
        placeholder = super().render(RESULTS_PLACEHOLDER)
        return envelope.replace(placeholder, b"[" + b",".join(results) + b"]", 1)
