"""The shared base of exercise schemas and the one validation entry point."""

from __future__ import annotations

from typing import Any, ClassVar

import pydantic
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SCHEMAS: dict[str, type[ExerciseData]] = {}


class Strict(pydantic.BaseModel):
    """Refuse unknown fields; trim text."""

    model_config = pydantic.ConfigDict(extra="forbid", str_strip_whitespace=True)


class ExerciseData(Strict):
    """One exercise type's data. Drafts may leave parts empty; ``missing_parts`` lists what completion needs."""

    kind: ClassVar[str] = ""
    # (attribute, label) of the parts completion needs; a part is missing when empty.
    required_parts: ClassVar[tuple[tuple[str, Any], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind:
            SCHEMAS[cls.kind] = cls

    def missing_parts(self) -> list[str]:
        return [str(label) for attr, label in self.required_parts if getattr(self, attr) in (None, "", [])]


def pydantic_messages(error: pydantic.ValidationError) -> list[str]:
    """Plain-language messages for a pydantic error, naming the field at fault."""
    messages = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or _("data")
        ctx = item.get("ctx") or {}
        kind = item["type"]
        if kind == "extra_forbidden":
            messages.append(_("Unknown field: %(field)s.") % {"field": where})
        elif kind == "greater_than_equal":
            messages.append(_("%(field)s must be at least %(limit)s.") % {"field": where, "limit": ctx.get("ge")})
        elif kind == "less_than_equal":
            messages.append(_("%(field)s must be at most %(limit)s.") % {"field": where, "limit": ctx.get("le")})
        elif kind in {"int_parsing", "int_type", "int_from_float"}:
            messages.append(_("%(field)s must be a whole number.") % {"field": where})
        elif kind == "string_too_long":
            messages.append(_("%(field)s is too long.") % {"field": where})
        else:
            messages.append(_("%(field)s is not valid: %(reason)s") % {"field": where, "reason": item["msg"]})
    return messages


def validate_data(kind: str, data: Any, *, complete: bool = False) -> dict[str, Any]:
    """Return ``data`` checked and normalised by its type's schema; raise ``ValidationError`` otherwise."""
    schema = SCHEMAS.get(kind)
    if schema is None:
        raise ValidationError(_("Unknown exercise type."))
    try:
        model = schema.model_validate(data if data is not None else {})
    except pydantic.ValidationError as error:
        raise ValidationError(pydantic_messages(error)) from None
    if complete:
        missing = model.missing_parts()
        if missing:
            raise ValidationError(
                _("Before finishing, please fill in: %(parts)s.") % {"parts": ", ".join(missing)}, code="incomplete"
            )
    return model.model_dump(mode="json")
