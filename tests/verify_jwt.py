#!/usr/bin/env python3
"""Independent verifier of certstat credentials: no certstat code on this path.

    python3 tests/verify_jwt.py --jwks FILE|URL INPUT

INPUT is a baked PNG, a baked SVG or a .jwt file. The PNG is walked chunk by chunk
(every CRC checked with zlib) and, when Pillow is installed, also opened with Pillow,
which must find the same `openbadgecredential` iTXt text. The JWS is verified with
PyJWT (and `cryptography`) against the key of the JWKS whose `kid` its header names.

Prints one JSON object: {"kid", "claims", "png": {...}}; exit 0 when the signature
verifies, 1 (with the error on stderr) when not, 2 when PyJWT is missing.
"""

import argparse
import json
import struct
import sys
import urllib.request
import zlib

try:
    import jwt  # PyJWT
except ImportError:  # pragma: no cover
    print("PyJWT is not installed (pip install 'PyJWT[crypto]')", file=sys.stderr)
    sys.exit(2)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_credential(data):
    """The iTXt 'openbadgecredential' text, after checking every chunk's length and CRC."""
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG")
    at, found, kinds = 8, [], []
    while True:
        if at + 12 > len(data):
            raise ValueError("truncated PNG")
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind = data[at + 4:at + 8]
        body = data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise ValueError(f"bad CRC in chunk {kind!r}")
        kinds.append(kind.decode("latin-1"))
        if kind == b"iTXt":
            keyword, rest = body.split(b"\0", 1)
            if keyword == b"openbadgecredential":
                if rest[0] != 0:
                    raise ValueError("compressed openbadgecredential chunk")
                _lang, _translated, text = rest[2:].split(b"\0", 2)
                found.append(text.decode("utf-8"))
        at += 12 + length
        if kind == b"IEND":
            break
    if at != len(data):
        raise ValueError("data after IEND")
    if len(found) != 1:
        raise ValueError(f"{len(found)} openbadgecredential chunks")
    return found[0], kinds


def pillow_text(path):
    try:
        from PIL import Image
    except ImportError:
        return None
    with Image.open(path) as im:
        im.load()  # decodes every chunk, checking CRCs
        return im.text.get("openbadgecredential")


def load_jwks(spec):
    if spec.startswith(("http://", "https://")):
        with urllib.request.urlopen(spec, timeout=10) as r:
            return json.load(r)
    with open(spec, "rb") as f:
        value = json.load(f)
    # `certstat keys show --format json` wraps each JWK.
    if "keys" in value and value["keys"] and "jwk" in value["keys"][0]:
        return {"keys": [k["jwk"] for k in value["keys"]]}
    return value


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jwks", required=True)
    ap.add_argument("input")
    args = ap.parse_args()
    with open(args.input, "rb") as f:
        data = f.read()
    report = {}
    if data.startswith(PNG_SIGNATURE):
        token, kinds = png_credential(data)
        report["png"] = {"chunks": kinds, "pillow": pillow_text(args.input)}
        if report["png"]["pillow"] is not None and report["png"]["pillow"] != token:
            raise SystemExit("Pillow reads a different openbadgecredential text")
    elif data.lstrip().startswith(b"<"):
        # An XML parser, not a pattern: Open Badges 3.0 bakes a VC-JWT in the `verify`
        # attribute of <openbadges:credential> (namespace https://purl.imsglobal.org/ob/v3p0).
        import xml.etree.ElementTree as ET

        root = ET.fromstring(data)
        found = root.findall(".//{https://purl.imsglobal.org/ob/v3p0}credential")
        if len(found) != 1:
            raise SystemExit(f"{len(found)} <openbadges:credential> elements in the SVG")
        token = (found[0].get("verify") or "").strip()
        if not token:
            raise SystemExit("the <openbadges:credential> has no verify attribute")
    else:
        token = data.decode().strip()

    header = jwt.get_unverified_header(token)
    jwks = jwt.PyJWKSet.from_dict(load_jwks(args.jwks))
    kid = header.get("kid") or ""
    # The header names the key by the URL that answers with its JWK (…/issuer/jwk/<id>.json);
    # a JWKS names it by that URL or by its bare id.
    matching = [
        k for k in jwks.keys if k.key_id == kid or kid.endswith(f"/{k.key_id}.json")
    ]
    if not matching:
        print(f"no key with kid {header.get('kid')!r} in the JWKS", file=sys.stderr)
        sys.exit(1)
    try:
        claims = jwt.decode(
            token,
            key=matching[0].key,
            algorithms=["EdDSA", "ES256"],
            options={"verify_aud": False, "verify_exp": False},
        )
    except jwt.InvalidTokenError as e:
        print(f"invalid: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
    report.update({"alg": header.get("alg"), "kid": header.get("kid"), "claims": claims})
    print(json.dumps(report))


if __name__ == "__main__":
    main()
