"""One-line text: names and titles that end up in email subjects, plain-text emails and headers.

A line break typed (or pasted, or scripted) into one of them would add a line of its own there: a
routine titled "Desk reset\\r\\nALERT: call this number" plants a fake line in a trainer's alert
email. Every line boundary Python knows (CR, LF, CR LF, VT, FF, the file/group/record separators,
NEL U+0085, LINE SEPARATOR U+2028, PARAGRAPH SEPARATOR U+2029) becomes one space, and the ends are
trimmed, before the value is validated or saved:
- `OneLineFormField`, for forms that declare their fields;
- `OneLineCharField`, for models: its form field is the one above, and it collapses the value
  again when the row is saved, so services, the admin and imports are covered too.
"""

from django import forms
from django.db import models


def one_line(value: str) -> str:
    """`value` with its line breaks as single spaces, trimmed."""
    return " ".join(part.strip() for part in value.splitlines() if part.strip())


class OneLineFormField(forms.CharField):
    def to_python(self, value) -> str:
        value = super().to_python(value)
        return one_line(value) if value else value


class OneLineCharField(models.CharField):
    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": OneLineFormField, **kwargs})

    def pre_save(self, model_instance, add: bool):
        value = getattr(model_instance, self.attname)
        if value:
            value = one_line(value)
            setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        # A plain CharField to migrations: the column is the same, only Python's handling differs,
        # so no migration is needed and none is written.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
