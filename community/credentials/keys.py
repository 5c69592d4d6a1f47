"""The issuer's signing key: Ed25519, made once, kept in the database with its private half
sealed (AES-GCM under a key derived from SECRET_KEY by HKDF), its public half published as a
JWK on the issuer profile (`kid` = the key's JWK thumbprint, RFC 7638).

Why the database and not the instance folder: every instance of the app (several web servers,
the worker) signs with the same key without sharing a disk; a database dump alone does not
give the key away (SECRET_KEY is not in it). If SECRET_KEY changes, the sealed key cannot be
opened any more: a new key is made and the old one retired, its public JWK still published so
that credentials signed with it still verify.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from joserfc.jwk import OKPKey
from sqlalchemy import select

from community.core.time import utcnow
from community.credentials.models import IssuerKey
from community.extensions import db

logger = logging.getLogger(__name__)

ALGORITHM = "EdDSA"
_NONCE_BYTES = 12
_INFO = b"community.credentials issuer key v1"


@contextmanager
def eddsa_allowed() -> Iterator[None]:
    """joserfc warns that "EdDSA" is superseded by the fully specified "Ed25519" (RFC 9864);
    Open Badges 3.0 and the VC-JWT verifiers in use today know "EdDSA", so it is what we sign
    and accept, on purpose."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*EdDSA.*")
        yield


def _sealing_key() -> bytes:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret)


def seal(private_pem: bytes) -> bytes:
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + AESGCM(_sealing_key()).encrypt(nonce, private_pem, _INFO)


def unseal(sealed: bytes) -> bytes | None:
    """The private key's PEM, or None when it was sealed under another SECRET_KEY."""
    try:
        return AESGCM(_sealing_key()).decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], _INFO)
    except InvalidTag:
        return None


def _current_row() -> IssuerKey | None:
    return db.session.scalars(
        select(IssuerKey).where(IssuerKey.retired_at.is_(None)).order_by(IssuerKey.id.desc())
    ).first()


def signing_key() -> tuple[IssuerKey, OKPKey]:
    """The key to sign with now, made (and a key sealed under an old SECRET_KEY retired) when
    needed, in the caller's transaction; the caller commits."""
    row = _current_row()
    if row is not None:
        pem = unseal(row.private_key_sealed)
        if pem is not None:
            return row, OKPKey.import_key(pem)
        logger.warning("issuer key %s was sealed under another SECRET_KEY: retiring it", row.kid)
        row.retired_at = utcnow()
    key = OKPKey.generate_key("Ed25519")
    row = IssuerKey(
        kid=key.thumbprint(),
        public_jwk=json.dumps(key.as_dict(private=False), sort_keys=True),
        private_key_sealed=seal(key.as_pem(private=True)),
    )
    db.session.add(row)
    db.session.flush()
    logger.info("new issuer key %s", row.kid)
    return row, key


def public_keys() -> list[IssuerKey]:
    """Every key ever used, newest first: old credentials stay verifiable."""
    return list(db.session.scalars(select(IssuerKey).order_by(IssuerKey.id.desc())))


def by_kid(kid: str) -> IssuerKey | None:
    return db.session.scalars(select(IssuerKey).where(IssuerKey.kid == kid)).first()


def public_key(row: IssuerKey) -> OKPKey:
    return OKPKey.import_key(json.loads(row.public_jwk))
