"""Cursor pagination for every API list: the same keyset pages as the directory, 2 ms deep or shallow."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from ikm_registry.public.pagination import CursorError, paginate


class KeysetPagination(BasePagination):
    """`cursor` and `page_size` parameters; responses carry `next` and `previous` URLs, no count (a count
    of a broad selection costs more than the page: the directory and /ikm-units/counts/ give it)."""

    page_size = 20
    max_page_size = 100
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def get_sort(self, view) -> tuple[str, dict]:
        return view.get_sort(), view.sorts

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [_("page_size harus 1 sampai %(max)s.") % {"max": self.max_page_size}]}
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        sort, sorts = self.get_sort(view)
        try:
            self.page = paginate(
                queryset,
                sort,
                self.get_page_size(request),
                cursor=request.query_params.get(self.cursor_query_param) or None,
                sorts=sorts,
                prepare=view.plans_alike() if view is not None else False,
            )
        except CursorError:
            raise ValidationError(
                {self.cursor_query_param: [_("Kursor tidak sah. Gunakan tautan next/previous dari jawaban API.")]}
            ) from None
        return self.page.rows

    def _link(self, cursor: str | None) -> str | None:
        if not cursor:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        previous = self._link(self.page.previous_cursor)
        if self.page.has_previous and previous is None:
            previous = remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)
        return Response({"next": self._link(self.page.next_cursor), "previous": previous, "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": _("Kursor halaman dari tautan next/previous."),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": _("Jumlah baris per halaman, 1 sampai %(max)s (bawaan %(default)s).")
                % {"max": self.max_page_size, "default": self.page_size},
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
