"""Model fields whose values are encrypted with their owner's data key.

The column (``<name>_sealed``) holds an AES-256-GCM token whose associated data
names the table, the field and the row's primary key, so a token copied to
another row or field no longer opens. The model attribute ``<name>`` reads and
writes plaintext; decryption happens on first access and is cached on the
instance. Models using these fields need a primary key known before insert
(a UUID with a default) and name the attribute that holds the owner's id.

No maintained Django package binds ciphertext to row and field and supports
per-person keys with erasure, which is why this is written here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from alongside.crypto import keys


class _SealedAttribute(DeferredAttribute):
    """The ciphertext attribute: setting it (a load from the database) drops cached plaintext."""

    def __set__(self, instance: models.Model, value: Any) -> None:
        field: EncryptedTextField = self.field  # type: ignore[assignment]
        instance.__dict__[field.attname] = value
        instance.__dict__.pop(field.plain_key, None)
        instance.__dict__.pop(field.dirty_key, None)


class _PlainAttribute:
    """The plaintext attribute, decrypted lazily and encrypted on save."""

    def __init__(self, field: EncryptedTextField) -> None:
        self.field = field

    def __get__(self, instance: models.Model | None, owner: type) -> Any:
        if instance is None:
            return self
        data = instance.__dict__
        if self.field.plain_key in data:
            return data[self.field.plain_key]
        if self.field.attname not in data:
            instance.refresh_from_db(fields=[self.field.attname])
        value = self.field.open_token(instance, data[self.field.attname])
        data[self.field.plain_key] = value
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.plain_key] = value
        instance.__dict__[self.field.dirty_key] = True


if TYPE_CHECKING:
    # The stubs' field is generic in the types it sets and gets; an encrypted field's depend on the subclass.
    _TextField = models.TextField[Any, Any]
else:
    _TextField = models.TextField


class EncryptedTextField(_TextField):
    """Text encrypted under the data key of the person named by ``key_field``."""

    def __init__(self, *args: Any, key_field: str = "", **kwargs: Any) -> None:
        if not key_field:
            raise ImproperlyConfigured("Encrypted fields need key_field: the attribute holding the owner's id.")
        self.key_field = key_field
        kwargs.setdefault("editable", True)
        super().__init__(*args, **kwargs)

    descriptor_class = _SealedAttribute

    @property
    def plain_key(self) -> str:
        return f"_plain_{self.name}"

    @property
    def dirty_key(self) -> str:
        return f"_dirty_{self.name}"

    def get_attname(self) -> str:
        return f"{self.name}_sealed"

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, name, _PlainAttribute(self))

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["key_field"] = self.key_field
        return name, path, args, kwargs

    def context(self, instance: models.Model) -> str:
        if instance.pk is None:
            raise ImproperlyConfigured(
                f"{type(instance).__name__}.{self.name} is encrypted, so its row needs a primary key before saving."
            )
        return f"{instance._meta.db_table}|{self.name}|{instance.pk}"

    def owner_of(self, instance: models.Model) -> Any:
        owner = getattr(instance, self.key_field)
        if owner is None:
            raise ImproperlyConfigured(f"{type(instance).__name__}.{self.key_field} is empty: no key to seal with.")
        return owner

    # Plaintext <-> bytes; the JSON field overrides these two.
    def to_bytes(self, value: Any) -> bytes:
        return str(value).encode()

    def from_bytes(self, raw: bytes) -> Any:
        return raw.decode()

    def open_token(self, instance: models.Model, token: str | None) -> Any:
        if token is None or token == "":
            return None if token is None and self.null else self.empty_plain()
        raw = keys.open_sealed(token, owner_id=self.owner_of(instance), context=self.context(instance))
        return self.from_bytes(raw)

    def empty_plain(self) -> Any:
        return ""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        data = model_instance.__dict__
        if data.get(self.dirty_key) or (add and self.plain_key in data):
            plain = data.get(self.plain_key)
            if plain is None or plain == self.empty_plain():
                token = None if plain is None and self.null else ""
            else:
                token = keys.seal(
                    self.to_bytes(plain), owner_id=self.owner_of(model_instance), context=self.context(model_instance)
                )
            data[self.attname] = token
            data.pop(self.dirty_key, None)
        return data.get(self.attname)


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (dict, list, number, string) encrypted like :class:`EncryptedTextField`."""

    def to_bytes(self, value: Any) -> bytes:
        return json.dumps(value, separators=(",", ":"), sort_keys=True).encode()

    def from_bytes(self, raw: bytes) -> Any:
        return json.loads(raw)

    def empty_plain(self) -> Any:
        return None


class EncryptedBytesField(EncryptedTextField):
    """Raw bytes (an uploaded file) encrypted like :class:`EncryptedTextField`.

    Load it only when needed (``.defer()`` it in lists): the token is base64 text, about
    a third larger than the file.
    """

    def to_bytes(self, value: Any) -> bytes:
        return bytes(value)

    def from_bytes(self, raw: bytes) -> Any:
        return raw

    def empty_plain(self) -> Any:
        return b""
