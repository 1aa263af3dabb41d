"""People who sign in, their second factors and their failed sign-ins."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.crypto.fields import EncryptedTextField


class AccountsAuditAction(models.TextChoices):
    """Account events beyond the core set in ``alongside.audit.models.AuditAction`` (registered in apps.py)."""

    MFA_ENROLMENT_STARTED = "auth.mfa_enrolment_started", _("Second-factor enrolment started")
    RECOVERY_CODES_REPLACED = "auth.recovery_codes_replaced", _("Recovery codes replaced")
    MFA_PASSED = "auth.mfa_passed", _("Second factor checked at sign-in")
    TIME_ZONE_CHANGED = "auth.time_zone_changed", _("Time zone changed")
    PASSKEY_ADDED = "auth.passkey_added", _("Passkey added")
    PASSKEY_REMOVED = "auth.passkey_removed", _("Passkey removed")
    PASSKEY_SIGN_IN = "auth.passkey_sign_in", _("Signed in with a passkey alone")


class UserKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    CLIENT = "client", _("Client")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, kind=UserKind.STAFF)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: staff (clinicians, admins) or clients. Email is the login."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True, help_text=_("Staff display name."))
    kind = models.CharField(max_length=10, choices=UserKind.choices, default=UserKind.STAFF)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text=_("May use the operator's Django admin."))
    date_joined = models.DateTimeField(default=timezone.now)
    locale = models.CharField(max_length=10, default="en")
    # The zone this person reads times in (an IANA name). Blank: the client's own zone, or the practice's.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, default="")

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_client(self) -> bool:
        return self.kind == UserKind.CLIENT

    @property
    def display_name(self) -> str:
        return self.name or self.email


class TotpDevice(models.Model):
    """A TOTP authenticator. The secret is encrypted under the user's data key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp")
    secret = EncryptedTextField(key_field="user_id")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0, help_text="Time step of the last accepted code; never reused.")
    created_at = models.DateTimeField(auto_now_add=True)
    # Wrong codes since the last right one, counted with one UPDATE per try (so parallel tries all count),
    # and the pause that follows too many of them (doubling with each pause in a row).
    failures = models.PositiveIntegerField(default=0)
    lockouts = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"authenticator of {self.user_id}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A single-use recovery code, stored as a SHA-256 digest (codes carry 50 random bits)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "digest"], name="accounts_recovery_code_unique")]

    def __str__(self) -> str:
        return f"recovery code of {self.user_id}"


class ThrottleScope(models.TextChoices):
    ACCOUNT = "account", _("Account")
    ACCOUNT_IP = "account_ip", _("Account from one address")
    IP = "ip", _("Network address")
    MAIL = "mail", _("Account emails to one address")


class LoginThrottle(models.Model):
    """Failed sign-ins for one account, one network address, or one account from one address.

    ``key`` is a keyed hash (HMAC) of the email address and/or the address: the table never
    holds an email or an IP in the clear, so erasing a person leaves nothing of theirs behind.
    """

    key = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=12, choices=ThrottleScope.choices)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    failures = models.PositiveIntegerField(default=0)
    lockouts = models.PositiveIntegerField(default=0, help_text="Pauses in a row; each one lasts twice as long.")
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["last_failure_at"], name="accounts_throttle_last_failure")]

    def __str__(self) -> str:
        return f"{self.scope} throttle: {self.failures} failures"


class UserSession(models.Model):
    """The sessions a user holds, so that deactivating the user can end them all."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"session of {self.user_id}"


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class PersonalAccessToken(models.Model):
    """A token for the JSON API, made by its owner in settings. Only its SHA-256 digest is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=16, unique=True, help_text=_("Shown to tell tokens apart; not secret."))
    digest = models.CharField(max_length=64, help_text=_("SHA-256 of the whole token, hex."))
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    scope = models.CharField(max_length=8, choices=TokenScope.choices, default=TokenScope.WRITE)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"token {self.prefix}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def is_read_only(self) -> bool:
        return self.scope == TokenScope.READ


class Passkey(models.Model):
    """A WebAuthn credential: a second factor, or both factors at once when signing in with it alone.

    Only its public key is kept, never a secret."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField(max_length=100)
    # The authenticator's credential id, base64url without padding (as the browser sends it).
    credential_id = models.CharField(max_length=1400, unique=True)
    public_key = models.BinaryField()
    # The authenticator's signature counter; a count that does not rise warns of a cloned key.
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"passkey {self.pk} of {self.user_id}"
