//! Credentials with embedded Data Integrity proofs (eddsa-rdfc-2022) and the Bitstring
//! Status List, as `certstat serve` publishes them, verified independently by Digital
//! Bazaar's `@digitalbazaar/vc` with the eddsa-rdfc-2022 cryptosuite (tests/js, offline over
//! the bundled contexts) and validated against the Open Badges 3.0 JSON Schema.

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};

use crate::common::{Env, fixture};
use crate::serve::{ANA, BJORN, CERT, Server, claim, token, uid};

const BASE: &str = "https://certs.acme.example";

fn setup() -> Env {
    let env = Env::new();
    env.write_config(&format!(
        "[serve]\nbase_url = \"{BASE}\"\n\n[issuer]\nname = \"ACME Training\"\n\
         url = \"https://acme.example\"\ndid = \"did:web:certs.acme.example\"\n"
    ));
    env.with_example(CERT);
    env
}

/// `tests/js` with the Digital Bazaar verifiers installed, or None (skip).
fn js_dir() -> Option<PathBuf> {
    crate::common::js_verifiers("@digitalbazaar/vc")
}

/// `node verify-di.mjs` on the three documents: (exit code, report).
fn js_verify(env: &Env, cred: &Value, issuer: &Value, list: &Value) -> (i32, Value) {
    let write = |name: &str, v: &Value| {
        let p = env.path(name);
        std::fs::write(&p, serde_json::to_vec_pretty(v).unwrap()).unwrap();
        p
    };
    let (c, i, l) = (
        write("cred.json", cred),
        write("issuer.json", issuer),
        write("list.json", list),
    );
    let out = Command::new("node")
        .arg(
            js_dir()
                .expect("checked by the caller")
                .join("verify-di.mjs"),
        )
        .args([&c, &i, &l])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|_| panic!("{stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), report)
}

/// `certstat verify FILE --format json`: (exit code, verdict).
fn certstat_verify(env: &Env, name: &str, cred: &Value) -> (i32, Value) {
    let p = env.path(name);
    std::fs::write(&p, serde_json::to_vec_pretty(cred).unwrap()).unwrap();
    let out = env
        .cmd()
        .args(["verify", p.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    let verdict = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), verdict)
}

fn get_json(server: &Server, path: &str, media: &str) -> Value {
    let res = server.get(path);
    assert_eq!(res.status, 200, "{path}");
    let ct = res
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    assert_eq!(ct, media, "{path}");
    serde_json::from_slice(&res.body).unwrap()
}

#[test]
fn served_data_integrity_credential_verifies_independently_and_revocation_flips_its_bit() {
    let env = setup();
    let server = Server::start(&env, &[]);
    let id = uid(&env, ANA);
    assert_eq!(
        server.get(&format!("/credentials/{id}.json")).status,
        404,
        "not issued yet"
    );
    let tok = token(&env, ANA);
    claim(&server, &tok, ANA);
    // Issued now: its public id is the random one drawn at issue.
    let id = crate::credentials::public_id(&env, ANA);
    let cred = get_json(
        &server,
        &format!("/credentials/{id}.json"),
        "application/vc+ld+json",
    );
    assert_eq!(cred["proof"][0]["type"], "DataIntegrityProof");
    assert_eq!(cred["proof"][0]["cryptosuite"], "eddsa-rdfc-2022");
    assert_eq!(cred["proof"][0]["proofPurpose"], "assertionMethod");
    let vm = cred["proof"][0]["verificationMethod"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(vm.starts_with(&format!("{BASE}/issuer/keys/")), "{vm}");
    assert_eq!(cred["credentialStatus"]["type"], "BitstringStatusListEntry");
    for k in ["iss", "jti", "sub", "nbf"] {
        assert!(cred.get(k).is_none(), "{k}");
    }
    let issuer = get_json(&server, "/issuer.json", "application/json");
    assert!(
        issuer["assertionMethod"]
            .as_array()
            .unwrap()
            .contains(&json!(vm)),
        "{issuer:#}"
    );
    let did = get_json(&server, "/.well-known/did.json", "application/json");
    assert_eq!(did["id"], "did:web:certs.acme.example");
    let list = get_json(&server, "/status/revocation.json", "application/vc+ld+json");
    assert_eq!(list["credentialSubject"]["type"], "BitstringStatusList");

    // The OB 3.0 JSON Schema accepts the JSON-LD form.
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("openbadges3/achievementcredential.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&cred)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // Bjorn's credential has another index.
    let tok_b = token(&env, BJORN);
    claim(&server, &tok_b, BJORN);
    let bjorn = get_json(
        &server,
        &format!(
            "/credentials/{}.json",
            crate::credentials::public_id(&env, BJORN)
        ),
        "application/vc+ld+json",
    );
    assert_ne!(
        bjorn["credentialStatus"]["statusListIndex"],
        cred["credentialStatus"]["statusListIndex"]
    );

    let (code, verdict) = certstat_verify(&env, "ana.json", &cred);
    assert_eq!((code, &verdict["valid"]), (0, &json!(true)), "{verdict:#}");
    let mut tampered = cred.clone();
    tampered["credentialSubject"]["name"] = json!("Someone Else");
    let (code, verdict) = certstat_verify(&env, "tampered.json", &tampered);
    assert_eq!(code, 1, "{verdict:#}");
    assert_eq!(
        verdict["reasons"][0]["code"], "bad_signature",
        "{verdict:#}"
    );
    if js_dir().is_some() {
        let (code, report) = js_verify(&env, &cred, &issuer, &list);
        assert_eq!(
            (code, &report["verified"], &report["revoked"]),
            (0, &json!(true), &json!(false)),
            "{report:#}"
        );
        for (path, value) in [
            ("/credentialSubject/name", json!("Someone Else")),
            ("/validFrom", json!("2020-01-01T00:00:00Z")),
            ("/credentialStatus/statusListIndex", json!("1")),
            ("/proof/0/created", json!("2020-01-01T00:00:00Z")),
        ] {
            let mut tampered = cred.clone();
            *tampered.pointer_mut(path).unwrap() = value;
            let (code, report) = js_verify(&env, &tampered, &issuer, &list);
            assert_eq!(
                (code, &report["verified"]),
                (1, &json!(false)),
                "{path}: {report:#}"
            );
        }
    }
    server.stop();

    env.ok(&[
        "recipients",
        "revoke",
        CERT,
        ANA,
        "--reason",
        "Issued in error",
    ]);
    let server = Server::start(&env, &[]);
    let list2 = get_json(&server, "/status/revocation.json", "application/vc+ld+json");
    assert_ne!(
        list2["credentialSubject"]["encodedList"],
        list["credentialSubject"]["encodedList"]
    );
    let again = get_json(
        &server,
        &format!("/credentials/{id}.json"),
        "application/vc+ld+json",
    );
    assert_eq!(
        again["credentialStatus"], cred["credentialStatus"],
        "the index is kept"
    );
    if js_dir().is_some() {
        let (code, report) = js_verify(&env, &cred, &issuer, &list2);
        assert_eq!(
            (code, &report["verified"], &report["revoked"]),
            (1, &json!(true), &json!(true)),
            "{report:#}"
        );
        let (code, report) = js_verify(&env, &bjorn, &issuer, &list2);
        assert_eq!((code, &report["revoked"]), (0, &json!(false)), "{report:#}");
    }
    server.stop();
}

/// `node verify-dcc.mjs`: the Digital Credentials Consortium's verifier-core on `cred`, with
/// the documents `certstat serve` published standing in for the network: (exit code, report).
fn dcc_verify(env: &Env, cred: &Value, published: &[(&str, &Value)]) -> (i32, Value) {
    let p = env.path("dcc-cred.json");
    std::fs::write(&p, serde_json::to_vec_pretty(cred).unwrap()).unwrap();
    let mut args = vec![p.to_str().unwrap().to_owned()];
    for (i, (url, doc)) in published.iter().enumerate() {
        let f = env.path(&format!("dcc-doc-{i}.json"));
        std::fs::write(&f, serde_json::to_vec_pretty(doc).unwrap()).unwrap();
        args.push(format!("{url}={}", f.display()));
    }
    let out = Command::new("node")
        .arg(
            js_dir()
                .expect("checked by the caller")
                .join("verify-dcc.mjs"),
        )
        .args(&args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|_| panic!("{stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), report)
}

#[test]
fn the_dcc_verifier_core_accepts_the_credential_reports_revocation_and_rejects_tampering() {
    if crate::common::js_verifiers("@digitalcredentials/verifier-core").is_none() {
        return;
    }
    let env = setup();
    let server = Server::start(&env, &[]);
    for who in [ANA, BJORN] {
        claim(&server, &token(&env, who), who);
    }
    let cred_of = |server: &Server, who: &str| {
        get_json(
            server,
            &format!(
                "/credentials/{}.json",
                crate::credentials::public_id(&env, who)
            ),
            "application/vc+ld+json",
        )
    };
    let (ana, bjorn) = (cred_of(&server, ANA), cred_of(&server, BJORN));
    let issuer = get_json(&server, "/issuer.json", "application/json");
    let list_url = ana["credentialStatus"]["statusListCredential"]
        .as_str()
        .unwrap()
        .to_owned();
    let list = get_json(&server, "/status/revocation.json", "application/vc+ld+json");
    let vm_url = ana["proof"][0]["verificationMethod"]
        .as_str()
        .unwrap()
        .to_owned();
    let key_path = vm_url.strip_prefix(BASE).unwrap().to_owned();
    let key = get_json(&server, &key_path, "application/json");
    server.stop();
    let issuer_url = format!("{BASE}/issuer.json");

    let (code, report) = dcc_verify(
        &env,
        &ana,
        &[(&issuer_url, &issuer), (&vm_url, &key), (&list_url, &list)],
    );
    assert_eq!(
        (
            code,
            &report["signature"],
            &report["revoked"],
            &report["schema"]
        ),
        (0, &json!(true), &json!(false), &json!(true)),
        "{report:#}"
    );
    assert_eq!(report["expired"], json!(false), "{report:#}");
    let fetched = report["fetched"].as_array().unwrap();
    for url in [&issuer_url, &vm_url, &list_url] {
        assert!(
            fetched.contains(&json!(url)),
            "{url} not fetched: {report:#}"
        );
    }

    // Tampering with what the proof covers is an invalid signature.
    for (path, value) in [
        ("/credentialSubject/name", json!("Someone Else")),
        (
            "/credentialSubject/achievement/name",
            json!("Another Course"),
        ),
        ("/validFrom", json!("2020-01-01T00:00:00Z")),
    ] {
        let mut tampered = ana.clone();
        *tampered.pointer_mut(path).unwrap() = value;
        let (code, report) = dcc_verify(
            &env,
            &tampered,
            &[(&issuer_url, &issuer), (&vm_url, &key), (&list_url, &list)],
        );
        assert_eq!(
            (code, &report["signature"]),
            (1, &json!(false)),
            "{path}: {report:#}"
        );
    }

    // Revoked: the list served after `recipients revoke` says so, for Ana only.
    env.ok(&[
        "recipients",
        "revoke",
        CERT,
        ANA,
        "--reason",
        "Issued in error",
    ]);
    let server = Server::start(&env, &[]);
    let list2 = get_json(&server, "/status/revocation.json", "application/vc+ld+json");
    server.stop();
    let (code, report) = dcc_verify(
        &env,
        &ana,
        &[(&issuer_url, &issuer), (&vm_url, &key), (&list_url, &list2)],
    );
    assert_eq!(
        (code, &report["signature"], &report["revoked"]),
        (1, &json!(true), &json!(true)),
        "{report:#}"
    );
    let (code, report) = dcc_verify(
        &env,
        &bjorn,
        &[(&issuer_url, &issuer), (&vm_url, &key), (&list_url, &list2)],
    );
    assert_eq!((code, &report["revoked"]), (0, &json!(false)), "{report:#}");
}

#[test]
fn data_integrity_proofs_stay_ed25519_when_jwts_are_signed_with_es256() {
    let env = setup();
    let first = env.json(&["keys", "show"]);
    let ed25519 = first["active_kid"].as_str().unwrap().to_owned();
    env.ok(&["keys", "rotate", "--alg", "es256"]);
    let keys = env.json(&["keys", "show"]);
    assert_ne!(
        keys["active_kid"],
        json!(ed25519),
        "the P-256 key signs JWTs"
    );
    assert_eq!(keys["data_integrity_kid"], json!(ed25519), "{keys:#}");

    let server = Server::start(&env, &[]);
    claim(&server, &token(&env, ANA), ANA);
    let id = crate::credentials::public_id(&env, ANA);
    let cred = get_json(
        &server,
        &format!("/credentials/{id}.json"),
        "application/vc+ld+json",
    );
    let vm = cred["proof"][0]["verificationMethod"].as_str().unwrap();
    assert_eq!(vm, format!("{BASE}/issuer/keys/{ed25519}.json"));
    let jwt = server.get(&format!("/v/{id}.jwt"));
    assert_eq!(jwt.status, 200);
    let header = jwt.text().split('.').next().unwrap().to_owned();
    let header: Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, header).unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "ES256");
    let key = get_json(
        &server,
        &format!("/issuer/keys/{ed25519}.json"),
        "application/json",
    );
    assert_eq!(key["type"], "Multikey");
    let p256 = keys["active_kid"].as_str().unwrap();
    assert_eq!(
        server.get(&format!("/issuer/keys/{p256}.json")).status,
        404,
        "a P-256 key is no Multikey verification method here"
    );
    let issuer = get_json(&server, "/issuer.json", "application/json");
    let list = get_json(&server, "/status/revocation.json", "application/vc+ld+json");
    server.stop();
    assert_eq!(certstat_verify(&env, "ana.json", &cred).0, 0);
    if js_dir().is_some() {
        let list_url = cred["credentialStatus"]["statusListCredential"]
            .as_str()
            .unwrap();
        let (code, report) = dcc_verify(
            &env,
            &cred,
            &[
                (&format!("{BASE}/issuer.json"), &issuer),
                (vm, &key),
                (list_url, &list),
            ],
        );
        assert_eq!(
            (code, &report["signature"]),
            (0, &json!(true)),
            "{report:#}"
        );
    }

    // An Ed25519 rotation replaces both; what the old key signed still verifies.
    env.ok(&["keys", "rotate"]);
    let keys = env.json(&["keys", "show"]);
    assert_eq!(keys["active_kid"], keys["data_integrity_kid"]);
    assert_ne!(keys["data_integrity_kid"], json!(ed25519));
    let active: Vec<&Value> = keys["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["retired_at"].is_null())
        .collect();
    assert_eq!(active.len(), 1, "{keys:#}");
    assert_eq!(certstat_verify(&env, "ana-old.json", &cred).0, 0);
}
