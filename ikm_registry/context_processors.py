from django.conf import settings


def office(request):
    """The office's name for page headers, set per installation."""
    return {"OFFICE_NAME": settings.OFFICE_NAME}
