from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.middleware.locale import LocaleMiddleware
from django.utils.functional import SimpleLazyObject, empty


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Pages speak Bahasa Indonesia unless the visitor chose English with the language switch (cookie).

    A browser's Accept-Language is ignored on pages: office computers often run English browsers, and the
    registry's working language is Indonesian. The API still honours Accept-Language, as programs expect.
    """

    def process_request(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return super().process_request(request)


class LazyMessageMiddleware(MessageMiddleware):
    """Django's MessageMiddleware, with the message storage built only when something reads or adds a message.

    Public pages and the API never show messages, yet the storage (cookie then session, with a cookie signer)
    was built and consulted on each of their requests. The admin's templates read messages, so it is built
    there as before.
    """

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response  # never used: nothing to store
        return super().process_response(request, response)
