"""Sign-up by emailed link: the page answers the same for every address (issue #11, finding 7).

The form asks for a name, a practice name and an email address, and always says "check your
email". A new address gets a signed link to choose a password, which creates the account; an
address that already has an account gets a note saying someone tried to sign up with it. Either
way the request does the same work: one lookup, one email queued in the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import transaction
from django.urls import reverse

from alongside.accounts.mail import account_email
from alongside.accounts.models import User
from alongside.accounts.throttle import throttle_mail_allowed

SIGNUP_SALT = "alongside.accounts.signup"
SIGNUP_LINK_HOURS = 48


@dataclass(frozen=True)
class SignupRequest:
    """What the emailed link carries (signed, so it cannot be altered)."""

    email: str
    name: str
    practice_name: str


def signup_request(*, email: str, name: str, practice_name: str, base_url: str, locale: str = "") -> None:
    """Queue the sign-up link for a new address, or a heads-up for an address that has an account."""
    email = email.strip().lower()
    with transaction.atomic():
        if not throttle_mail_allowed(email=email):
            return
        if User.objects.filter(email__iexact=email).exists():
            context: dict[str, Any] = {"sign_in": base_url.rstrip("/") + reverse("accounts:login")}
            account_email(to=email, template="signup_existing", context=context, kind="signup", locale=locale)
            return
        token = signing.dumps({"e": email, "n": name.strip(), "p": practice_name.strip()}, salt=SIGNUP_SALT)
        link = base_url.rstrip("/") + reverse("accounts:signup_confirm", args=[token])
        context = {"link": link, "hours": SIGNUP_LINK_HOURS}
        account_email(to=email, template="signup_link", context=context, kind="signup", locale=locale)


def signup_link_read(token: str) -> SignupRequest | None:
    """Return what a sign-up link asks for, or None if it is altered or older than its lifetime."""
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_LINK_HOURS * 3600)
    except signing.BadSignature:
        return None
    return SignupRequest(email=str(data["e"]), name=str(data["n"]), practice_name=str(data["p"]))
