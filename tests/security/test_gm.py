"""国密 options: SM3 for passwords, SM4 for designated stored fields (GB/T 39786-2021), all through OpenSSL
(hashlib, cryptography). Known-answer tests from the standards, then Duban's hasher, field, key rotation."""
from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator

import pytest
from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher, make_password
from django.core import serializers
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection, models
from django.test.utils import isolate_apps, override_settings
from django.utils import timezone

from duban.core import crypto
from duban.core.backup import HistoricalDeserializer
from duban.core.fields import EncryptedTextField
from duban.people.hashers import SM3PBKDF2PasswordHasher, _pbkdf2_python, pbkdf2_sm3
from duban.people.models import User
from duban.tasks.models import Task

SM3_HASHER = "duban.people.hashers.SM3PBKDF2PasswordHasher"
KEY_OLD = "0123456789abcdeffedcba9876543210"
KEY_NEW = "00112233445566778899aabbccddeeff"


# ------------------------------------------------------------------------------------- known answers


def test_sm3_known_answers_gb_t_32905() -> None:
    assert hashlib.new("sm3", b"abc").hexdigest() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
    assert hashlib.new("sm3", b"abcd" * 16).hexdigest() == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")


def test_sm4_known_answers_gb_t_32907() -> None:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    block = encryptor.update(key)
    assert block.hex() == "681edf34d206965e86b3e94f536e4246"
    for _ in range(999_999):  # the standard's second example: the same block encrypted a million times
        block = encryptor.update(block)
    assert block.hex() == "595298c7c6fd271f0402f804c33d3f66"


def test_sm4_gcm_known_answer_rfc_8998() -> None:
    """The mode Duban stores values in is standard SM4-GCM (RFC 8998, appendix A.1)."""
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    nonce = bytes.fromhex("00001234567800000000ABCD")
    plain = bytes.fromhex("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
                          "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA")
    encryptor = crypto._cipher(key, nonce).encryptor()
    encryptor.authenticate_additional_data(bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2"))
    assert (encryptor.update(plain) + encryptor.finalize()).hex().upper() == (
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D")
    assert encryptor.tag.hex().upper() == "83DE3541E4C2B58177E065A9BF7B62EC"


# -------------------------------------------------------------------------------------- SM3 passwords


@pytest.mark.parametrize(("iterations", "dklen"), [(1, 32), (3, 32), (1000, 32), (2, 70)])
def test_pbkdf2_sm3_fallback_matches_openssl(iterations: int, dklen: int) -> None:
    assert _pbkdf2_python(b"password", b"NaCl-salt", iterations, dklen) == hashlib.pbkdf2_hmac(
        "sm3", b"password", b"NaCl-salt", iterations, dklen)
    assert pbkdf2_sm3("password", "NaCl-salt", iterations, dklen) == _pbkdf2_python(
        b"password", b"NaCl-salt", iterations, dklen)


@override_settings(DUBAN_SM3_ITERATIONS=1000)
def test_hasher_round_trip_and_wrong_password() -> None:
    hasher = SM3PBKDF2PasswordHasher()
    encoded = hasher.encode("督办-正确密码", hasher.salt())
    assert encoded.startswith("pbkdf2_sm3$1000$")
    assert hasher.verify("督办-正确密码", encoded)
    assert not hasher.verify("督办-错误密码", encoded)
    assert not hasher.verify("", encoded)
    summary = hasher.safe_summary(encoded)
    assert summary["algorithm"] == "pbkdf2_sm3" and summary["iterations"] == 1000
    assert "督办" not in str(summary) and encoded.rsplit("$", 1)[1] not in str(summary)
    assert not hasher.must_update(encoded)
    with override_settings(DUBAN_SM3_ITERATIONS=2000):
        assert hasher.must_update(encoded)
        hasher.harden_runtime("督办-错误密码", encoded)  # does the missing 1000 iterations, returns nothing


@pytest.mark.django_db
def test_enabled_sm3_hasher_hashes_new_passwords_and_upgrades_old_ones_at_login() -> None:
    user = User.objects.get(username="zhujian")
    assert identify_hasher(user.password).algorithm == "md5"  # the test session's fast hasher
    with override_settings(PASSWORD_HASHERS=[SM3_HASHER, "django.contrib.auth.hashers.MD5PasswordHasher"],
                           DUBAN_SM3_ITERATIONS=1000):
        assert get_hasher().algorithm == "pbkdf2_sm3"
        encoded = make_password("新的密码-2026")
        assert encoded.startswith("pbkdf2_sm3$") and check_password("新的密码-2026", encoded)
        assert not check_password("新的密码-2027", encoded)
        assert not user.check_password("wrong")
        assert user.check_password("duban-demo")  # verified with MD5, then re-hashed with SM3 and saved
        user.refresh_from_db()
        assert user.password.startswith("pbkdf2_sm3$1000$") and user.check_password("duban-demo")
    # Switched off again (SM3 kept later in the list): the SM3 hash still verifies.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher", SM3_HASHER]):
        assert check_password("duban-demo", user.password)


# ---------------------------------------------------------------------------------------- SM4 fields


@pytest.fixture
def Note(db) -> Iterator[type[models.Model]]:  # noqa: ANN001, N802
    """A model with an EncryptedTextField over the comment table (a TEXT column), in its own app registry."""
    with isolate_apps("duban.tasks"):
        class EncryptedNote(models.Model):
            task_id = models.BigIntegerField()
            author_id = models.BigIntegerField()
            text = EncryptedTextField()
            is_instruction = models.BooleanField(default=True)
            created_at = models.DateTimeField(default=timezone.now)

            class Meta:
                app_label = "tasks"
                db_table = "tasks_comment"
                managed = False

        yield EncryptedNote


def _new(Note: type[models.Model], text: str) -> models.Model:  # noqa: N803
    return Note.objects.create(task_id=Task.objects.actionable().first().pk,
                               author_id=User.objects.get(username="leader").pk, text=text)


def _raw(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM tasks_comment WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _set_raw(pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tasks_comment SET text = %s WHERE id = %s", [value, pk])


INSTRUCTION = "请住建局月底前报送进展。联系人手机 13800138000"


@override_settings(DUBAN_SM4_KEYS="")
def test_without_a_key_values_are_stored_as_plain_text(Note: type[models.Model]) -> None:  # noqa: N803
    note = _new(Note, INSTRUCTION)
    assert _raw(note.pk) == INSTRUCTION
    assert Note.objects.get(pk=note.pk).text == INSTRUCTION
    lookalike = _new(Note, "sm4:v1:AAAA is how encrypted values start")
    assert _raw(lookalike.pk) == "sm4:plain:sm4:v1:AAAA is how encrypted values start"
    assert Note.objects.get(pk=lookalike.pk).text == "sm4:v1:AAAA is how encrypted values start"
    assert not crypto.is_encrypted(_raw(note.pk)) and crypto.current_key_id() is None


@override_settings(DUBAN_SM4_KEYS=f"k1:{KEY_OLD}")
def test_field_round_trip_through_the_database(Note: type[models.Model]) -> None:  # noqa: N803
    note = _new(Note, INSTRUCTION)
    raw = _raw(note.pk)
    assert raw.startswith("sm4:vk1:") and crypto.is_encrypted(raw)
    assert "13800138000" not in raw and "住建局".encode().hex() not in raw
    assert Note.objects.get(pk=note.pk).text == INSTRUCTION
    assert list(Note.objects.filter(pk=note.pk).values_list("text", flat=True)) == [INSTRUCTION]
    second = _new(Note, INSTRUCTION)
    assert _raw(second.pk) != raw  # a fresh nonce each time: equal texts do not show as equal
    empty = _new(Note, "")
    assert _raw(empty.pk) == "" and Note.objects.filter(text="", pk=empty.pk).exists()
    with pytest.raises(TypeError):
        Note.objects.filter(text=INSTRUCTION).exists()
    with pytest.raises(FieldError):
        Note.objects.filter(text__icontains="住建").exists()


@override_settings(DUBAN_SM4_KEYS=f"k1:{KEY_OLD}")
def test_dumps_carry_the_ciphertext_and_load_back(Note: type[models.Model]) -> None:  # noqa: N803
    """What `duban backup` writes: the encrypted form, never the text."""
    note = _new(Note, INSTRUCTION)
    dumped = serializers.serialize("jsonl", [note])
    assert "13800138000" not in dumped and "sm4:vk1:" in dumped
    (loaded,) = HistoricalDeserializer(io.StringIO(dumped), model_apps=Note._meta.apps)
    assert loaded.object.text == INSTRUCTION


@override_settings(DUBAN_SM4_KEYS=f"k1:{KEY_OLD}")
def test_a_tampered_ciphertext_is_refused(Note: type[models.Model]) -> None:  # noqa: N803
    note = _new(Note, INSTRUCTION)
    raw = _raw(note.pk)
    body = raw.rsplit(":", 1)[1]
    middle = len(body) // 2
    flipped = raw[: -len(body)] + body[:middle] + ("A" if body[middle] != "A" else "B") + body[middle + 1:]
    _set_raw(note.pk, flipped)
    with pytest.raises(crypto.CryptoError, match="does not authenticate"):
        Note.objects.get(pk=note.pk)
    with (override_settings(DUBAN_SM4_KEYS=f"k1:{KEY_OLD},k2:{KEY_OLD}"),
          pytest.raises(crypto.CryptoError, match="does not authenticate")):  # the key id is authenticated
        crypto.decrypt(raw.replace("sm4:vk1:", "sm4:vk2:"))
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(raw[:20])
    with pytest.raises(crypto.CryptoError, match="not configured"):
        crypto.decrypt(raw.replace("sm4:vk1:", "sm4:vk9:"))


def test_rotation_old_keys_decrypt_and_reencrypt_moves_to_the_current_key(
        Note: type[models.Model]) -> None:  # noqa: N803
    with override_settings(DUBAN_SM4_KEYS=f"old:{KEY_OLD}"):
        old_value = crypto.encrypt(INSTRUCTION)
        notes = [_new(Note, f"{INSTRUCTION} #{i}") for i in range(3)]
        plain = _new(Note, "")
    _set_raw(plain.pk, "启用加密之前写入的批示")  # data from before encryption was switched on
    with override_settings(DUBAN_SM4_KEYS=f"new:{KEY_NEW},old:{KEY_OLD}"):
        assert crypto.current_key_id() == "new"
        assert crypto.decrypt(old_value) == INSTRUCTION
        assert Note.objects.get(pk=notes[0].pk).text == f"{INSTRUCTION} #0"
        moved = crypto.reencrypt(old_value)
        assert moved.startswith("sm4:vnew:") and crypto.decrypt(moved) == INSTRUCTION
        assert crypto.reencrypt(moved) == moved  # already current: left alone, so a rotation can be re-run
        assert crypto.reencrypt_column(Note, "text", batch_size=2) >= 4
        assert all(_raw(n.pk).startswith("sm4:vnew:") for n in [*notes, plain])
        assert crypto.reencrypt_column(Note, "text") == 0
        assert Note.objects.get(pk=plain.pk).text == "启用加密之前写入的批示"
    with override_settings(DUBAN_SM4_KEYS=f"new:{KEY_NEW}"):  # the old key retired after the rotation
        assert [Note.objects.get(pk=n.pk).text for n in notes] == [f"{INSTRUCTION} #{i}" for i in range(3)]
        with pytest.raises(crypto.CryptoError, match="old is not configured"):
            crypto.decrypt(old_value)


@pytest.mark.parametrize("spec", ["1:0123", "1:zz23456789abcdeffedcba9876543210",
                                  f"1:{KEY_OLD},1:{KEY_NEW}", f"a:b:{KEY_OLD}", f"plain:{KEY_OLD}", KEY_OLD])
def test_bad_key_settings_are_refused(spec: str) -> None:
    with override_settings(DUBAN_SM4_KEYS=spec), pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")


def test_generated_keys_are_accepted() -> None:
    with override_settings(DUBAN_SM4_KEYS=f"2026a:{crypto.generate_key()}"):
        assert crypto.decrypt(crypto.encrypt("批示")) == "批示"


def test_system_check_reports_bad_keys_and_gm_without_keys() -> None:
    with override_settings(DUBAN_SM4_KEYS=f"1:{KEY_OLD}", DUBAN_GM=True):
        assert crypto.check_configuration() == []
    with override_settings(DUBAN_SM4_KEYS="1:0123"):
        assert [m.id for m in crypto.check_configuration()] == ["duban.E102"]
    with override_settings(DUBAN_SM4_KEYS="", DUBAN_GM=True):
        assert [m.id for m in crypto.check_configuration()] == ["duban.W101"]
    with override_settings(DUBAN_SM4_KEYS="", DUBAN_GM=False):
        assert crypto.check_configuration() == []  # the default install: nothing to say
