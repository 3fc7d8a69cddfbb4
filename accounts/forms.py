from django import forms


class SignupForm(forms.Form):
    """Extra fields for allauth's sign-up form (allauth adds email and password)."""

    display_name = forms.CharField(
        max_length=80,
        required=False,
        label="Your name (optional)",
        help_text="How we greet you. You can change it later.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def signup(self, request, user) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])
