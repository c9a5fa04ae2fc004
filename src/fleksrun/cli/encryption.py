"""Encryption at rest, an optional extra: `encrypt` and `decrypt` the database file."""

from __future__ import annotations

import typer

from fleksrun.cli.options import JsonOpt


def encrypt(as_json: JsonOpt = False) -> None:
    """Encrypt the database with a passphrase (needs fleksrun[encrypted]); `decrypt` undoes it."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say, warn
    from fleksrun.services.encryption import encrypt as do_encrypt
    from fleksrun.store.connection import cipher

    cipher()  # without the extra, say so before asking for anything
    st = state()
    passphrase = _new_passphrase(st.db_path)
    result = do_encrypt(st.db_path, passphrase)
    st.use_passphrase(passphrase)
    if as_json:
        print_json(result)
        return
    say(t("encryption.encrypted", path=result["path"]))
    if not result["old_file_wiped"]:
        warn(t("encryption.not_wiped", path=result["path"]))
    if result["plain_copies"]:
        warn(t("encryption.plain_copies", files=", ".join(result["plain_copies"])))


def decrypt(as_json: JsonOpt = False) -> None:
    """Turn the encrypted database back into a plain one (needs fleksrun[encrypted])."""
    from fleksrun.cli.state import state
    from fleksrun.errors import InputError
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.encryption import decrypt as do_decrypt
    from fleksrun.store.connection import cipher, looks_encrypted

    cipher()
    st = state()
    passphrase = st.passphrase(st.db_path) if looks_encrypted(st.db_path) else ""
    if passphrase is None:
        raise InputError("encryption.ask_in_terminal")
    result = do_decrypt(st.db_path, passphrase)
    if as_json:
        print_json(result)
    else:
        say(t("encryption.decrypted", path=result["path"]))


def _new_passphrase(path: object) -> str:
    """FLEKSRUN_PASSPHRASE, else typed twice in the terminal, hidden, and the same both times."""
    from fleksrun.cli.state import env, interactive
    from fleksrun.errors import InputError
    from fleksrun.i18n import t
    from fleksrun.store.connection import PASSPHRASE_ENV

    given = env(PASSPHRASE_ENV)
    if given:
        return given
    if not interactive():  # a script or a pipe: a hidden question cannot be asked there
        raise InputError("encryption.ask_in_terminal")
    first = typer.prompt(t("encryption.prompt_new", path=str(path)), hide_input=True, err=True)
    second = typer.prompt(t("encryption.prompt_again"), hide_input=True, err=True)
    if first != second:
        raise InputError("encryption.mismatch")
    return str(first)


def register(app: typer.Typer) -> None:
    for command in (encrypt, decrypt):
        app.command()(command)
