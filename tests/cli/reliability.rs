//! Hostile and clumsy input: quoting mistakes, runaway templates, terminal escapes, odd
//! addresses, standard input and FIFOs, signals, and a full disk.

use crate::common::Env;

fn env_with_cert() -> Env {
    let env = Env::new();
    env.ok(&["cert", "create", "Rust"]);
    env
}

/// Write `text` to a file in the test's directory and return its path.
fn write(env: &Env, name: &str, text: &str) -> String {
    let path = env.path(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// `recipients import` of `text` fails with exit 1 and imports nothing; returns stderr.
fn import_refused(env: &Env, text: &str) -> String {
    let path = write(env, "in.csv", text);
    let err = env.fails(&["recipients", "import", "Rust", &path]);
    assert!(env.recipients("Rust").is_empty(), "nothing imported: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn an_unclosed_quote_anywhere_names_its_line_and_imports_nothing() {
    let env = env_with_cert();
    let cases: &[(&str, &str)] = &[
        // In the name: the rows after it would become part of Ana's name.
        (
            "email,name\na@x.org,\"Ana\nb@x.org,Bo\nc@x.org,Cy\nd@x.org,Di\n",
            "in.csv:2:",
        ),
        // In another field: the case that used to add 2 of 4 with exit 0.
        (
            "email,city,name\na@x.org,Porto,Ana\nb@x.org,\"Lisboa,Bo\nc@x.org,Faro,Cy\nd@x.org,Braga,Di\n",
            "in.csv:3:",
        ),
        // On the last line, without a newline at the end.
        ("email,name\na@x.org,Ana\nb@x.org,\"Bo", "in.csv:3:"),
        // In the address itself, Windows line endings.
        (
            "email,name\r\na@x.org,Ana\r\n\"b@x.org,Bo\r\nc@x.org,Cy\r\n",
            "in.csv:3:",
        ),
    ];
    for (text, line) in cases {
        let err = import_refused(&env, text);
        assert!(err.contains(line), "expected {line} in: {err}");
        assert!(err.contains("never closed"), "{err}");
        assert!(err.contains("add the closing quote"), "{err}");
    }
}

#[test]
fn stray_quotes_inside_values_are_refused_with_the_fix() {
    let env = env_with_cert();
    // A quote inside an unquoted value, and an undoubled quote inside a quoted one.
    let err = import_refused(&env, "email,name\na@x.org,Ana\nb@x.org,Bo \"the\" Smith\n");
    assert!(err.contains("in.csv:3:"), "{err}");
    assert!(err.contains("double the quote"), "{err}");
    let err = import_refused(&env, "email;name\na@x.org;\"Ana \"Bo\" Silva\"\n");
    assert!(err.contains("in.csv:2:"), "{err}");
    assert!(err.contains("after its closing quote"), "{err}");
    // Doubled quotes, quoted delimiters and newlines are fine.
    let path = write(
        &env,
        "good.csv",
        "email,name,notes\na@x.org,\"Ana \"\"Bo\"\" Silva\",\"one, two\nthree\"\n",
    );
    env.ok(&["recipients", "import", "Rust", &path]);
    let r = env.recipients("Rust");
    assert_eq!(r[0]["name"], "Ana \"Bo\" Silva");
    assert_eq!(r[0]["fields"]["notes"], "one, two\nthree");
}

#[test]
fn runaway_templates_stop_with_a_clear_error_and_range_works_everywhere() {
    let env = env_with_cert();
    let runaway = write(
        &env,
        "runaway.txt",
        "{% for a in range(10000) %}{% for b in range(10000) %}{{ recipient.name }}{% endfor %}{% endfor %}",
    );
    for args in [
        vec!["cert", "create", "Other", "--body", &runaway],
        vec!["cert", "edit", "Rust", "--body", &runaway],
    ] {
        let err = env.fails(&args);
        assert!(err.contains("plain-text body template"), "{err}");
        assert!(err.contains("stopped"), "{err}");
        assert!(err.contains("make the loops smaller"), "{err}");
    }
    let huge = write(
        &env,
        "huge.html",
        "{% for a in range(9000) %}<p>{{ certificate.name * 300 }}</p>{% endfor %}",
    );
    let err = env.fails(&["cert", "edit", "Rust", "--html", &huge]);
    assert!(err.contains("HTML body template: stopped"), "{err}");
    // `range` is a function in validation, preview and send alike, not a missing column.
    let body = write(
        &env,
        "body.txt",
        "Hello {{ recipient.name }}:{% for i in range(1, 4) %} {{ i }}{% endfor %} {{ claim_url }}\n",
    );
    env.ok(&["cert", "edit", "Rust", "--body", &body]);
    let csv = write(&env, "r.csv", "email,name\nana@example.org,Ana\n");
    env.ok(&["recipients", "import", "Rust", &csv]);
    let out = env.ok(&["preview", "Rust", "ana@example.org"]);
    assert!(out.contains("Hello Ana: 1 2 3"), "{out}");
}
