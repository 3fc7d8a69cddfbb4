"""allauth's login form in our words. A module of its own: allauth.account.forms imports
accounts.forms (ACCOUNT_SIGNUP_FORM_CLASS), so this subclass of its LoginForm cannot live there."""

from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):
    """allauth's login form in our words ("Remember me"). A wrong email or password is an error of
    the whole form, which Django marks on no field: both fields are marked invalid and described by
    the error summary, so a screen reader hears why when it reaches them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email"
        if "remember" in self.fields:
            self.fields["remember"].label = "Remember me on this device"

    def full_clean(self) -> None:
        super().full_clean()
        if self.non_field_errors():
            for name in ("login", "password"):
                # The first error in the summary (templates/_partials/error_summary.html).
                summary_error = f"{self.prefix or 'form'}-error-summary-1"
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": summary_error}
                )
