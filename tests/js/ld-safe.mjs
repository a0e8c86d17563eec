// JSON-LD safe mode (jsonld.js): each document is expanded, compacted and turned into RDF
// with `safe: true`, offline over the contexts certstat bundles (src/credentials/contexts).
// Safe mode fails on anything a JSON-LD processor would silently drop: a term or a type
// the document's @context does not define, a document without @context.
//
// usage: node ld-safe.mjs FILE...
// prints one JSON object {FILE: "ok" | "failure text"}; exit 0 when every document passes.
import {readFileSync} from 'node:fs';
import jsonld from 'jsonld';

const here = new URL('../../src/credentials/contexts/', import.meta.url);
const bundled = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'ob-context-3.0.3.json',
  'https://w3id.org/security/data-integrity/v2': 'data-integrity-v2.jsonld',
  'https://w3id.org/security/multikey/v1': 'multikey-v1.jsonld',
  'https://www.w3.org/ns/did/v1': 'did-v1.jsonld',
};

async function documentLoader(url) {
  const file = bundled[url];
  if(!file) {
    throw new Error(`no network: the context ${url} is not bundled`);
  }
  return {contextUrl: null, documentUrl: url,
    document: JSON.parse(readFileSync(new URL(file, here), 'utf8'))};
}

const report = {};
let ok = true;
for(const file of process.argv.slice(2)) {
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    if(!doc['@context']) {
      throw new Error('no @context');
    }
    const options = {safe: true, documentLoader};
    const expanded = await jsonld.expand(doc, options);
    await jsonld.compact(expanded, doc['@context'], options);
    const nquads = await jsonld.toRDF(doc, {...options, format: 'application/n-quads'});
    if(!nquads.trim()) {
      throw new Error('no statements');
    }
    report[file] = 'ok';
  } catch(e) {
    ok = false;
    const details = e.details ? ' ' + JSON.stringify(e.details).slice(0, 400) : '';
    report[file] = `${e.name}: ${e.message}${details}`;
  }
}
console.log(JSON.stringify(report));
process.exit(ok ? 0 : 1);
