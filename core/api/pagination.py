"""Page-number pagination with strict, named errors and links on SITE_URL."""

from django.core.paginator import InvalidPage
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.api.fields import absolute_url
from core.pagination import PublicPaginator

MAX_PAGE_NUMBER = 10**9


def _positive_int(value: str, name: str, maximum: int) -> int:
    if not value.isascii() or not value.isdigit() or int(value) < 1 or int(value) > maximum:
        raise ValidationError({name: [_("Enter a whole number from 1 to %(max)d.") % {"max": maximum}]})
    return int(value)


class AtlasPagination(PageNumberPagination):
    """`page` from 1, `page_size` from 1 to 100 (default 20); anything else is a 400, never clamped.

    A page past the last one is a 404 that names `page`.
    """

    django_paginator_class = PublicPaginator
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    last_page_strings = ()

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        return _positive_int(value, self.page_size_query_param, self.max_page_size)

    def check_params(self, request) -> tuple[int, int]:
        """(page number, page size) from the query, or a 400 naming the bad parameter."""
        number = request.query_params.get(self.page_query_param)
        number = 1 if number is None else _positive_int(number, self.page_query_param, MAX_PAGE_NUMBER)
        return number, self.get_page_size(request)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        number, page_size = self.check_params(request)
        paginator = self.django_paginator_class(queryset, page_size, count_key=self.count_key(request, view))
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise NotFound(
                {
                    self.page_query_param: [
                        _("There is no page %(number)d; the last page is %(last)d.")
                        % {"number": number, "last": paginator.num_pages}
                    ]
                }
            ) from None
        return list(self.page)

    def count_key(self, request, view) -> str | None:
        """What the list's count depends on: the path and every filter (not the page, nor its size).

        None (count every time) for views that set `memoize_count = False`.
        """
        if not getattr(view, "memoize_count", True):
            return None
        ignored = {self.page_query_param, self.page_size_query_param, "format"}
        filters = sorted((name, value) for name, value in request.query_params.items() if name not in ignored)
        return f"api:{request.path}:{filters!r}"

    def _page_link(self, number):
        url = absolute_url(self.request, self.request.get_full_path())
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_next_link(self):
        return self._page_link(self.page.next_page_number()) if self.page.has_next() else None

    def get_previous_link(self):
        return self._page_link(self.page.previous_page_number()) if self.page.has_previous() else None

    def get_paginated_response_schema(self, schema):
        # `next` and `previous` are always written, null on the last and first pages.
        described = super().get_paginated_response_schema(schema)
        described["required"] = ["count", "next", "previous", "results"]
        return described

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": str(_("Page number, from 1. A page past the last one is a 404.")),
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_NUMBER},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(_("Results per page, from 1 to 100 (default 20); more is a 400.")),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size, "default": 20},
            },
        ]
