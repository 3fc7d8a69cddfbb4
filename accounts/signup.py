"""allauth's sign-up form, with two changes.

1. An address someone else typed in and never confirmed does not block its owner's sign-up.

allauth counts every EmailAddress row, confirmed or not, as "taken"; with enumeration prevention
it then creates nothing and mails the owner "you already have an account" for an account that is
not theirs. Here only a real claim (a login address or a confirmed one) counts, and the pending
requests of other accounts are dropped when the owner signs up.

A module of its own: allauth imports accounts.forms.SignupForm (ACCOUNT_SIGNUP_FORM_CLASS) while
it builds its own forms, so accounts.forms cannot import them.

2. A higher app may vouch that the person signing up owns the address (coaching: the invitation
link this sign-up came from, which was emailed to it), so no confirmation email is needed. The
voucher is asked during the sign-up request itself and the address is marked verified for the
account created by it, and only when it is that account's own address: nothing is left in the
browser's session for whoever signs up next.
"""

from collections.abc import Callable

from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm
from allauth.core import ratelimit
from django.http import HttpRequest

from accounts.services import email_claimed, email_pending_claims_release

# (request, email) -> whether that sign-up request proves the person owns the address.
EmailVoucher = Callable[[HttpRequest, str], bool]
_vouchers: list[EmailVoucher] = []


def email_voucher_register(voucher: EmailVoucher) -> None:
    if voucher not in _vouchers:
        _vouchers.append(voucher)


class AccountSignupForm(SignupForm):
    def validate_unique_email(self, value: str) -> str:
        email = super().validate_unique_email(value)
        if self.account_already_exists and not email_claimed(email):
            self.account_already_exists = False
        return email

    def save(self, request: HttpRequest):
        email = self.cleaned_data["email"]
        if email_pending_claims_release(email=email):
            # The confirmation emails the other accounts sent to this address used up its rate
            # limit ("confirm_email", one per 3 minutes): they must not hold back the owner's.
            ratelimit.clear(request, action="confirm_email", key=email.lower())
        if any(voucher(request, email) for voucher in _vouchers):
            # allauth reads (and removes) it while creating this account, in this request.
            get_adapter().stash_verified_email(request, email)
        return super().save(request)
