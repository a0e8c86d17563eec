// Verifies a certstat credential with an embedded Data Integrity proof using Digital
// Bazaar's @digitalbazaar/vc and eddsa-rdfc-2022 cryptosuite, offline: contexts come from
// the files certstat bundles (src/credentials/contexts), the issuer document and the status
// list from files fetched from `certstat serve`.
//
// usage: node verify-di.mjs CREDENTIAL.json ISSUER.json STATUS_LIST.json
// prints one JSON line {verified, revoked, errors}; exit 0 when verified and not revoked.
import {readFileSync} from 'node:fs';
import {gunzipSync} from 'node:zlib';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

const here = new URL('../../src/credentials/contexts/', import.meta.url);
const bundled = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'ob-context-3.0.3.json',
  'https://w3id.org/security/data-integrity/v2': 'data-integrity-v2.jsonld',
  'https://w3id.org/security/multikey/v1': 'multikey-v1.jsonld',
  'https://www.w3.org/ns/did/v1': 'did-v1.jsonld',
};
const [credFile, issuerFile, listFile] = process.argv.slice(2);
const read = f => JSON.parse(readFileSync(f, 'utf8'));
const credential = read(credFile);
const issuerDoc = read(issuerFile);
const listDoc = read(listFile);

const documents = new Map();
for(const [url, file] of Object.entries(bundled)) {
  documents.set(url, JSON.parse(readFileSync(new URL(file, here), 'utf8')));
}
documents.set(issuerDoc.id, issuerDoc);
documents.set(listDoc.id, listDoc);

// The issuer document lists every key as a verification method with its own URL: a
// verification method URL answers that key alone (as `certstat serve` does).
async function documentLoader(url) {
  const vm = (issuerDoc.verificationMethod || []).find(m => m.id === url);
  if(vm) {
    return {contextUrl: null, documentUrl: url,
      document: {'@context': 'https://w3id.org/security/multikey/v1', ...vm}};
  }
  const doc = documents.get(url.split('#')[0]);
  if(!doc) {
    throw new Error(`no network: ${url} is not available offline`);
  }
  return {contextUrl: null, documentUrl: url, document: doc};
}

const suite = new DataIntegrityProof({cryptosuite});
const errors = [];
let revoked = null;

async function checkStatus({credential}) {
  const entry = credential.credentialStatus;
  if(entry.type !== 'BitstringStatusListEntry' || entry.statusPurpose !== 'revocation') {
    return {verified: false, error: new Error('not a revocation BitstringStatusListEntry')};
  }
  const {document: list} = await documentLoader(entry.statusListCredential);
  const listResult = await vc.verifyCredential({credential: list, suite, documentLoader});
  if(!listResult.verified) {
    return {verified: false, error: new Error('status list credential does not verify: ' +
      JSON.stringify(listResult.error?.errors?.map(e => e.message) ?? listResult.error))};
  }
  const encoded = list.credentialSubject.encodedList;
  if(!encoded.startsWith('u')) {
    return {verified: false, error: new Error('encodedList is not multibase base64url')};
  }
  const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  if(bits.length < 16384) {
    return {verified: false, error: new Error(`status list is ${bits.length} bytes, under 16 KiB`)};
  }
  const i = Number(entry.statusListIndex);
  revoked = (bits[i >> 3] & (0x80 >> (i & 7))) !== 0;
  return {verified: true};
}

let verified = false;
try {
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
  verified = result.verified;
  if(!result.verified) {
    const e = result.error;
    for(const x of (e?.errors ?? [e])) {
      errors.push(String(x?.message ?? x));
    }
    for(const r of result.results ?? []) {
      if(!r.verified && r.error) {
        errors.push(String(r.error.message ?? r.error));
      }
    }
  }
} catch(e) {
  errors.push(String(e.message ?? e));
}
console.log(JSON.stringify({verified, revoked, errors}));
process.exit(verified && revoked === false ? 0 : 1);
