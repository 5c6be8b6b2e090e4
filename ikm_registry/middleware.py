from django.middleware.locale import LocaleMiddleware


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Pages speak Bahasa Indonesia unless the visitor chose English with the language switch (cookie).

    A browser's Accept-Language is ignored on pages: office computers often run English browsers, and the
    registry's working language is Indonesian. The API still honours Accept-Language, as programs expect.
    """

    def process_request(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return super().process_request(request)
