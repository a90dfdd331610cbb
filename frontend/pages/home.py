from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The demo city on a map: where the report page (issue 6) will live."""
    return render(request, "frontend/home.html")
