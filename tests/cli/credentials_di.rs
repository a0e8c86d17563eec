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
    assert!(vm.starts_with(&format!("{BASE}/issuer#")), "{vm}");
    assert_eq!(cred["credentialStatus"]["type"], "BitstringStatusListEntry");
    for k in ["iss", "jti", "sub", "nbf"] {
        assert!(cred.get(k).is_none(), "{k}");
    }
    let issuer = get_json(&server, "/issuer", "application/json");
    assert!(
        issuer["assertionMethod"]
            .as_array()
            .unwrap()
            .contains(&json!(vm)),
        "{issuer:#}"
    );
    let did = get_json(&server, "/.well-known/did.json", "application/json");
    assert_eq!(did["id"], "did:web:certs.acme.example");
    let list = get_json(&server, "/status/revocation", "application/vc+ld+json");
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
    let list2 = get_json(&server, "/status/revocation", "application/vc+ld+json");
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
