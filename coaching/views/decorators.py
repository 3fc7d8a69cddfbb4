from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect


def trainer_required(view):
    """For pages of trainers: anyone else is sent to settings, where "I coach clients" is."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_trainer:
            messages.info(request, "To coach clients, tick “I coach clients” in your settings first.")
            return redirect("accounts:settings")
        return view(request, *args, **kwargs)

    return wrapper
