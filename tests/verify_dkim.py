#!/usr/bin/env python3
"""Independent DKIM verifier for certstat's messages: dkimpy, no certstat code on this path.

    python3 tests/verify_dkim.py --key PRIVATE_KEY.pem --selector S --domain D MESSAGE...

The public key record (`v=DKIM1; k=rsa|ed25519; p=...`) is derived from the private key with
`cryptography` and answered to dkimpy's DNS lookup of `S._domainkey.D`, so no DNS is needed.
Prints one line per message, `ok PATH` or `FAIL PATH: reason`; exit 0 when every message
verifies, 1 when one does not, 2 when dkimpy or cryptography is missing.
"""

import argparse
import base64
import sys

try:
    import dkim
    import nacl  # noqa: F401  (dkimpy needs it for ed25519-sha256)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
except ImportError as e:  # pragma: no cover
    print(f"{e}: pip install dkimpy pynacl cryptography", file=sys.stderr)
    sys.exit(2)


def public_record(path):
    with open(path, "rb") as f:
        data = f.read()
    if b"-----BEGIN" in data:
        key = serialization.load_pem_private_key(data, password=None)
    else:
        key = ed25519.Ed25519PrivateKey.from_private_bytes(base64.b64decode(data.strip()))
    if isinstance(key, rsa.RSAPrivateKey):
        der = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return b"v=DKIM1; k=rsa; p=" + base64.b64encode(der)
    raw = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return b"v=DKIM1; k=ed25519; p=" + base64.b64encode(raw)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--key", required=True)
    p.add_argument("--selector", required=True)
    p.add_argument("--domain", required=True)
    p.add_argument("messages", nargs="+")
    args = p.parse_args()
    record = public_record(args.key)
    wanted = f"{args.selector}._domainkey.{args.domain}.".lower()

    def dns(name, timeout=5):
        name = name.decode() if isinstance(name, bytes) else name
        return record if name.lower().rstrip(".") + "." == wanted else None

    failed = 0
    for path in args.messages:
        with open(path, "rb") as f:
            msg = f.read()
        d = dkim.DKIM(msg)
        try:
            good = d.verify(dnsfunc=dns)
            reason = "" if good else "signature does not verify"
        except dkim.DKIMException as e:
            good, reason = False, str(e)
        if good:
            print(f"ok {path}")
        else:
            failed += 1
            print(f"FAIL {path}: {reason}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
