from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from accounts.http import HtmxHttpRequest

View = Callable[..., HttpResponse]


def trainer_required(view: View) -> View:
    """For pages of trainers: anyone else is sent to settings, where "I coach clients" is."""

    @wraps(view)
    def wrapper(request: HtmxHttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_trainer:
            messages.info(request, "To coach clients, tick “I coach clients” in your settings first.")
            return redirect("accounts:settings")
        return view(request, *args, **kwargs)

    return wrapper
