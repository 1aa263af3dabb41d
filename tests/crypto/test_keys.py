"""Master keys: rotation, unknown and corrupt keys, malformed configuration."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.test import override_settings

from alongside.audit.models import AuditAction, AuditEvent
from alongside.care.models import ClientProfile
from alongside.crypto import keys
from alongside.crypto.checks import check_master_keys
from alongside.crypto.models import DataKey
from tests import factories

pytestmark = pytest.mark.django_db

NEW_KEY = "bmV3LW1hc3Rlci1rZXktZm9yLXRoZS10ZXN0cy0zMiE="  # 32 bytes, base64


@pytest.fixture(autouse=True)
def _fresh_key_cache():
    """Unwrapped keys are cached per process; each test must unwrap from the database."""
    keys.cache.forget()
    yield
    keys.cache.forget()


def _reread_name(profile: ClientProfile) -> str:
    keys.cache.forget()
    return ClientProfile.objects.get(pk=profile.pk).preferred_name


def _keys(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("keys", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_generate_prints_a_usable_master_key() -> None:
    """`keys generate` prints a fresh base64 32-byte key that the parser accepts."""
    first, _ = _keys("generate")
    second, _ = _keys("generate")
    assert first.strip() != second.strip()
    assert len(keys.parse_master_key(first).secret) == 32


def test_rotate_rewraps_every_key_and_data_opens_with_only_the_new_key() -> None:
    """After rotation every data key is under the new master key; the old one can go."""
    practice = factories.practice()
    clients = [factories.client(practice, name=f"Rotate-{i}") for i in range(3)]
    old_id = keys.current_master_key().key_id
    assert DataKey.objects.count() >= 3
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {old_id}

    with override_settings(ALONGSIDE_MASTER_KEY=NEW_KEY, ALONGSIDE_OLD_MASTER_KEYS=[settings.ALONGSIDE_MASTER_KEY]):
        new_id = keys.current_master_key().key_id
        out, _ = _keys("rotate", "--batch-size", "2")
        # During rotation both keys are configured; afterwards every row names the new one.
        assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {new_id}
    assert new_id != old_id
    assert f"{DataKey.objects.count()} data key(s) re-wrapped" in out
    assert "2/" in out  # progress after the first batch
    event = AuditEvent.objects.filter(action=AuditAction.KEYS_ROTATED).get()
    assert event.detail["master_key_id"] == new_id

    with override_settings(ALONGSIDE_MASTER_KEY=NEW_KEY, ALONGSIDE_OLD_MASTER_KEYS=[]):
        assert [_reread_name(c) for c in clients] == ["Rotate-0", "Rotate-1", "Rotate-2"]
        out, _ = _keys("check")
        assert "all unwrap" in out


def test_rotate_twice_changes_nothing_the_second_time() -> None:
    """Rotation is resumable: keys already under the current master key are left alone."""
    factories.client(factories.practice(), name="Twice")
    with override_settings(ALONGSIDE_MASTER_KEY=NEW_KEY, ALONGSIDE_OLD_MASTER_KEYS=[settings.ALONGSIDE_MASTER_KEY]):
        _keys("rotate")
        wrapped = dict(DataKey.objects.values_list("owner_id", "wrapped_key"))
        out, _ = _keys("rotate")
    assert "0 data key(s) re-wrapped" in out
    assert {k: bytes(v) for k, v in DataKey.objects.values_list("owner_id", "wrapped_key")} == {
        k: bytes(v) for k, v in wrapped.items()
    }


def test_dropping_the_old_key_before_rotation_is_a_clear_unknown_master_key_error() -> None:
    """Without the old key, unwrapping names the missing key and where to put it; rotate changes nothing."""
    profile = factories.client(factories.practice(), name="Stranded")
    old_id = keys.current_master_key().key_id
    with override_settings(ALONGSIDE_MASTER_KEY=NEW_KEY, ALONGSIDE_OLD_MASTER_KEYS=[]):
        keys.cache.forget()
        with pytest.raises(keys.UnknownMasterKey, match=rf"master key {old_id}, which is not configured"):
            keys.data_key(profile.pk, create=False)
        with pytest.raises(keys.UnknownMasterKey, match="ALONGSIDE_OLD_MASTER_KEYS"):
            _reread_name(profile)
        with pytest.raises(CommandError, match=r"not configured.*ALONGSIDE_OLD_MASTER_KEYS"):
            _keys("rotate")
        with pytest.raises(CommandError, match="do not unwrap"):
            _keys("check")
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {old_id}
    assert not AuditEvent.objects.filter(action=AuditAction.KEYS_ROTATED).exists()
    assert _reread_name(profile) == "Stranded"


def test_corrupted_wrapped_key_is_a_clear_corrupt_key_error() -> None:
    """A damaged wrapped key never yields a wrong key: CorruptKey says what happened and what to do."""
    profile = factories.client(factories.practice(), name="Damaged")
    healthy = factories.client(factories.practice("Elsewhere"), name="Healthy")
    row = DataKey.objects.get(owner_id=profile.pk)
    damaged = bytearray(bytes(row.wrapped_key))
    damaged[-1] ^= 0x01
    DataKey.objects.filter(pk=row.pk).update(wrapped_key=bytes(damaged))

    with pytest.raises(keys.CorruptKey, match=rf"{profile.pk}.*altered or damaged.*backup"):
        _reread_name(profile)
    assert _reread_name(healthy) == "Healthy"
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 data key"):
        call_command("keys", "check", stdout=io.StringIO(), stderr=err)
    assert f"CorruptKey: The wrapped data key of {profile.pk}" in err.getvalue()
    assert str(healthy.pk) not in err.getvalue()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("not base64 at all!", "is not valid base64"),
        ("c2hvcnQ=", "must decode to 32 bytes"),
    ],
)
def test_malformed_master_key_is_a_system_check_error(raw: str, message: str) -> None:
    """A malformed master key stops start-up (system check alongside.E001) and says how to make one."""
    with override_settings(ALONGSIDE_MASTER_KEY=raw):
        errors = check_master_keys()
        assert [e.id for e in errors] == ["alongside.E001"]
        assert message in errors[0].msg
        assert "alongside keys generate" in errors[0].msg
        with pytest.raises(SystemCheckError, match=r"alongside\.E001"):
            call_command("check", stdout=io.StringIO(), stderr=io.StringIO())


def test_malformed_old_master_key_is_named() -> None:
    """A bad entry in ALONGSIDE_OLD_MASTER_KEYS is reported by its position."""
    with override_settings(ALONGSIDE_OLD_MASTER_KEYS=[NEW_KEY, "oops"]):
        errors = check_master_keys()
    assert [e.id for e in errors] == ["alongside.E001"]
    assert "ALONGSIDE_OLD_MASTER_KEYS[1]" in errors[0].msg


def test_well_formed_keys_pass_the_system_check() -> None:
    """The check stays quiet when every configured key is well formed."""
    with override_settings(ALONGSIDE_OLD_MASTER_KEYS=[NEW_KEY]):
        assert check_master_keys() == []
