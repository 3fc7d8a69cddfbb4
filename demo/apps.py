from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo accounts and their data for `make run` (`manage.py load_demo`): the top layer, as
    it writes through every app's services. Never used in production."""

    name = "demo"
    verbose_name = "Demo data"
