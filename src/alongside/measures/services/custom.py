"""Writes for a practice's own questionnaires, imported from FHIR R4 Questionnaire JSON."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.audit.log import record
from alongside.care.models import Practice
from alongside.core.actor import Actor
from alongside.core.services import service
from alongside.measures import library
from alongside.measures.models import CustomInstrument, MeasureAuditAction
from alongside.measures.services.settings import _require_admin

MAX_UPLOAD_BYTES = 256 * 1024


@service
def custom_instrument_import(*, actor: Actor, practice: Practice, raw: bytes) -> CustomInstrument:
    """Import a FHIR Questionnaire for the practice: sum-scored, labelled not validated. Nothing is saved on error."""
    _require_admin(actor, practice)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(kb)s KB. Import a single Questionnaire.") % {"kb": MAX_UPLOAD_BYTES // 1024}
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text. Export the Questionnaire as JSON and try again.")
        ) from None
    try:
        instrument = library.custom_instrument_from_fhir(text)
    except library.AnswerError as error:
        raise ValidationError(
            _("This file cannot be imported: %(reason)s.") % {"reason": str(error).rstrip(".")}
        ) from None
    questionnaire = json.loads(text)
    try:
        library.get(instrument.code)
    except (LookupError, ValueError):
        pass
    else:
        raise ValidationError(_("A built-in questionnaire already uses the code %(code)s.") % {"code": instrument.code})
    try:
        with transaction.atomic():
            row = CustomInstrument.objects.create(
                practice=practice,
                code=instrument.code,
                name=instrument.name,
                questionnaire=questionnaire,
                created_by=actor,
                created_at=timezone.now(),
            )
            record(MeasureAuditAction.CUSTOM_IMPORTED, actor=actor, obj=row, detail={"code": row.code})
    except IntegrityError:
        raise ValidationError(
            _("Your practice already has a questionnaire with the code %(code)s. Give this one another id.")
            % {"code": instrument.code}
        ) from None
    return row
