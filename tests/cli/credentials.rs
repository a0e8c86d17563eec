//! Verifiable credentials (issue 7): Open Badges 3.0 VC-JWTs, baked documents, `verify`,
//! keys, revocation and expiry — through the real binary, checked against the published
//! schema (tests/fixtures/openbadges3) and, independently, with Python's PyJWT.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::common::{Env, fixture, required};
use crate::serve::{ANA, BJORN, CERT, Server, claim, token, uid};

const BASE: &str = "https://certs.acme.example";

/// A recipient's public credential id, if they have one yet.
pub fn public_id_if_any(env: &Env, email: &str) -> Option<String> {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.query_row(
        "SELECT public_id FROM recipients WHERE email_key=lower(?1)",
        [email],
        |r| r.get(0),
    )
    .unwrap()
}

/// A recipient's public credential id (set once their credential is issued).
pub fn public_id(env: &Env, email: &str) -> String {
    public_id_if_any(env, email).expect("the recipient has a public id")
}

fn setup() -> Env {
    let env = Env::new();
    env.write_config(&format!(
        "[serve]\nbase_url = \"{BASE}\"\n\n[issuer]\nname = \"ACME Training\"\n\
         url = \"https://acme.example\"\nemail = \"certificates@acme.example\"\n"
    ));
    env.with_example(CERT);
    env
}

fn run(env: &Env, args: &[&str], now: Option<&str>) -> Output {
    let mut cmd = env.cmd();
    if let Some(now) = now {
        cmd.env("CERTSTAT_NOW", now);
    }
    cmd.args(args).output().unwrap()
}

/// `render CERT EMAIL --format FMT`, returning the one file written.
fn render(env: &Env, email: &str, format: &str, now: Option<&str>) -> PathBuf {
    let dir = env.path(&format!("out-{format}-{}", uid(env, email)));
    let _ = std::fs::remove_dir_all(&dir);
    let out = run(
        env,
        &[
            "render",
            CERT,
            email,
            "--out",
            dir.to_str().unwrap(),
            "--format",
            format,
        ],
        now,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

/// `verify FILE --format json [ARGS]`: (exit code, verdict).
fn verify(env: &Env, file: &Path, args: &[&str], now: Option<&str>) -> (i32, Value) {
    let mut all = vec!["verify", file.to_str().unwrap(), "--format", "json"];
    all.extend_from_slice(args);
    let out = run(env, &all, now);
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "verify printed no JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let code = out.status.code().unwrap();
    assert_eq!(code == 0, verdict["valid"] == true, "{verdict}");
    (code, verdict)
}

fn reason(verdict: &Value) -> &str {
    verdict["reasons"][0]["code"].as_str().unwrap_or("(none)")
}

pub fn jwt_of(file: &Path) -> String {
    let bytes = std::fs::read(file).unwrap();
    certstat::credentials::bake::extract_png(&bytes).unwrap()
}

pub fn parts(jwt: &str) -> (Value, Value, String) {
    let p: Vec<&str> = jwt.split('.').collect();
    assert_eq!(p.len(), 3);
    let dec = |s: &str| serde_json::from_slice(&URL_SAFE_NO_PAD.decode(s).unwrap()).unwrap();
    (dec(p[0]), dec(p[1]), p[2].to_owned())
}

fn enc(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
}

fn write(env: &Env, name: &str, text: &str) -> PathBuf {
    let p = env.path(name);
    std::fs::write(&p, text).unwrap();
    p
}

pub fn schema(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(fixture(&format!("openbadges3/{name}"))).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the published schema compiles")
}

pub fn assert_schema_valid(validator: &jsonschema::Validator, doc: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{doc:#}");
}

/// Whether Python with PyJWT and cryptography is there; panics under CERTSTAT_REQUIRE_TOOLS=1.
fn have_pyjwt() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import jwt, cryptography"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            !required(),
            "python3 with PyJWT[crypto] is required (CERTSTAT_REQUIRE_TOOLS=1): pip install -r .ci/requirements.txt"
        );
        eprintln!(
            "skipped: python3 PyJWT/cryptography missing (pip install -r .ci/requirements.txt)"
        );
    }
    ok
}

/// Run tests/verify_jwt.py (PyJWT, no certstat code): its report, or the failure text.
fn pyjwt(jwks: &str, input: &Path) -> Result<Value, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/verify_jwt.py");
    let out = Command::new("python3")
        .arg(script)
        .args(["--jwks", jwks])
        .arg(input)
        .output()
        .unwrap();
    if out.status.success() {
        Ok(serde_json::from_slice(&out.stdout).unwrap())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn every_issued_credential_matches_the_published_schema() {
    let env = setup();
    env.ok(&["cert", "edit", CERT, "--expires", "2031-06-30"]);
    let validator = schema("achievementcredential.schema.json");
    let recipients = env.recipients(CERT);
    assert_eq!(recipients.len(), 5);
    for r in &recipients {
        let email = r["email"].as_str().unwrap();
        let png = render(&env, email, "png", None);
        let (header, claims, _) = parts(&jwt_of(&png));
        assert_eq!(header["alg"], "EdDSA");
        assert_eq!(header["typ"], "JWT");
        assert_schema_valid(&validator, &claims);
        // The SVG and PDF bake the same credential; each form matches the schema.
        let svg = std::fs::read_to_string(render(&env, email, "svg", None)).unwrap();
        let svg_jwt = certstat::credentials::bake::extract_svg(&svg).unwrap();
        let pdf = std::fs::read(render(&env, email, "pdf", None)).unwrap();
        let pdf_jwt = certstat::credentials::bake::extract_pdf(&pdf).unwrap();
        for jwt in [&svg_jwt, &pdf_jwt] {
            assert_eq!(parts(jwt).1, claims);
            assert_schema_valid(&validator, &parts(jwt).1);
        }
        let id = public_id(&env, email);
        assert_eq!(claims["id"], format!("{BASE}/v/{id}"));
        assert_eq!(claims["jti"], claims["id"]);
        // `sub` must equal credentialSubject.id, and the subject has none.
        assert!(claims["credentialSubject"].get("id").is_none());
        assert!(claims.get("sub").is_none(), "{claims:#}");
        assert_eq!(
            claims["@context"],
            json!([
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
            ])
        );
        assert_eq!(
            claims["type"],
            json!(["VerifiableCredential", "OpenBadgeCredential"])
        );
        assert_eq!(claims["issuer"]["id"], format!("{BASE}/issuer.json"));
        assert_eq!(claims["iss"], claims["issuer"]["id"]);
        assert_eq!(claims["issuer"]["name"], "ACME Training");
        assert_eq!(claims["name"], CERT);
        assert_eq!(claims["validUntil"], "2031-06-30T00:00:00Z");
        assert_eq!(
            claims["exp"].as_i64().unwrap(),
            chrono::DateTime::parse_from_rfc3339("2031-06-30T00:00:00Z")
                .unwrap()
                .timestamp()
        );
        // The revocation entry of the Data Integrity form (tests/cli/ob3.rs compares them).
        let status = &claims["credentialStatus"];
        assert_eq!(status["type"], "BitstringStatusListEntry", "{status:#}");
        assert_eq!(status["statusPurpose"], "revocation");
        let list = status["statusListCredential"].as_str().unwrap();
        assert!(
            list.starts_with(&format!("{BASE}/status/revocation")),
            "{list}"
        );
        assert_eq!(
            status["id"],
            format!("{list}#{}", status["statusListIndex"].as_str().unwrap())
        );
        let subject = &claims["credentialSubject"];
        assert_eq!(subject["name"], r["name"]);
        let achievement = &subject["achievement"];
        assert_eq!(achievement["name"], CERT);
        assert_eq!(achievement["image"]["id"], format!("{BASE}/v/{id}.png"));
        assert_eq!(achievement["image"]["type"], "Image");
        assert!(
            achievement["criteria"]["narrative"]
                .as_str()
                .unwrap()
                .contains(CERT)
        );
        // The address is only there hashed and salted, as the spec says.
        let ident = &subject["identifier"][0];
        assert_eq!(ident["identityType"], "emailAddress");
        assert_eq!(ident["hashed"], true);
        let salt = ident["salt"].as_str().unwrap();
        assert!(salt.len() >= 16);
        let expect = format!(
            "sha256${}",
            hex::encode(Sha256::digest(format!("{}{salt}", email.to_lowercase())))
        );
        assert_eq!(ident["identityHash"], expect);
        assert!(!claims.to_string().contains(email), "the address leaked");
    }
    // An invented credential missing its subject fails the same schema: the check can fail.
    let mut broken = parts(&jwt_of(&render(&env, ANA, "png", None))).1;
    broken.as_object_mut().unwrap().remove("credentialSubject");
    assert!(validator.iter_errors(&broken).next().is_some());
}

#[test]
fn a_claimed_download_verifies_with_certstat_and_with_pyjwt_from_the_published_jwks() {
    let env = setup();
    let server = Server::start(&env, &[]);
    // Credentials name the configured public base URL, wherever the server listens.
    let base = BASE;
    // Before the claim there is no credential, and no public id: the uid is not one.
    assert_eq!(public_id_if_any(&env, ANA), None);
    let old_style = uid(&env, ANA);
    for path in ["", ".jwt", ".json", ".png", "/status"] {
        assert_eq!(server.get(&format!("/v/{old_style}{path}")).status, 404);
    }
    let tok = token(&env, ANA);
    let cookie = claim(&server, &tok, ANA);
    let id = public_id(&env, ANA);
    assert_ne!(id, old_style);
    let res = server.request(
        "GET",
        &format!("/r/{tok}/download.png"),
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(res.status, 200, "{}", res.text());
    let png = env.path("download.png");
    std::fs::write(&png, &res.body).unwrap();
    let pdf_res = server.request(
        "GET",
        &format!("/r/{tok}/download.pdf"),
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(pdf_res.status, 200);
    let pdf = env.path("download.pdf");
    std::fs::write(&pdf, &pdf_res.body).unwrap();

    let (code, verdict) = verify(&env, &png, &[], None);
    assert_eq!(code, 0, "{verdict:#}");
    assert_eq!(verdict["credential"], format!("{base}/v/{id}"));
    assert_eq!(verify(&env, &pdf, &[], None).0, 0);

    // The endpoints: profile (valid against the published Profile schema), keys, JSON, JWT.
    let profile: Value = serde_json::from_slice(&server.get("/issuer.json").body).unwrap();
    assert_schema_valid(&schema("profile.schema.json"), &profile);
    assert_eq!(profile["id"], format!("{base}/issuer.json"));
    assert_eq!(profile["name"], "ACME Training");
    let jwks: Value = serde_json::from_slice(&server.get("/issuer/jwks.json").body).unwrap();
    // The JWS header's `kid` is the URL that answers with the key's JWK, and the JWKS names
    // the key by it too.
    let kid = verdict["kid"].as_str().unwrap();
    let header_kid = format!("{base}/issuer/jwk/{kid}.json");
    assert_eq!(parts(&jwt_of(&png)).0["kid"], header_kid.as_str());
    assert!(
        jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["kid"] == header_kid.as_str())
    );
    let jwk: Value =
        serde_json::from_slice(&server.get(&format!("/issuer/jwk/{kid}.json")).body).unwrap();
    assert_eq!(jwk["kid"], header_kid.as_str());
    assert_eq!(
        (jwk["kty"].as_str(), jwk["crv"].as_str()),
        (Some("OKP"), Some("Ed25519"))
    );
    assert_eq!(server.get("/issuer/jwk/nonexistent.json").status, 404);
    let jwt = server.get(&format!("/v/{id}.jwt"));
    assert_eq!(jwt.header("content-type"), Some("application/jwt"));
    assert_eq!(jwt.text(), jwt_of(&png));
    // The JSON is the credential with its Data Integrity proof, as at /credentials/{id}.json.
    let json_res = server.get(&format!("/v/{id}.json"));
    assert_eq!(
        json_res.header("content-type"),
        Some("application/vc+ld+json")
    );
    let public: Value = serde_json::from_slice(&json_res.body).unwrap();
    assert_eq!(public["proof"][0]["cryptosuite"], "eddsa-rdfc-2022");
    assert_eq!(
        json_res.body,
        server.get(&format!("/credentials/{id}.json")).body
    );
    let saved = write(&env, "credential.json", &public.to_string());
    let (code, v) = verify(&env, &saved, &[], None);
    assert_eq!(code, 0, "the served JSON is signed: {v:#}");
    let mut edited = public.clone();
    edited["credentialSubject"]["name"] = json!("Mallory");
    let saved = write(&env, "edited.json", &edited.to_string());
    let (code, v) = verify(&env, &saved, &[], None);
    assert_eq!(code, 1, "{v:#}");

    if have_pyjwt() {
        let report = pyjwt(&server.url("/issuer/jwks.json"), &png).unwrap();
        assert_eq!(report["alg"], "EdDSA");
        assert_eq!(report["kid"], header_kid.as_str());
        assert_eq!(report["claims"]["id"], format!("{base}/v/{id}"));
        assert_eq!(report["claims"]["credentialSubject"]["name"], "Ana Silva");
        // The same independent check rejects a credential with a changed name.
        let (h, mut c, sig) = parts(&jwt_of(&png));
        c["credentialSubject"]["name"] = json!("Mallory");
        let forged = write(
            &env,
            "forged.jwt",
            &format!("{}.{}.{sig}", enc(&h), enc(&c)),
        );
        let err = pyjwt(&server.url("/issuer/jwks.json"), &forged).unwrap_err();
        assert!(err.contains("Signature"), "{err}");
    }
    server.stop();
}

#[test]
fn tampering_is_rejected_with_the_right_reason() {
    let env = setup();
    let png = render(&env, ANA, "png", None);
    let jwt = jwt_of(&png);
    let (header, claims, sig) = parts(&jwt);
    let good = write(&env, "good.jwt", &jwt);
    assert_eq!(verify(&env, &good, &[], None).0, 0);

    let check = |name: &str, text: String, want: &str, mention: &str| {
        let file = write(&env, name, &text);
        let (code, v) = verify(&env, &file, &[], None);
        assert_eq!(code, 1, "{name}: {v:#}");
        assert_eq!(reason(&v), want, "{name}: {v:#}");
        let message = v["reasons"][0]["message"].as_str().unwrap();
        assert!(message.contains(mention), "{name}: {message}");
    };
    // One byte of the payload: a letter of the description.
    let payload_json = String::from_utf8(
        URL_SAFE_NO_PAD
            .decode(jwt.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    let at = payload_json.find("Awarded by").unwrap();
    let mut bytes = payload_json.into_bytes();
    bytes[at] = b'a';
    let one_byte = format!(
        "{}.{}.{sig}",
        jwt.split('.').next().unwrap(),
        URL_SAFE_NO_PAD.encode(&bytes)
    );
    check("byte.jwt", one_byte, "tampered_field", "criteria.narrative");
    // The name.
    let mut c = claims.clone();
    c["credentialSubject"]["name"] = json!("Mallory");
    check(
        "name.jwt",
        format!("{}.{}.{sig}", enc(&header), enc(&c)),
        "tampered_field",
        "credentialSubject.name",
    );
    // The date.
    let mut c = claims.clone();
    c["validFrom"] = json!("2020-01-01T00:00:00Z");
    check(
        "date.jwt",
        format!("{}.{}.{sig}", enc(&header), enc(&c)),
        "tampered_field",
        "validFrom",
    );
    // The key: signed by another Ed25519 key under our kid, then under its own kid.
    let other = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let resign = |h: &Value| {
        use ed25519_dalek::Signer;
        let input = format!("{}.{}", enc(h), enc(&claims));
        let s = other.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(s.to_bytes()))
    };
    check("key.jwt", resign(&header), "bad_signature", "signature");
    let mut h = header.clone();
    h["kid"] = json!("someone-elses-key");
    check("kid.jwt", resign(&h), "unknown_key", "someone-elses-key");
    // One byte of the signature.
    let mut s = URL_SAFE_NO_PAD.decode(&sig).unwrap();
    s[10] ^= 1;
    check(
        "sig.jwt",
        format!(
            "{}.{}.{}",
            enc(&header),
            enc(&claims),
            URL_SAFE_NO_PAD.encode(s)
        ),
        "bad_signature",
        "signature",
    );
    // Not a credential at all; alg none.
    check("junk.jwt", "hello world".into(), "malformed", "not a baked");
    let none = json!({"alg": "none", "typ": "JWT"});
    check(
        "none.jwt",
        format!("{}.{}.x", enc(&none), enc(&claims)),
        "malformed",
        "header",
    );
    // A damaged PNG chunk.
    let mut bytes = std::fs::read(&png).unwrap();
    let at = bytes
        .windows(19)
        .position(|w| w == b"openbadgecredential")
        .unwrap()
        + 100;
    bytes[at] ^= 0x20;
    let damaged = env.path("damaged.png");
    std::fs::write(&damaged, &bytes).unwrap();
    let (code, v) = verify(&env, &damaged, &[], None);
    assert_eq!((code, reason(&v)), (1, "malformed"), "{v:#}");
}

#[test]
fn baked_png_svg_and_pdf_round_trip_and_are_well_formed() {
    let env = setup();
    let png = render(&env, BJORN, "png", None);
    let (code, v) = verify(&env, &png, &[], None);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["container"], "png");
    assert_eq!(v["recipient"], "Björn Åström");
    // Rendering again reuses the stored credential: the same JWS.
    let again = render(&env, BJORN, "png", None);
    assert_eq!(jwt_of(&png), jwt_of(&again));

    // Independently: every chunk's CRC with Python's zlib, and Pillow reads the same text.
    let check = r#"
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n'
at, kinds, text = 8, [], None
while at < len(d):
    n, = struct.unpack('>I', d[at:at+4]); kind = d[at+4:at+8]; body = d[at+8:at+8+n]
    crc, = struct.unpack('>I', d[at+8+n:at+12+n])
    assert zlib.crc32(kind + body) & 0xffffffff == crc, kind
    kinds.append(kind.decode())
    if kind == b'iTXt' and body.startswith(b'openbadgecredential\0'):
        assert body[20:22] == b'\0\0', 'compressed'
        text = body[22:].split(b'\0', 2)[2].decode()
    at += 12 + n
assert kinds[0] == 'IHDR' and kinds[-1] == 'IEND' and kinds.count('iTXt') == 1, kinds
try:
    from PIL import Image
    im = Image.open(sys.argv[1]); im.load()
    assert im.text['openbadgecredential'] == text
    pillow = 'pillow'
except ImportError:
    pillow = 'no-pillow'
print(pillow, text)
"#;
    let out = Command::new("python3")
        .args(["-c", check])
        .arg(&png)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let (pillow, text) = stdout.trim().split_once(' ').unwrap();
    assert_eq!(text, jwt_of(&png));
    if pillow != "pillow" {
        assert!(
            !required(),
            "Pillow is required under CERTSTAT_REQUIRE_TOOLS=1"
        );
        eprintln!("note: Pillow missing; the PNG was checked with zlib only");
    }

    let svg = render(&env, BJORN, "svg", None);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\""));
    assert!(text.contains(&format!(
        "<openbadges:credential verify=\"{}\"/>",
        jwt_of(&png)
    )));
    usvg_parses(&text);
    assert_eq!(verify(&env, &svg, &[], None).0, 0);

    let pdf = render(&env, BJORN, "pdf", None);
    let (code, v) = verify(&env, &pdf, &[], None);
    assert_eq!((code, v["container"].as_str()), (0, Some("pdf")), "{v:#}");
    // poppler sees the attachment and can still read the document.
    match Command::new("pdfdetach").arg("-list").arg(&pdf).output() {
        Ok(out) => {
            let list = String::from_utf8_lossy(&out.stdout);
            assert!(list.contains("credential.jwt"), "{list}");
            let saved = env.path("attached.jwt");
            let ok = Command::new("pdfdetach")
                .args(["-save", "1", "-o"])
                .arg(&saved)
                .arg(&pdf)
                .status()
                .unwrap();
            assert!(ok.success());
            assert_eq!(std::fs::read_to_string(&saved).unwrap(), jwt_of(&png));
            let text = Command::new("pdftotext")
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap();
            assert!(String::from_utf8_lossy(&text.stdout).contains("Björn"));
        }
        Err(_) if !required() => eprintln!("skipped: pdfdetach (poppler-utils) missing"),
        Err(e) => panic!("pdfdetach is required: {e}"),
    }
}

fn usvg_parses(svg: &str) {
    resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default())
        .expect("the baked SVG still parses");
}

#[test]
fn revocation_shows_in_verify_listings_and_every_public_page() {
    let env = setup();
    let png = render(&env, ANA, "png", None);
    assert_eq!(verify(&env, &png, &[], None).0, 0);
    env.ok(&[
        "recipients",
        "revoke",
        CERT,
        ANA,
        "--reason",
        "Issued in error",
    ]);
    let (code, v) = verify(&env, &png, &[], None);
    assert_eq!((code, reason(&v)), (1, "revoked"), "{v:#}");
    assert_eq!(v["revoked"]["reason"], "Issued in error");
    let text = run(&env, &["verify", png.to_str().unwrap()], None);
    assert_eq!(text.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&text.stdout).contains("INVALID: revoked"));
    assert!(String::from_utf8_lossy(&text.stderr).contains("revoked"));
    let ana = env
        .recipients(CERT)
        .into_iter()
        .find(|r| r["email"] == ANA)
        .unwrap();
    assert_eq!(ana["revoked"], true);
    assert_eq!(ana["status"], "not_sent", "revocation keeps the status");

    let server = Server::start(&env, &["--base-url", BASE]);
    let id = public_id(&env, ANA);
    let public: Value = serde_json::from_slice(&server.get(&format!("/v/{id}.json")).body).unwrap();
    let saved = write(&env, "served.json", &public.to_string());
    let (code, v) = verify(&env, &saved, &[], None);
    assert_eq!((code, reason(&v)), (1, "revoked"), "{v:#}");
    let status: Value =
        serde_json::from_slice(&server.get(&format!("/v/{id}/status")).body).unwrap();
    assert_eq!(
        status["revokedCredentials"][0]["id"],
        format!("{BASE}/v/{id}")
    );
    assert_eq!(
        status["revokedCredentials"][0]["revocationReason"],
        "Issued in error"
    );
    let page = server.get(&format!("/v/{id}")).text();
    assert!(
        page.contains("Revoked certificate") && page.contains("Issued in error"),
        "{page}"
    );
    let tok = token(&env, ANA);
    let cookie = claim(&server, &tok, ANA);
    let res = server.request(
        "GET",
        &format!("/r/{tok}/download.png"),
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(
        res.status, 410,
        "downloads of a revoked certificate are refused"
    );
    server.stop();

    env.ok(&["recipients", "unrevoke", CERT, ANA]);
    assert_eq!(verify(&env, &png, &[], None).0, 0);
    let err = env.fails(&["recipients", "revoke", CERT, ANA, "--reason", " "]);
    assert!(err.contains("--reason"), "{err}");
}

#[test]
fn expiry_from_the_credential_and_from_the_certificate() {
    let env = setup();
    let t0 = Some("2026-01-10T00:00:00Z");
    env.ok(&["cert", "edit", CERT, "--valid-for", "1y"]);
    let created = env.json(&["cert", "show", CERT])["certificate"]["created_at"]
        .as_str()
        .unwrap()
        .to_owned();
    let png = render(&env, ANA, "png", t0);
    let (_, claims, _) = parts(&jwt_of(&png));
    let until =
        chrono::DateTime::parse_from_rfc3339(claims["validUntil"].as_str().unwrap()).unwrap();
    let created = chrono::DateTime::parse_from_rfc3339(&created).unwrap();
    assert_eq!(
        until,
        created.checked_add_months(chrono::Months::new(12)).unwrap()
    );
    let before = (until - chrono::Duration::days(1)).to_rfc3339();
    let after = (until + chrono::Duration::days(1)).to_rfc3339();
    assert_eq!(verify(&env, &png, &[], Some(&before)).0, 0);
    let (code, v) = verify(&env, &png, &[], Some(&after));
    assert_eq!((code, reason(&v)), (1, "expired"), "{v:#}");
    // Expiry set after issuing applies to credentials already out there.
    env.ok(&["cert", "edit", CERT, "--expires", "never"]);
    let png = render(&env, BJORN, "png", None);
    assert!(parts(&jwt_of(&png)).1.get("validUntil").is_none());
    assert_eq!(verify(&env, &png, &[], None).0, 0);
    // An expiry in the past is refused (nothing changes) unless --force.
    for args in [
        &["--expires", "2020-01-01"][..],
        &["--expires", "2001-02-03T04:05:06Z"],
    ] {
        let mut all = vec!["cert", "edit", CERT];
        all.extend_from_slice(args);
        let err = env.fails(&all);
        assert!(
            err.contains("in the past") && err.contains("--force"),
            "{err}"
        );
    }
    assert_eq!(
        verify(&env, &png, &[], None).0,
        0,
        "the refused edits changed nothing"
    );
    env.ok(&["cert", "edit", CERT, "--expires", "2020-01-01", "--force"]);
    let (code, v) = verify(&env, &png, &[], None);
    assert_eq!((code, reason(&v)), (1, "expired"), "{v:#}");
    assert!(
        v["reasons"][0]["message"]
            .as_str()
            .unwrap()
            .contains("certificate's expiry")
    );
    // A credential issued now under that expiry is expired, and validUntil is not before
    // validFrom.
    let late = render(&env, ANA, "png", None);
    let claims = parts(&jwt_of(&late)).1;
    let from = chrono::DateTime::parse_from_rfc3339(claims["validFrom"].as_str().unwrap()).unwrap();
    let until =
        chrono::DateTime::parse_from_rfc3339(claims["validUntil"].as_str().unwrap()).unwrap();
    assert!(until >= from, "{claims:#}");
    assert!(claims["exp"].as_i64().unwrap() >= claims["nbf"].as_i64().unwrap());
    let (code, v) = verify(&env, &late, &[], None);
    assert_eq!((code, reason(&v)), (1, "expired"), "{v:#}");
    let listed = env.recipients(CERT);
    assert!(listed.iter().all(|r| r["expired"] == true));
    let out = env
        .cmd()
        .args(["cert", "edit", CERT, "--valid-for", "2 centuries"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a bad value is a usage error");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--valid-for"), "{err}");
}

#[test]
fn key_rotation_keeps_old_credentials_verifiable() {
    let env = setup();
    let old_png = render(&env, ANA, "png", None);
    let keys1 = env.json(&["keys", "show"]);
    let old_kid = keys1["active_kid"].as_str().unwrap().to_owned();
    assert_eq!(
        parts(&jwt_of(&old_png)).0["kid"],
        format!("{BASE}/issuer/jwk/{old_kid}.json")
    );
    env.ok(&["keys", "rotate"]);
    let keys2 = env.json(&["keys", "show"]);
    let new_kid = keys2["active_kid"].as_str().unwrap().to_owned();
    assert_ne!(old_kid, new_kid);
    let list = keys2["keys"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    let old = list.iter().find(|k| k["kid"] == old_kid.as_str()).unwrap();
    assert!(old["retired_at"].is_string() && old["active"] == false);
    // Private keys are files beside the database, owner-only; never printed.
    let dir = PathBuf::from(keys2["keys_dir"].as_str().unwrap());
    for kid in [&old_kid, &new_kid] {
        let path = dir.join(format!("{kid}.pem"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let pem = std::fs::read_to_string(&path).unwrap();
        assert!(!keys2.to_string().contains(pem.lines().nth(1).unwrap()));
    }
    let (code, v) = verify(&env, &old_png, &[], None);
    assert_eq!((code, v["key"].as_str()), (0, Some("retired")), "{v:#}");
    let new_png = render(&env, BJORN, "png", None);
    let (code, v) = verify(&env, &new_png, &[], None);
    assert_eq!(
        (code, v["kid"].as_str(), v["key"].as_str()),
        (0, Some(new_kid.as_str()), Some("active"))
    );
    if have_pyjwt() {
        let keys = env.path("keys.json");
        std::fs::write(&keys, env.ok(&["keys", "show", "--format", "json"])).unwrap();
        let keys = keys.to_str().unwrap();
        let url = |kid: &str| format!("{BASE}/issuer/jwk/{kid}.json");
        assert_eq!(pyjwt(keys, &old_png).unwrap()["kid"], url(&old_kid));
        assert_eq!(pyjwt(keys, &new_png).unwrap()["kid"], url(&new_kid));
    }
}

/// Serve one file over plain HTTP once, on loopback; returns its URL.
fn serve_once(body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}/issuer/jwks.json")
}

#[test]
fn other_issuers_credentials_verify_with_their_jwks_file_or_url() {
    let issuer = setup();
    let png = render(&issuer, ANA, "png", None);
    let jwks = issuer.ok(&["keys", "show", "--format", "json"]);
    let jwks: Value = serde_json::from_str(&jwks).unwrap();
    let published = json!({"keys": jwks["keys"].as_array().unwrap().iter().map(|k| k["jwk"].clone()).collect::<Vec<_>>()});

    // A verifier with no database of its own.
    let verifier = Env::bare();
    let (code, v) = verify(&verifier, &png, &[], None);
    assert_eq!((code, reason(&v)), (1, "unknown_key"), "{v:#}");
    assert!(!verifier.db.exists(), "verify must not create a database");
    let file = write(&verifier, "jwks.json", &published.to_string());
    let (code, v) = verify(&verifier, &png, &["--jwks", file.to_str().unwrap()], None);
    assert_eq!((code, v["key"].as_str()), (0, Some("jwks")), "{v:#}");
    let revocation = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "revocation")
        .unwrap();
    assert_eq!(revocation["result"], "skipped");
    let url = serve_once(published.to_string());
    let (code, _) = verify(&verifier, &png, &["--jwks", &url], None);
    assert_eq!(code, 0);
    // The wrong issuer's keys do not verify it.
    let stranger = setup();
    stranger.ok(&["keys", "show"]);
    let theirs = stranger.ok(&["keys", "show", "--format", "json"]);
    let theirs: Value = serde_json::from_str(&theirs).unwrap();
    let file = write(
        &verifier,
        "wrong.json",
        &theirs["keys"][0]["jwk"].to_string(),
    );
    let (code, v) = verify(&verifier, &png, &["--jwks", file.to_str().unwrap()], None);
    assert_eq!((code, reason(&v)), (1, "unknown_key"), "{v:#}");
}

/// Every event in the log (kind, recipient address), for "nothing was recorded" checks.
fn all_events(env: &Env) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT e.kind, r.email FROM events e JOIN recipients r ON r.id = e.recipient_id \
             ORDER BY e.id",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn public_pages_exist_only_once_issued_and_say_revoked_after_revocation() {
    let env = setup();
    // Ana is sent her link (Pending, through the outbox folder); Björn is never sent anything.
    let config = std::fs::read_to_string(&env.config).unwrap();
    env.write_config(&format!(
        "{config}\n[sender]\nfrom = \"ACME <certs@acme.example>\"\n\n[outbox]\ndir = \"{}\"\n",
        env.path("outbox").display()
    ));
    env.ok(&["send", CERT, "--to", ANA]);
    let server = Server::start(&env, &["--base-url", BASE]);
    let tok = token(&env, ANA);
    // The claim page may give Ana a public id already; it answers nothing until she claims.
    assert_eq!(server.get(&format!("/r/{tok}")).status, 200);
    let before = all_events(&env);
    assert!(
        before.iter().any(|(k, e)| k == "sent" && e == ANA),
        "{before:?}"
    );
    for email in [ANA, BJORN] {
        let mut ids = vec![uid(&env, email)];
        ids.extend(public_id_if_any(&env, email));
        for id in ids {
            for suffix in ["", ".png", ".json", ".jwt", "/status"] {
                let res = server.get(&format!("/v/{id}{suffix}"));
                assert_eq!(res.status, 404, "/v/{id}{suffix} of {email}");
                assert!(!res.text().contains("Verified certificate"));
            }
        }
    }
    assert_eq!(all_events(&env), before, "a 404 records nothing");

    let cookie = claim(&server, &tok, ANA);
    let id = public_id(&env, ANA);
    let page = server.get(&format!("/v/{id}"));
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Verified certificate"));
    let valid_png = server.get(&format!("/v/{id}.png")).body;
    // The Achievement answers at its id.
    let jwt = server.get(&format!("/v/{id}.jwt")).text();
    let claims = parts(&jwt).1;
    let achievement_id = claims["credentialSubject"]["achievement"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = achievement_id.strip_prefix(BASE).unwrap();
    let res = server.get(path);
    assert_eq!(res.status, 200, "{achievement_id}");
    let achievement: Value = serde_json::from_slice(&res.body).unwrap();
    assert_eq!(achievement["id"], achievement_id.as_str());
    assert_eq!(achievement["type"], json!(["Achievement"]));
    assert_eq!(
        achievement["name"],
        claims["credentialSubject"]["achievement"]["name"]
    );
    // It is an Achievement by the published schema: in place of the credential's own.
    let mut with_served = claims.clone();
    let mut plain = achievement.clone();
    plain.as_object_mut().unwrap().remove("@context");
    with_served["credentialSubject"]["achievement"] = plain;
    assert_schema_valid(&schema("achievementcredential.schema.json"), &with_served);
    assert_eq!(server.get("/issuer/achievements/999").status, 404);

    env.ok(&["recipients", "revoke", CERT, ANA, "--reason", "Withdrawn"]);
    let before = all_events(&env);
    for path in [
        format!("/r/{tok}/share/linkedin"),
        format!("/r/{tok}/share/x"),
        format!("/r/{tok}/linkedin"),
        format!("/r/{tok}/download.pdf"),
    ] {
        let res = server.request("GET", &path, &[("Cookie", &cookie)], None);
        assert_eq!(res.status, 410, "{path}");
        assert!(res.header("location").is_none(), "{path}");
        assert!(res.text().contains("revoked"), "{path}");
    }
    assert_eq!(all_events(&env), before, "refused shares record nothing");
    let page = server.get(&format!("/v/{id}")).text();
    assert!(page.contains("Revoked certificate"), "{page}");
    assert!(page.contains("og:title\" content=\"REVOKED:"), "{page}");
    assert!(!page.contains("Verified certificate"), "{page}");
    let revoked_png = server.get(&format!("/v/{id}.png")).body;
    assert_ne!(valid_png, revoked_png, "the og:image changes on revocation");
}

#[test]
fn public_ids_of_one_import_are_random() {
    let env = setup();
    let mut csv = String::from("email,name\n");
    for n in 0..1000 {
        csv.push_str(&format!("p{n:04}@example.org,Person {n}\n"));
    }
    let file = write(&env, "many.csv", &csv);
    env.ok(&["cert", "create", "Many"]);
    env.ok(&["recipients", "import", "Many", file.to_str().unwrap()]);
    let out = env.path("many-out");
    env.ok(&[
        "render",
        "Many",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "svg",
    ]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let ids: Vec<String> = conn
        .prepare(
            "SELECT r.public_id FROM recipients r JOIN certificates c ON c.id = r.certificate_id \
             WHERE c.name = 'Many' ORDER BY r.id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(ids.len(), 1000);
    let uids: Vec<String> = conn
        .prepare(
            "SELECT r.uid FROM recipients r JOIN certificates c ON c.id = r.certificate_id \
             WHERE c.name = 'Many' ORDER BY r.id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let values: Vec<u128> = ids
        .iter()
        .map(|id| {
            assert_eq!(id.len(), 32, "{id}");
            u128::from_str_radix(id, 16).unwrap()
        })
        .collect();
    let distinct: std::collections::HashSet<_> = values.iter().collect();
    assert_eq!(distinct.len(), 1000);
    // Neighbours share no long prefix (8 hex digits by chance: about 1 in 4 million per pair);
    // the uids of one import, by contrast, do.
    let prefix = |a: &str, b: &str| a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    for pair in ids.windows(2) {
        assert!(prefix(&pair[0], &pair[1]) < 8, "{pair:?}");
    }
    assert!(uids.windows(2).all(|p| prefix(&p[0], &p[1]) >= 8));
    // The gaps are not constant, and not even mostly one value.
    let gaps: std::collections::HashSet<u128> =
        values.windows(2).map(|p| p[1].wrapping_sub(p[0])).collect();
    assert!(gaps.len() > 990, "{} distinct gaps", gaps.len());
    // About half of the 128,000 bits are set (14 standard deviations of slack).
    let ones: u32 = values.iter().map(|v| v.count_ones()).sum();
    assert!((61_440..=66_560).contains(&ones), "{ones} bits set");
    // Every public page answers at its id.
    let server = Server::start(&env, &["--base-url", BASE]);
    for id in [&ids[0], &ids[499], &ids[999]] {
        assert_eq!(server.get(&format!("/v/{id}.json")).status, 200);
    }
}

/// `node tests/js/verify-jwt.mjs SOURCE` (jose): its report, or the failure text; `None` when
/// node or the npm packages are missing (then the test skips, unless tools are required).
pub fn jose(source: &str) -> Option<Result<Value, String>> {
    let js = crate::common::js_verifiers("jose")?;
    let out = Command::new("node")
        .arg(js.join("verify-jwt.mjs"))
        .arg(source)
        .output()
        .unwrap();
    Some(if out.status.success() {
        Ok(serde_json::from_slice(&out.stdout).unwrap())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    })
}

#[test]
fn jose_verifies_eddsa_and_es256_tokens_with_the_key_fetched_from_their_kid() {
    let env = Env::new();
    // No base URL: `serve` uses its own loopback address, so every `kid` URL answers.
    env.write_config("[issuer]\nname = \"ACME Training\"\n");
    env.with_example(CERT);
    let server = Server::start(&env, &[]);
    let claimed_jwt = |email: &str| -> (String, PathBuf) {
        let tok = token(&env, email);
        claim(&server, &tok, email);
        let id = public_id(&env, email);
        let jwt = server.get(&format!("/v/{id}.jwt"));
        assert_eq!(jwt.status, 200);
        let file = write(&env, &format!("{id}.jwt"), &jwt.text());
        (server.url(&format!("/v/{id}.jwt")), file)
    };
    let (eddsa_url, eddsa_file) = claimed_jwt(ANA);
    env.ok(&["keys", "rotate", "--alg", "es256"]);
    let keys = env.json(&["keys", "show"]);
    assert_eq!(keys["keys"][0]["alg"], "es256", "{keys:#}");
    assert_eq!(keys["keys"][0]["jwk"]["crv"], "P-256");
    let (es256_url, es256_file) = claimed_jwt(BJORN);
    let validator = schema("achievementcredential.schema.json");
    for (url, file, alg, kty) in [
        (&eddsa_url, &eddsa_file, "EdDSA", "OKP"),
        (&es256_url, &es256_file, "ES256", "EC"),
    ] {
        let (header, claims, _) = parts(&std::fs::read_to_string(file).unwrap());
        assert_eq!(header["alg"], alg);
        let kid = header["kid"].as_str().unwrap();
        assert!(kid.starts_with(&server.url("/issuer/jwk/")), "{kid}");
        assert_schema_valid(&validator, &claims);
        assert!(claims.get("sub").is_none());
        // certstat itself, and with nothing but the published JWKS from another database.
        assert_eq!(verify(&env, file, &[], None).0, 0);
        let stranger = Env::new();
        let (code, v) = verify(
            &stranger,
            file,
            &["--jwks", &server.url("/issuer/jwks.json")],
            None,
        );
        assert_eq!((code, v["key"].as_str()), (0, Some("jwks")), "{v:#}");
        if have_pyjwt() {
            let report = pyjwt(&server.url("/issuer/jwks.json"), file).unwrap();
            assert_eq!(report["alg"], alg);
        }
        let Some(report) = jose(url) else { continue };
        let report = report.unwrap();
        assert_eq!(report["alg"], alg);
        assert_eq!(report["kid"], kid);
        assert_eq!(report["jwk"]["kty"], kty);
        assert_eq!(report["payload"], claims);
        // A changed payload under the same signature fails jose's check.
        let (h, mut c, sig) = parts(&std::fs::read_to_string(file).unwrap());
        c["credentialSubject"]["name"] = json!("Mallory");
        let forged = format!(
            "{}.{}.{sig}",
            URL_SAFE_NO_PAD.encode(h.to_string()),
            URL_SAFE_NO_PAD.encode(c.to_string())
        );
        let forged_file = write(&env, "forged.jwt", &forged);
        let err = jose(forged_file.to_str().unwrap()).unwrap().unwrap_err();
        assert!(err.contains("signature"), "{err}");
    }
}
