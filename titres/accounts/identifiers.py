"""One normalisation of account identifiers and e-mail addresses.

Everything that compares what a person typed with an account goes through
these two functions: sign-up (so two accounts cannot differ only by case or
by compatibility characters), login, recovery, the lockout, FranceConnect
linking, the operators' admin. The database compares the stored keys
(`User.username_key`, `User.email_key`) exactly: never `iexact`, whose
`UPPER()` on PostgreSQL turns the dotless `ı` into `I` (so `victım.admin`
found `victim.admin`'s account) while Python's `casefold()` keeps it apart
(so each spelling had its own lockout counter).

NFKC folds compatibility forms (full-width letters, ligatures, superscripts)
into their plain equivalents, `casefold()` is Unicode's caseless matching,
and NFKC is applied again because case folding can produce unnormalised
text.
"""

import unicodedata


def identifier_key(value: str) -> str:
    text = unicodedata.normalize("NFKC", str(value or "").strip())
    return unicodedata.normalize("NFKC", text.casefold())


def email_key(value: str) -> str:
    # The whole address: providers treat local parts case-insensitively, and
    # an account per case variant is what sign-up must prevent.
    return identifier_key(value)
