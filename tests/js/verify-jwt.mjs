// Independent verifier of a certstat VC-JWT with `jose`: no certstat code on this path.
//
//     node tests/js/verify-jwt.mjs TOKEN_FILE_OR_URL
//
// Reads the compact JWS (a file, or fetched from an http(s) URL), dereferences the `kid` of
// its protected header — a URL that answers with the key's JWK, as Open Badges 3.0 defines
// `kid` — imports that JWK and verifies the signature with the header's `alg` (EdDSA or
// ES256 only), checking `nbf`/`exp`. Prints {"alg", "kid", "jwk", "payload"} as JSON and
// exits 0 when the token verifies; 1 with the reason on stderr when not.

import { readFile } from "node:fs/promises";
import { decodeProtectedHeader, importJWK, jwtVerify } from "jose";

async function text(source) {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`${source} answered ${res.status}`);
    return (await res.text()).trim();
  }
  return (await readFile(source, "utf8")).trim();
}

async function main() {
  const source = process.argv[2];
  if (!source) throw new Error("usage: verify-jwt.mjs TOKEN_FILE_OR_URL");
  const token = await text(source);
  const header = decodeProtectedHeader(token);
  if (!["EdDSA", "ES256"].includes(header.alg)) {
    throw new Error(`unexpected alg ${header.alg}`);
  }
  if (typeof header.kid !== "string" || !/^https?:\/\//.test(header.kid)) {
    throw new Error(`the kid ${JSON.stringify(header.kid)} is not a URL to dereference`);
  }
  const res = await fetch(header.kid);
  if (!res.ok) throw new Error(`the kid URL ${header.kid} answered ${res.status}`);
  const jwk = JSON.parse(await res.text());
  if (jwk.kid !== undefined && jwk.kid !== header.kid) {
    throw new Error(`the JWK at ${header.kid} names itself ${jwk.kid}`);
  }
  const key = await importJWK(jwk, header.alg);
  const { payload } = await jwtVerify(token, key, { algorithms: [header.alg] });
  process.stdout.write(JSON.stringify({ alg: header.alg, kid: header.kid, jwk, payload }) + "\n");
}

main().catch((e) => {
  process.stderr.write(`invalid: ${e.code ?? e.name}: ${e.message}\n`);
  process.exit(1);
});
