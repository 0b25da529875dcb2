"""Phone numbers: typed, shared as a contact, or the WhatsApp sender's own; E.164 out."""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from handlers.registration.fields import Invalid

DEFAULT_REGION = "ID"
ALLOWED_REGIONS = ("ID", "MY")  # Indonesian numbers, and Malaysian ones (+60)
MAX_LENGTH = 30


def normalise(text: str, region: str = DEFAULT_REGION) -> str:
    """A typed number as E.164 (+62..., +60...); raise Invalid with what is wrong."""
    value = text.strip()
    if len(value) > MAX_LENGTH:
        raise Invalid("too_long", max=MAX_LENGTH, length=len(value))
    try:
        number = phonenumbers.parse(value, region)
        if not phonenumbers.is_valid_number(number) and value.startswith("01"):
            number = phonenumbers.parse(value, "MY")  # 01x: a Malaysian mobile, never Indonesian
    except NumberParseException as exc:
        raise Invalid("phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise Invalid("phone")
    if phonenumbers.region_code_for_number(number) not in ALLOWED_REGIONS:
        raise Invalid("phone_country")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def from_contact(raw: str) -> str:
    """A shared contact's number (international, with or without '+') as E.164."""
    value = raw.strip()
    if value and value[0].isdigit() and not value.startswith("0"):
        value = "+" + value
    return normalise(value)


def from_whatsapp_id(user_id: str) -> str | None:
    """The WhatsApp sender's number (wa_id is digits without '+'), or None if not usable."""
    if not user_id.isdigit():
        return None
    try:
        return normalise("+" + user_id)
    except Invalid:
        return None


def display(e164: str) -> str:
    """A stored number in readable international form: +62 812-3456-7890."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
