"""Settings of `make bench`: the production settings, with the API rate limits off.

Every benchmark request comes from one address, which the anonymous limit (API_THROTTLE_ANON)
would throttle after a hundred requests; in production each client has its own counter, at the
cost of one cache read and write per API request. The query-count pass uses Django's test
client, whose host is `testserver`.
"""

from config.settings import *  # noqa: F403

API_THROTTLE_ANON = None
API_THROTTLE_KEY = None
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
