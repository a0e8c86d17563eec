// Verifies a certstat credential with the Digital Credentials Consortium's verifier
// (@digitalcredentials/verifier-core, the engine of the Learner Credential Wallet), unchanged.
//
// The verifier fetches what it needs over HTTP(S): the issuer's controller document (for
// the proof's verification method), the Bitstring status list credential, the Open Badges
// JSON Schema, and any JSON-LD context it does not carry itself. This machine has no
// network, so `fetch` is answered from files instead: the documents `certstat serve`
// published (fetched from it by the calling test and passed here), the contexts certstat
// bundles (src/credentials/contexts) and the published OB 3.0 schema
// (tests/fixtures/openbadges3). Any other URL is a network error, as offline.
//
// usage: node verify-dcc.mjs CREDENTIAL.json URL=FILE...
// prints one JSON line {signature, expired, revoked, schema, errors}; exit 0 when the
// signature is valid, the credential not revoked and the schema check passed.
import {readFileSync} from 'node:fs';

const contexts = new URL('../../src/credentials/contexts/', import.meta.url);
const fixtures = new URL('../fixtures/openbadges3/', import.meta.url);
const files = new Map([
  ['https://www.w3.org/ns/credentials/v2', new URL('credentials-v2.jsonld', contexts)],
  ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    new URL('ob-context-3.0.3.json', contexts)],
  ['https://w3id.org/security/data-integrity/v2', new URL('data-integrity-v2.jsonld', contexts)],
  ['https://w3id.org/security/multikey/v1', new URL('multikey-v1.jsonld', contexts)],
  ['https://www.w3.org/ns/did/v1', new URL('did-v1.jsonld', contexts)],
  ['https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json',
    new URL('achievementcredential.schema.json', fixtures)],
]);

const [credFile, ...published] = process.argv.slice(2);
for(const arg of published) {
  const at = arg.indexOf('=');
  files.set(arg.slice(0, at), arg.slice(at + 1));
}
const fetched = [];
globalThis.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input :
    (input instanceof URL ? input.href : input.url);
  const key = url.split('#')[0];
  fetched.push(key);
  const file = files.get(key);
  if(file === undefined) {
    throw new TypeError(`fetch failed: ${key} is not available offline`);
  }
  const body = readFileSync(file);
  const type = key.endsWith('.jsonld') || key.includes('/ns/') || key.includes('w3id.org') ?
    'application/ld+json' : 'application/json';
  const res = new Response(body, {status: 200, headers: {'content-type': type}});
  Object.defineProperty(res, 'url', {value: key});
  if(init?.method === 'HEAD') {
    return new Response(null, {status: 200, headers: {'content-type': type}});
  }
  return res;
};

// Imported after `fetch` is replaced, so every HTTP client the verifier builds sees it.
const {verifyCredential} = await import('@digitalcredentials/verifier-core');

const credential = JSON.parse(readFileSync(credFile, 'utf8'));
const result = await verifyCredential({credential, knownDIDRegistries: []});
const step = id => (result.log || []).find(entry => entry.id === id);
const signature = step('valid_signature')?.valid ?? false;
const status = step('revocation_status');
const schemaEntry = (result.additionalInformation || []).find(e => e.id === 'schema_check');
const schemaResults = schemaEntry?.results || [];
const schema = schemaResults.length > 0 && schemaResults.every(r => r.result?.valid === true);
const report = {
  signature,
  expired: step('expiration') ? step('expiration').valid === false : null,
  revoked: status ? (status.error ? null : status.valid === false) : null,
  schema,
  errors: (result.errors || []).map(e => `${e.name}: ${e.message}`)
    .concat(status?.error ? [`${status.error.name}: ${status.error.message}`] : [])
    .concat(schemaResults.filter(r => r.result?.valid !== true)
      .map(r => `schema ${r.schema}: ${JSON.stringify(r.result?.errors ?? r.result)}`)),
  fetched: [...new Set(fetched)],
};
console.log(JSON.stringify(report));
process.exit(signature && report.revoked === false && schema ? 0 : 1);
