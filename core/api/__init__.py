"""The partners' REST API v1: shared machinery (languages, pagination, filters, access, CSV, schema).

Resources live in each app's `serializers.py` and `api.py`; `partners.urls` assembles them.
"""
