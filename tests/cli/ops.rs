//! Operator-facing configuration checks, end to end through the binary.

use crate::common::Env;

#[test]
fn smtp_port_zero_is_a_config_error_naming_key_and_line() {
    for (port_line, text) in [
        (
            "line 6",
            "[sender]\nfrom = \"a@example.org\"\n\n[smtp]\nhost = \"127.0.0.1\"\nport = 0\n",
        ),
        (
            "line 3",
            "[smtp]\nhost = \"127.0.0.1\"\nport   =   0\n\n[sender]\nfrom = \"a@example.org\"\n",
        ),
    ] {
        let env = Env::new();
        env.write_config(text);
        let err = env.fails(&["cert", "list"]);
        assert!(err.contains(port_line), "{err}");
        assert!(err.contains("port"), "{err}");
        assert!(err.contains("1-65535"), "{err}");
    }
}

#[test]
fn impossible_smtp_ports_are_config_errors_with_their_line() {
    for port in ["65536", "-1", "99999999999999999999", "\"25\""] {
        let env = Env::new();
        env.write_config(&format!(
            "[sender]\nfrom = \"a@example.org\"\n\n[smtp]\nhost = \"h\"\nport = {port}\n"
        ));
        let err = env.fails(&["cert", "list"]);
        assert!(err.contains("line 6"), "port {port}: {err}");
    }
}

#[test]
fn smtp_without_sender_from_is_refused() {
    for text in [
        "[smtp]\nhost = \"127.0.0.1\"\nport = 25\n",
        "[sender]\nreply_to = \"r@example.org\"\n\n[smtp]\nhost = \"127.0.0.1\"\n",
        "[sender]\nfrom = \"  \"\n\n[smtp]\nhost = \"127.0.0.1\"\n",
    ] {
        let env = Env::new();
        env.write_config(text);
        let err = env.fails(&["cert", "list"]);
        assert!(err.contains("[sender] from"), "{err}");
        assert!(err.contains("[smtp]"), "{err}");
    }
    // The same [smtp] with a sender is accepted.
    let env = Env::new();
    env.write_config(
        "[sender]\nfrom = \"a@example.org\"\n\n[smtp]\nhost = \"127.0.0.1\"\nport = 25\n",
    );
    env.ok(&["cert", "list"]);
}
