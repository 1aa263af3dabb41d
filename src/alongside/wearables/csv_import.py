"""Import a CSV by picking its columns: the client uploads the file, sees its header and first rows, picks
from a select which column holds each field, saves the mapping, and the import runs with it.

The file is held as an upload (see uploads) until the mapping is saved, so erasure and delete-all remove it
like any unfinished upload. The mapping is validated by the CSV importer's own model
(:class:`~alongside.wearables.sources.csv.parser.ColumnMapping`) through ``wearables_csv_mapping_save``; the
saved mapping fills the selects next time wherever the new file has the same column names.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from alongside.access import Action, client_or_404, owned_or_404
from alongside.care.models import ClientProfile
from alongside.care.views import client_required, staff_required
from alongside.core.actor import signed_in
from alongside.wearables import uploads
from alongside.wearables.inputs import max_bytes
from alongside.wearables.mapping import KIND_LABELS, save_mapping
from alongside.wearables.models import CsvMapping, SourceName, Upload

PREVIEW_ROWS = 5
HEAD_BYTES = 64 * 1024  # enough for a header and the first rows of any reasonable CSV
TYPE_SCAN_ROWS = 10_000  # rows read to list the words of the type column
MAX_TYPES = 40
NONE = ""


class FileForm(forms.Form):
    file = forms.FileField(
        allow_empty_file=True,  # refused below with the file's name, as the chunked upload does
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("A text file whose first line names the columns, separated by commas."),
    )


def _head(path_or_bytes: bytes) -> tuple[list[str], list[list[str]]]:
    """The header and the first rows of a CSV's first bytes; ``ValueError`` if it is not one."""
    try:
        text = path_or_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as error:  # a cut in the middle of a character at the end is fine
        text = path_or_bytes[: error.start].decode("utf-8-sig", errors="strict") if error.start > 0 else ""
        if not text:
            raise ValueError("not UTF-8") from None
    lines = text.splitlines()[: PREVIEW_ROWS + 1]
    if len(path_or_bytes) >= HEAD_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line read may be cut short
    rows = list(csv.reader(lines))
    header = [name.strip() for name in rows[0]] if rows else []
    if len(header) < 2 or any(not name for name in header) or len(set(header)) != len(header):
        raise ValueError("no header")
    return header, rows[1:]


def _type_words(path: Path, column: str) -> list[str]:
    """The distinct words of ``column`` in the first rows of the file, in the order they first appear."""
    words: list[str] = []
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as stream:
        for number, row in enumerate(csv.DictReader(stream)):
            word = (row.get(column) or "").strip()
            if word and word not in words:
                words.append(word)
            if number >= TYPE_SCAN_ROWS or len(words) >= MAX_TYPES:
                break
    return words


class PickForm(forms.Form):
    """A select of the file's own columns for each field; the words of a type column each get a kind."""

    def __init__(self, *args: Any, header: list[str], words: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        optional = [(NONE, _("(none)")), *((name, name) for name in header)]
        required = [(NONE, _("Choose a column")), *((name, name) for name in header)]
        add = self.fields.__setitem__
        add("time", forms.ChoiceField(label=_("Time of each row"), choices=required))
        add("end", forms.ChoiceField(label=_("End time (if there is one)"), choices=optional, required=False))
        add(
            "minutes",
            forms.FloatField(
                label=_("Or: minutes each row covers"),
                min_value=0,
                max_value=1440,
                initial=0,
                help_text=_("Used when there is no end column; 0 for a single moment."),
            ),
        )
        add(
            "time_format",
            forms.CharField(
                label=_("How times are written (optional)"),
                max_length=40,
                required=False,
                help_text=_(
                    "Leave empty for times like 2024-03-10 08:00 or 2024-03-10T08:00:00+01:00. Otherwise, for example:"
                )
                + " %d/%m/%Y %H:%M",  # Python's strptime codes, the same in every language
            ),
        )
        add(
            "zone_column",
            forms.ChoiceField(label=_("Time zone of each row"), choices=optional, required=False),
        )
        add(
            "zone",
            forms.CharField(
                label=_("Otherwise, time zone of times written without an offset"),
                max_length=64,
                initial="UTC",
                help_text=_("For example Europe/Madrid or America/Mexico_City."),
            ),
        )
        add("source", forms.CharField(label=_("Name for this source"), max_length=60, initial="CSV"))
        add("value", forms.ChoiceField(label=_("Value of each row"), choices=optional, required=False))
        add("type", forms.ChoiceField(label=_("Type of each row"), choices=optional, required=False))
        add("unit", forms.ChoiceField(label=_("Unit of each row"), choices=optional, required=False))
        kinds = [(NONE, _("Leave these rows out")), *((kind.value, label) for kind, label in KIND_LABELS.items())]
        self.words = words
        for index, word in enumerate(words):
            label = _("Rows of type “%(word)s” are") % {"word": word}
            add(f"word_{index}", forms.ChoiceField(label=label, choices=kinds, required=False))
        for kind, label in KIND_LABELS.items():
            add(f"column_{kind.value}", forms.ChoiceField(label=label, choices=optional, required=False))

    def time_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("time", "end", "minutes", "time_format", "zone_column", "zone", "source")]

    def row_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("value", "type", "unit")]

    def word_fields(self) -> list[forms.BoundField]:
        return [self[f"word_{index}"] for index in range(len(self.words))]

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{kind.value}"] for kind in KIND_LABELS]

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:  # tie each error to its field for screen readers
            if name in self.fields:
                describe = f"{self[name].auto_id}_error"
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": describe})

    def mapping(self) -> dict[str, Any]:
        data = self.cleaned_data
        long = bool(data.get("value") or data.get("type"))
        return {
            "time": data["time"],
            "end": data.get("end") or None,
            "minutes": data["minutes"],
            "time_format": (data.get("time_format") or "").strip() or None,
            "zone": data["zone"].strip(),
            "zone_column": data.get("zone_column") or None,
            "source": data["source"].strip(),
            "value": data.get("value") or None,
            "type": data.get("type") or None,
            "unit": data.get("unit") or None,
            "types": {word: data[f"word_{index}"] for index, word in enumerate(self.words) if data.get(f"word_{index}")}
            if long
            else {},
            "columns": {  # both layouts at once is refused by the importer's model, with its reason
                kind.value: data[f"column_{kind.value}"] for kind in KIND_LABELS if data.get(f"column_{kind.value}")
            },
        }


def _initial(client: ClientProfile, header: list[str], words: list[str]) -> dict[str, Any]:
    """The saved mapping as initial choices, wherever this file has the same column names."""
    saved = CsvMapping.objects.filter(client=client).first()
    if saved is None:
        return {"time": next((name for name in header if "time" in name.lower() or "date" in name.lower()), NONE)}
    mapping = saved.mapping
    initial: dict[str, Any] = {}
    for key in ("time", "end", "zone_column", "value", "type", "unit"):
        if mapping.get(key) in header:
            initial[key] = mapping[key]
    for key in ("minutes", "time_format", "zone", "source"):
        if mapping.get(key) is not None:
            initial[key] = mapping[key]
    for kind, name in (mapping.get("columns") or {}).items():
        if name in header:
            initial[f"column_{kind}"] = name
    for index, word in enumerate(words):
        if word in (mapping.get("types") or {}):
            initial[f"word_{index}"] = mapping["types"][word]
    return initial


def _pick(
    request: HttpRequest, client: ClientProfile, header: list[str], words_of: Callable[[str], list[str]]
) -> tuple[PickForm, bool, bool]:
    """The picker for ``header``; on a complete POST, save the mapping. Return (form, asking, saved).

    ``asking`` is true when the type column was just chosen: the choices made are kept and the words of
    that column (``words_of``) are asked about. The mapping is saved (and audited) by
    ``wearables_csv_mapping_save``, which also checks that the actor may change the client's data.
    """
    posted = request.method == "POST" and "time" in request.POST
    type_column = request.POST.get("type") if posted else None
    if type_column is None:
        saved_mapping = CsvMapping.objects.filter(client=client).first()
        type_column = saved_mapping.mapping.get("type") if saved_mapping else None
    words = words_of(type_column) if type_column in header else []
    initial = _initial(client, header, words)
    asking = posted and bool(words) and not any(f"word_{i}" in request.POST for i in range(len(words)))
    if asking or not posted:
        data = {**initial, **request.POST.dict()} if asking else initial
        return PickForm(None, header=header, words=words, initial=data), asking, False
    form = PickForm(request.POST, header=header, words=words, initial=initial)
    if form.is_valid() and save_mapping(request, client, form):
        return form, False, True
    return form, False, False


@client_required
@require_http_methods(["GET", "POST"])
def csv_import_start(request: HttpRequest) -> HttpResponse:
    """Step 1: the client sends a CSV file; it is held until its columns are picked."""
    client = client_or_404(request.user, str(request.user.pk), Action.OWN)
    form = FileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        sent = form.cleaned_data["file"]
        name = Path(sent.name or "upload.csv").name
        try:
            if not sent.size:
                raise uploads.UploadRefused(_("%(name)s: the file is empty (0 bytes).") % {"name": name})
            if sent.size > max_bytes():
                limit = {"name": name, "size": sent.size, "limit": max_bytes()}
                message = _("%(name)s: the file is %(size)d bytes, over the limit of %(limit)d bytes.") % limit
                raise uploads.UploadRefused(message)
            sent.seek(0)
            _head(sent.read(HEAD_BYTES))
        except ValueError:
            form.add_error(
                "file", _("%(name)s: this is not a CSV file whose first line names its columns.") % {"name": name}
            )
        except uploads.UploadRefused as error:
            form.add_error("file", str(error))
        else:
            sent.seek(0)
            try:
                upload = uploads.upload_start(
                    actor=signed_in(request.user), client=client, name=name, size=sent.size, source=SourceName.CSV
                )
            except uploads.UploadRefused as error:  # three unfinished uploads already
                form.add_error("file", str(error))
            else:
                uploads.upload_hold(upload=upload, chunks=sent.chunks())
                return redirect("wearables:csv_import_pick", upload_id=upload.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "wearables/csv_import.html", {"form": form}, status=status)


@client_required
@require_http_methods(["GET", "POST"])
def csv_import_pick(request: HttpRequest, upload_id: uuid.UUID) -> HttpResponse:
    """Step 2: the file's header and first rows, a select per field; saving the mapping starts the import."""
    client = client_or_404(request.user, str(request.user.pk), Action.OWN)
    upload = owned_or_404(signed_in(request.user), Upload, upload_id, Action.OWN)
    if upload.source != SourceName.CSV or not uploads.upload_held(upload):  # imported already, or not a CSV
        messages.info(request, _("%(name)s is not waiting for its columns.") % {"name": upload.name})
        return redirect("wearables:mine")
    path = uploads.part_path(upload)
    with path.open("rb") as stream:
        header, rows = _head(stream.read(HEAD_BYTES))
    form, asking, saved = _pick(request, client, header, lambda column: _type_words(path, column))
    if saved:
        uploads.upload_queue(upload=upload)
        done = _("The mapping is saved and %(name)s is being imported with it.") % {"name": upload.name}
        messages.success(request, done)
        return redirect("wearables:mine")
    status = 400 if request.method == "POST" and not asking else 200
    context = {"form": form, "upload": upload, "header": header, "rows": rows, "asking": asking}
    return render(request, "wearables/csv_import_pick.html", context, status=status)


# The clinician's picker. The clinician sends one of the client's CSV files only to see its columns: nothing
# of it is stored. Its header, first rows and the words of each column that could be a type column travel
# with the form, signed (so they cannot be altered) and bound to the client, for an hour.
SAMPLE_SALT = "alongside.wearables.csv-sample"
SAMPLE_BYTES = 1024**2  # the first megabyte gives the words of a type column (the client's picker reads 10,000 rows)
SAMPLE_AGE = 3600


def _sample(sent: Any, name: str, client: ClientProfile) -> str:
    """Read the start of an uploaded file; return it signed (``ValueError`` if it is not a CSV with a header)."""
    sent.seek(0)
    data = sent.read(SAMPLE_BYTES)
    header, rows = _head(data[:HEAD_BYTES])
    text = data.decode("utf-8-sig", errors="ignore")
    if len(data) >= SAMPLE_BYTES:
        text = text[: text.rfind("\n") + 1]  # the last line read may be cut short
    words: dict[str, list[str]] = {column: [] for column in header}
    for number, row in enumerate(csv.DictReader(text.splitlines())):
        for column, found in list(words.items()):
            word = (row.get(column) or "").strip()
            if word and word not in found:
                found.append(word)
                if len(found) > MAX_TYPES:  # too many to be the words of a type column
                    del words[column]
        if number >= TYPE_SCAN_ROWS:
            break
    sample = {"client": str(client.pk), "name": name, "header": header, "rows": rows, "words": words}
    return signing.dumps(sample, salt=SAMPLE_SALT, compress=True)


@staff_required
@require_http_methods(["GET", "POST"])
def client_csv_pick(request: HttpRequest, membership: object, client_id: uuid.UUID) -> HttpResponse:
    """A clinician on the client's care team picks the columns of the client's CSV files (404 to outsiders).

    Step 1 sends one of the client's files; step 2 shows its header and first rows with a select per field,
    as the client's own picker does, and saves the mapping for the client (audited). Nothing is imported.
    """
    client = client_or_404(request.user, str(client_id), Action.WRITE_CLINICAL)
    sample: dict[str, Any] | None = None
    signed = request.POST.get("sample", "") if request.method == "POST" else ""
    file_form = FileForm(None)
    if signed:
        try:
            sample = signing.loads(signed, salt=SAMPLE_SALT, max_age=SAMPLE_AGE)
        except signing.BadSignature:
            messages.error(request, _("The file's columns are no longer at hand; send the file again."))
            return redirect("wearables:client_csv_mapping", client_id=client.pk)
        if sample.get("client") != str(client.pk):
            raise Http404
    elif request.method == "POST":
        file_form = FileForm(request.POST, request.FILES)
        if file_form.is_valid():
            sent = file_form.cleaned_data["file"]
            name = Path(sent.name or "upload.csv").name
            try:
                signed = _sample(sent, name, client)
            except ValueError:
                message = _("%(name)s: this is not a CSV file whose first line names its columns.") % {"name": name}
                file_form.add_error("file", message)
            else:
                sample = signing.loads(signed, salt=SAMPLE_SALT)
    context: dict[str, Any] = {"client": client, "file_form": file_form}
    if sample is None:
        status = 400 if request.method == "POST" else 200
        return render(request, "wearables/csv_mapping_staff.html", context, status=status)
    words = sample["words"]
    form, asking, saved = _pick(request, client, sample["header"], lambda column: words.get(column, []))
    if saved:
        messages.success(request, _("The CSV column mapping is saved. CSV files are read with it from now on."))
        return redirect("wearables:sources", client_id=client.pk)
    context |= {"form": form, "asking": asking, "sample": signed, **{k: sample[k] for k in ("name", "header", "rows")}}
    status = 400 if "time" in request.POST and not asking else 200
    return render(request, "wearables/csv_mapping_staff.html", context, status=status)
