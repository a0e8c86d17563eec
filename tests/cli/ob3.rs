//! Open Badges 3.0 interoperability, checked with independent tools where they are installed
//! (jsonld.js in safe mode, the OB 3.0 JSON Schema, jose): one revocation entry for both proof
//! forms, a named issuer profile, the public page's links, content negotiation at the
//! credential's id, and a published folder a plain static host serves as JSON.

use std::path::Path;

use serde_json::{Value, json};

use crate::common::{Env, jsonld_safe};
use crate::credentials::{assert_schema_valid, parts, public_id, schema};
use crate::serve::{ANA, BJORN, CERT, Server, claim, token};

const BASE: &str = "https://certs.acme.example";

fn setup(config: &str) -> Env {
    let env = Env::new();
    env.write_config(&format!("[serve]\nbase_url = \"{BASE}\"\n\n{config}"));
    env
}

/// The path part of one of `BASE`'s URLs (with its fragment removed).
fn path_of(url: &str) -> String {
    let path = url
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is not under {BASE}"));
    path.split('#').next().unwrap().to_owned()
}

fn get_json(server: &Server, path: &str) -> (String, Value) {
    let res = server.get(path);
    assert_eq!(res.status, 200, "{path}: {}", res.text());
    let ct = res.header("content-type").unwrap_or_default().to_owned();
    let v = serde_json::from_slice(&res.body).unwrap_or_else(|e| panic!("{path}: {e}"));
    (ct, v)
}

/// Whether bit `index` of a status list credential's `encodedList` is set (GZIP, multibase
/// base64url), decoded here with flate2 and base64 rather than certstat's own code.
fn bit(list: &Value, index: u64) -> bool {
    use base64::Engine;
    use std::io::Read;
    let encoded = list["credentialSubject"]["encodedList"].as_str().unwrap();
    let gz = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded.strip_prefix('u').expect("multibase base64url"))
        .unwrap();
    let mut bits = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut bits)
        .unwrap();
    assert!(bits.len() >= 16 * 1024, "a list of at least 16 KiB");
    bits[(index / 8) as usize] & (0x80 >> (index % 8)) != 0
}

fn assert_ld_safe(dir: &Path, docs: &[(&str, &Value)]) {
    if let Some(result) = jsonld_safe(dir, docs) {
        result.unwrap_or_else(|e| panic!("JSON-LD safe mode: {e}"));
    }
}

/// The credential status of both forms of one credential: the VC-JWT and the Data Integrity
/// JSON-LD say the same `BitstringStatusListEntry`, whose list answers, is signed, and flips
/// the credential's bit on revocation.
#[test]
fn jwt_and_data_integrity_forms_share_one_bitstring_status_entry() {
    let env = setup("[issuer]\nname = \"ACME Training\"\n");
    env.with_example(CERT);
    let server = Server::start(&env, &[]);
    let mut entries = Vec::new();
    for email in [ANA, BJORN] {
        claim(&server, &token(&env, email), email);
        let id = public_id(&env, email);
        let jwt = server.get(&format!("/v/{id}.jwt")).text();
        let (_, payload, _) = parts(&jwt);
        let (ct, di) = get_json(&server, &format!("/credentials/{id}.json"));
        assert_eq!(ct, "application/vc+ld+json");
        let status = &payload["credentialStatus"];
        assert_eq!(status, &di["credentialStatus"], "JWT and DI differ");
        assert_eq!(status["type"], "BitstringStatusListEntry", "{status:#}");
        assert_eq!(status["statusPurpose"], "revocation");
        let index: u64 = status["statusListIndex"].as_str().unwrap().parse().unwrap();
        let list_url = status["statusListCredential"].as_str().unwrap();
        assert_eq!(status["id"], format!("{list_url}#{index}"));
        assert_schema_valid(&schema("achievementcredential.schema.json"), &payload);
        // Both forms pass JSON-LD safe mode: every term and type is defined by their context
        // (the JWT's registered claims aside, which are JWT, not JSON-LD).
        let mut credential = payload.clone();
        for claim in ["iss", "jti", "sub", "nbf", "exp"] {
            credential.as_object_mut().unwrap().remove(claim);
        }
        assert_ld_safe(
            env.dir.path(),
            &[("jwt-credential", &credential), ("data-integrity", &di)],
        );
        entries.push((email, index, list_url.to_owned()));
    }
    assert_ne!(entries[0].1, entries[1].1, "one index per credential");
    assert_eq!(entries[0].2, entries[1].2, "one list");
    let list_path = path_of(&entries[0].2);
    let (ct, list) = get_json(&server, &list_path);
    assert_eq!(ct, "application/vc+ld+json");
    assert_eq!(
        list["id"],
        entries[0].2.as_str(),
        "the list is where it is named"
    );
    assert_eq!(
        list["type"],
        json!(["VerifiableCredential", "BitstringStatusListCredential"])
    );
    assert!(list["proof"].is_object(), "the list is signed");
    assert_ld_safe(env.dir.path(), &[("status-list", &list)]);
    assert!(!bit(&list, entries[0].1) && !bit(&list, entries[1].1));

    env.ok(&["recipients", "revoke", CERT, ANA, "--reason", "Withdrawn"]);
    let (_, list) = get_json(&server, &list_path);
    assert!(bit(&list, entries[0].1), "Ana's bit is set");
    assert!(!bit(&list, entries[1].1), "Björn's is not");

    // A credential issued offline (`render`, no server) carries the same kind of entry, in
    // the same list.
    let dir = env.path("docs");
    env.ok(&[
        "render",
        CERT,
        "eve@example.org",
        "--out",
        dir.to_str().unwrap(),
        "--format",
        "png",
    ]);
    let png = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let (_, payload, _) = parts(&crate::credentials::jwt_of(&png));
    assert_eq!(
        payload["credentialStatus"]["type"],
        "BitstringStatusListEntry"
    );
    assert_eq!(
        payload["credentialStatus"]["statusListCredential"],
        entries[0].2.as_str()
    );
}

/// The check above can fail: the entry the VC-JWT used to carry is refused by safe mode.
#[test]
fn jsonld_safe_mode_refuses_an_undefined_status_type() {
    let env = Env::bare();
    let doc = json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "type": ["VerifiableCredential"],
        "credentialStatus": {"id": "https://x.example/s", "type": "1EdTechRevocationList"}
    });
    if let Some(result) = jsonld_safe(env.dir.path(), &[("old", &doc)]) {
        let err = result.unwrap_err();
        assert!(err.contains("1EdTechRevocationList"), "{err}");
    }
}

/// Issue one credential of a certificate made with `cert_args` (rendered, no server) and
/// return (the credential's JWT payload, the issuer profile `/issuer` serves).
fn issuer_of(env: &Env, cert_args: &[&str]) -> (Value, Value) {
    let mut args = vec!["cert", "create", "Workshop"];
    args.extend_from_slice(cert_args);
    env.ok(&args);
    env.ok(&["recipients", "add", "Workshop", ANA, "--name", "Ana Silva"]);
    let dir = env.path("docs");
    env.ok(&[
        "render",
        "Workshop",
        ANA,
        "--out",
        dir.to_str().unwrap(),
        "--format",
        "png",
    ]);
    let png = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let (_, payload, _) = parts(&crate::credentials::jwt_of(&png));
    let server = Server::start(env, &[]);
    let issuer_url = payload["issuer"]["id"].as_str().unwrap().to_owned();
    let (_, profile) = get_json(&server, &path_of(&issuer_url));
    assert_eq!(profile["id"], issuer_url.as_str());
    (payload, profile)
}

fn assert_named(profile: &Value, name: &str) {
    assert_eq!(profile["name"], name, "{profile:#}");
    assert_schema_valid(&schema("profile.schema.json"), profile);
}

#[test]
fn the_issuer_profile_is_named_from_the_certificate_without_an_issuer_name_in_the_config() {
    let env = setup("[issuer]\nurl = \"https://acme.example\"\n");
    let (payload, profile) = issuer_of(&env, &["--issuer", "Cert Org"]);
    assert_eq!(payload["issuer"]["name"], "Cert Org");
    assert_named(&profile, "Cert Org");
    assert_eq!(profile["url"], "https://acme.example");
}

#[test]
fn the_issuer_profile_is_named_from_the_sender_without_any_issuer_name() {
    let env = setup("[sender]\nfrom = \"ACME Sender <certs@acme.example>\"\n");
    let (payload, profile) = issuer_of(&env, &[]);
    assert_eq!(payload["issuer"]["name"], "ACME Sender");
    assert_schema_valid(&schema("achievementcredential.schema.json"), &payload);
    assert_named(&profile, "ACME Sender");
}

#[test]
fn the_issuer_profile_is_named_after_its_host_with_nothing_else_to_go_by() {
    let env = setup("");
    let (payload, profile) = issuer_of(&env, &[]);
    assert_eq!(payload["issuer"]["name"], "certs.acme.example");
    assert_named(&profile, "certs.acme.example");
    // A sender without a display name gives its address.
    let env = setup("[sender]\nfrom = \"certs@acme.example\"\n");
    let (_, profile) = issuer_of(&env, &[]);
    assert_named(&profile, "certs@acme.example");
}

/// The addresses on this site a page links to (`href`, `src`, `content`), as paths.
fn links_of(page: &str, base: &str) -> Vec<String> {
    let mut links = Vec::new();
    for attr in ["href=\"", "src=\"", "content=\""] {
        for piece in page.split(attr).skip(1) {
            let link = piece.split('"').next().unwrap().replace("&#x2f;", "/");
            if let Some(path) = link.strip_prefix(base) {
                links.push(if path.is_empty() {
                    "/".into()
                } else {
                    path.to_owned()
                });
            } else if link.starts_with('/') {
                links.push(link);
            }
        }
    }
    links
}

fn is_json(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or("").trim();
    media == "application/json" || media.ends_with("+json")
}

/// Every JSON document the public page links to passes JSON-LD safe mode, the credential
/// link is the signed credential, and `/v/<id>.json` is that same signed credential — valid,
/// and after revocation.
#[test]
fn the_verification_page_links_only_signed_safe_mode_documents() {
    let env = setup("[issuer]\nname = \"ACME Training\"\n");
    env.with_example(CERT);
    let server = Server::start(&env, &[]);
    claim(&server, &token(&env, ANA), ANA);
    let id = public_id(&env, ANA);
    let (_, signed) = get_json(&server, &format!("/credentials/{id}.json"));
    for revoked in [false, true] {
        if revoked {
            env.ok(&["recipients", "revoke", CERT, ANA, "--reason", "Withdrawn"]);
        }
        let page = server.get(&format!("/v/{id}")).text();
        let links = links_of(&page, BASE);
        assert!(
            links.contains(&format!("/credentials/{id}.json")),
            "{links:?}"
        );
        assert!(!links.contains(&format!("/v/{id}.json")), "{links:?}");
        assert!(
            page.contains(&format!(
                "<link rel=\"alternate\" type=\"application/ld+json\" href=\"{BASE}/credentials/{id}.json\">"
            )) || page.replace("&#x2f;", "/").contains(&format!(
                "<link rel=\"alternate\" type=\"application/ld+json\" href=\"{BASE}/credentials/{id}.json\">"
            )),
            "{page}"
        );
        let mut docs = Vec::new();
        for link in &links {
            let res = server.get(link);
            assert_eq!(res.status, 200, "{link}");
            let ct = res.header("content-type").unwrap_or_default().to_owned();
            if is_json(&ct) {
                let doc: Value = serde_json::from_slice(&res.body).unwrap();
                docs.push((link.clone(), doc));
            }
        }
        assert!(
            docs.len() >= 3,
            "the credential, the issuer, the achievement: {docs:?}"
        );
        let credential = &docs
            .iter()
            .find(|(l, _)| l == &format!("/credentials/{id}.json"))
            .unwrap()
            .1;
        assert_eq!(credential, &signed);
        assert!(credential["proof"][0]["proofValue"].is_string());
        let named: Vec<(&str, &Value)> = docs.iter().map(|(l, d)| (l.as_str(), d)).collect();
        assert_ld_safe(env.dir.path(), &named);
    }
    // The old address of the JSON is the same signed credential, not an unsigned copy.
    let res = server.get(&format!("/v/{id}.json"));
    assert_eq!(res.header("content-type"), Some("application/vc+ld+json"));
    let old: Value = serde_json::from_slice(&res.body).unwrap();
    assert_eq!(old, signed);
    assert!(old.get("verification").is_none());
    assert_ld_safe(env.dir.path(), &[("v-json", &old)]);
}

/// The credential's id answers its signed JSON-LD to a client asking for JSON, the page to a
/// browser; both say where the JSON is (`Link`) and vary by `Accept`.
#[test]
fn the_credential_id_negotiates_json_ld_or_html() {
    let env = setup("[issuer]\nname = \"ACME Training\"\n");
    env.with_example(CERT);
    let server = Server::start(&env, &[]);
    claim(&server, &token(&env, ANA), ANA);
    let id = public_id(&env, ANA);
    let signed = server.get(&format!("/credentials/{id}.json")).body;
    let signed_json: Value = serde_json::from_slice(&signed).unwrap();
    let credential_id = signed_json["id"].as_str().unwrap().to_owned();
    let path = path_of(&credential_id);
    assert_eq!(path, format!("/v/{id}"));
    let link =
        format!("<{BASE}/credentials/{id}.json>; rel=\"alternate\"; type=\"application/ld+json\"");
    for (accept, want) in [
        ("application/ld+json", "application/ld+json"),
        ("application/vc+ld+json", "application/vc+ld+json"),
        ("application/json", "application/json"),
        (
            "application/ld+json;q=0.9, text/html;q=0.5",
            "application/ld+json",
        ),
        (
            "application/json, application/ld+json",
            "application/ld+json",
        ),
    ] {
        let res = server.request("GET", &path, &[("Accept", accept)], None);
        assert_eq!(res.status, 200, "{accept}");
        assert_eq!(res.header("content-type"), Some(want), "{accept}");
        assert_eq!(res.body, signed, "{accept}: the signed credential");
        assert_eq!(res.header("link"), Some(link.as_str()), "{accept}");
        assert!(
            res.all("vary").iter().any(|v| v.contains("Accept")),
            "{accept}"
        );
    }
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    for accept in [
        Some(browser),
        Some("*/*"),
        Some("text/html, application/json;q=0.5"),
        None,
    ] {
        let headers: Vec<(&str, &str)> = accept.iter().map(|a| ("Accept", *a)).collect();
        let res = server.request("GET", &path, &headers, None);
        assert_eq!(res.status, 200, "{accept:?}");
        assert!(
            res.header("content-type").unwrap().starts_with("text/html"),
            "{accept:?}"
        );
        assert_eq!(res.header("link"), Some(link.as_str()), "{accept:?}");
        assert!(
            res.all("vary").iter().any(|v| v.contains("Accept")),
            "{accept:?}"
        );
        assert!(res.text().contains("rel=\"alternate\""), "{accept:?}");
    }
    // The negotiated JSON verifies, and passes safe mode.
    let file = env.path("negotiated.json");
    let res = server.request("GET", &path, &[("Accept", "application/ld+json")], None);
    std::fs::write(&file, &res.body).unwrap();
    let out = env
        .cmd()
        .args(["verify", file.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_ld_safe(
        env.dir.path(),
        &[("negotiated", &serde_json::from_slice(&res.body).unwrap())],
    );
    // Nobody else's id answers, in JSON either.
    let other = "0".repeat(32);
    let res = server.request(
        "GET",
        &format!("/v/{other}"),
        &[("Accept", "application/ld+json")],
        None,
    );
    assert_eq!(res.status, 404);
    let _ = json!(null);
}

/// Every document a credential names is at a `.json` address whose document says that
/// address; the addresses earlier credentials name (`/issuer`, `/issuer/keys/<kid>`,
/// `/status/revocation`, `/issuer/achievements/<n>`) still answer, each document with the ids
/// of its own generation.
#[test]
fn documents_are_at_json_addresses_and_earlier_addresses_still_answer() {
    let env = setup("[issuer]\nname = \"ACME Training\"\n");
    env.with_example(CERT);
    let server = Server::start(&env, &[]);
    claim(&server, &token(&env, ANA), ANA);
    let id = public_id(&env, ANA);
    let (_, cred) = get_json(&server, &format!("/credentials/{id}.json"));
    let vm = cred["proof"][0]["verificationMethod"].as_str().unwrap();
    let achievement = cred["credentialSubject"]["achievement"]["id"]
        .as_str()
        .unwrap();
    let issuer = cred["issuer"]["id"].as_str().unwrap();
    let list = cred["credentialStatus"]["statusListCredential"]
        .as_str()
        .unwrap();
    for url in [vm, achievement, issuer, list] {
        assert!(url.ends_with(".json"), "{url}");
        let (ct, doc) = get_json(&server, &path_of(url));
        assert!(is_json(&ct), "{url}: {ct}");
        assert_eq!(doc["id"], url, "{url}");
    }
    let (_, key) = get_json(&server, &path_of(vm));
    assert_eq!(key["controller"], issuer);
    let (_, profile) = get_json(&server, &path_of(issuer));
    assert!(
        profile["assertionMethod"]
            .as_array()
            .unwrap()
            .contains(&json!(vm))
    );

    let kid = vm
        .rsplit('/')
        .next()
        .unwrap()
        .strip_suffix(".json")
        .unwrap();
    let old_vm = format!("{BASE}/issuer/keys/{kid}");
    let (_, old_key) = get_json(&server, &path_of(&old_vm));
    assert_eq!(old_key["id"], old_vm.as_str());
    assert_eq!(old_key["controller"], format!("{BASE}/issuer"));
    assert_eq!(old_key["publicKeyMultibase"], key["publicKeyMultibase"]);
    let (_, old_profile) = get_json(&server, "/issuer");
    assert_eq!(old_profile["id"], format!("{BASE}/issuer"));
    assert!(
        old_profile["assertionMethod"]
            .as_array()
            .unwrap()
            .contains(&json!(old_vm))
    );
    let (_, old_list) = get_json(&server, "/status/revocation");
    assert_eq!(old_list["id"], format!("{BASE}/status/revocation"));
    let number = achievement
        .rsplit('/')
        .next()
        .unwrap()
        .strip_suffix(".json")
        .unwrap();
    let (_, old_achievement) = get_json(&server, &format!("/issuer/achievements/{number}"));
    assert_eq!(
        old_achievement["id"],
        format!("{BASE}/issuer/achievements/{number}")
    );
    let docs = [
        ("key", &key),
        ("profile", &profile),
        ("old-key", &old_key),
        ("old-profile", &old_profile),
        ("old-list", &old_list),
        ("old-achievement", &old_achievement),
    ];
    assert_ld_safe(env.dir.path(), &docs);
}

/// `publish` with no `[issuer] name`: the issuer profile it writes (`issuer.json`) is named
/// after the certificate's issuer and schema-valid, and no document is written under a name
/// without its type's extension.
#[test]
fn published_issuer_profile_is_named_and_every_document_has_a_typed_name() {
    let env = setup("[issuer]\nurl = \"https://acme.example\"\n");
    env.with_example(CERT);
    let docs = env.path("docs");
    env.ok(&[
        "render",
        CERT,
        ANA,
        "--out",
        docs.to_str().unwrap(),
        "--format",
        "svg",
    ]);
    let out = env.path("site");
    env.ok(&["publish", CERT, "--out", out.to_str().unwrap()]);
    let profile: Value =
        serde_json::from_slice(&std::fs::read(out.join("issuer.json")).unwrap()).unwrap();
    assert_named(&profile, "ACME Training");
    assert_eq!(profile["id"], format!("{BASE}/issuer.json"));
    assert!(!out.join("issuer/index.html").exists());
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&out, &mut files);
    let typed = ["json", "html", "png", "jwt", "css", "svg", "ico"];
    for f in &files {
        let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
        assert!(typed.contains(&ext), "{} has no typed name", f.display());
    }
    assert!(out.join("status/revocation.json").is_file());
}

/// Every id a published credential carries is a URI, however the base URL and the issuer's
/// image were typed: an internationalised host is punycode, a space in the path is `%20`,
/// and the JSON-LD form passes jsonld.js safe mode (a relative or non-URI `@id` fails it, and
/// then Digital Bazaar's verifier refuses the credential certstat itself accepts).
#[test]
fn published_ids_are_uris_whatever_the_base_url_and_image_look_like() {
    for (typed, base, image) in [
        (
            "https://Zertifikate.München.example/",
            "https://zertifikate.xn--mnchen-3ya.example",
            "https://acme.example/logo.png",
        ),
        (
            "HTTPS://certs.acme.example/my certs",
            "https://certs.acme.example/my%20certs",
            "https://acme.example/our logo.png",
        ),
    ] {
        let env = Env::new();
        env.write_config(&format!(
            "[serve]\nbase_url = \"{typed}\"\n\n[issuer]\nname = \"ACME\"\nimage = \"{image}\"\n"
        ));
        env.with_example(CERT);
        let docs = env.path("docs");
        let docs = docs.to_str().unwrap();
        env.ok(&["render", CERT, ANA, "--out", docs, "--format", "svg"]);
        let out = env.path("site");
        env.ok(&["publish", CERT, "--out", out.to_str().unwrap()]);
        let id = public_id(&env, ANA);
        let read = |p: &str| -> Value {
            serde_json::from_slice(&std::fs::read(out.join(p)).unwrap())
                .unwrap_or_else(|e| panic!("{p}: {e}"))
        };
        let cred = read(&format!("credentials/{id}.json"));
        let profile = read("issuer.json");
        let list = read("status/revocation.json");
        fn ids(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        if let ("id" | "verificationMethod" | "statusListCredential", Some(s)) =
                            (k.as_str(), x.as_str())
                        {
                            out.push(s.to_owned());
                        }
                        ids(x, out);
                    }
                }
                Value::Array(a) => a.iter().for_each(|x| ids(x, out)),
                _ => {}
            }
        }
        let mut all = Vec::new();
        for doc in [&cred, &profile, &list] {
            ids(doc, &mut all);
        }
        assert!(all.len() > 8, "{all:?}");
        for u in &all {
            let parsed = url::Url::parse(u).unwrap_or_else(|e| panic!("{u}: {e}"));
            assert_eq!(
                parsed.as_str(),
                u,
                "{typed}: an id that is not a URI as written"
            );
            assert!(
                u.starts_with(base) || u.starts_with("https://acme.example/"),
                "{typed}: {u}"
            );
        }
        assert_eq!(cred["id"], format!("{base}/v/{id}"));
        assert_eq!(
            cred["issuer"]["image"]["id"],
            url::Url::parse(image).unwrap().as_str()
        );
        let v = env.ok(&[
            "verify",
            out.join(format!("credentials/{id}.json")).to_str().unwrap(),
        ]);
        assert!(v.contains("VALID"), "{v}");
        assert_ld_safe(
            &env.path("."),
            &[("credential", &cred), ("issuer", &profile)],
        );
    }
}
