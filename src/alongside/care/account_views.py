"""Account pages that need a practice: confirming a practice sign-up, and the staff's sign-in pauses.

They are served under /accounts/ in the accounts namespace (see alongside.urls), but live here,
in care, because accounts sits below care and must not import it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from alongside.accounts import services, throttle
from alongside.accounts.forms import SignupPasswordForm
from alongside.accounts.models import User
from alongside.accounts.signup import signup_link_read
from alongside.care import selectors as care_selectors
from alongside.care.models import Membership
from alongside.care.services import practice_signup
from alongside.core.session_keys import SESSION_MFA_OK


@sensitive_post_parameters("password1", "password2")
@never_cache
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """From the emailed link: choose a password; create the account and its practice, sign in, set up MFA."""
    wanted = signup_link_read(token)
    if wanted is None or User.objects.filter(email__iexact=wanted.email).exists():
        return render(request, "accounts/signup_confirm.html", {"form": None}, status=400)
    form = SignupPasswordForm(request.POST or None, email=wanted.email, name=wanted.name)
    if request.method == "POST" and form.is_valid():
        try:
            user = practice_signup(
                email=wanted.email,
                password=form.cleaned_data["password1"],
                name=wanted.name,
                practice_name=wanted.practice_name,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.user.is_authenticated:
                services.session_end(request=request, reason="new sign-in")
                logout(request)
            services.session_start(request=request, user=user, mfa_verified=False)
            messages.success(request, _("Your practice is ready. Now protect your account with a second factor."))
            return redirect("accounts:mfa_enrol")
    return render(request, "accounts/signup_confirm.html", {"form": form, "request_data": wanted})


@login_required
@never_cache
def lockouts(request: HttpRequest) -> HttpResponse:
    """List the sign-in pauses of the practice's staff in the last week (practice owners and admins)."""
    if not request.session.get(SESSION_MFA_OK):
        return redirect(f"{reverse('accounts:mfa_verify')}?next={request.path}")
    membership = care_selectors.membership_for(user=request.user)
    if membership is None or not membership.is_admin:
        raise PermissionDenied(_("Only practice admins can use this page."))
    staff = Membership.objects.filter(practice=membership.practice).values("user_id")
    pauses = throttle.recent_pauses(users=staff)
    code_pauses = throttle.recent_code_pauses(users=staff)
    context = {
        "pauses": pauses,
        "code_pauses": code_pauses,
        "now": timezone.now(),
        "practice": membership.practice,
        "membership": membership,
    }
    return render(request, "accounts/lockouts.html", context)


# Appended to the accounts namespace by alongside.urls.
urlpatterns = [
    path("signup/confirm/<str:token>/", signup_confirm, name="signup_confirm"),
    path("lockouts/", lockouts, name="lockouts"),
]
