//! Passwords never stored: from an environment variable, else from a command's output.

use anyhow::{Context, Result, anyhow, bail};

/// The password in `env_var` when set and not empty; else the first line that `command` prints
/// (run by `sh -c`, stdin closed, stderr shown: `pass show smtp` prints the password first and
/// metadata after it); None when neither is configured. `key` names the setting in errors.
pub fn from_env_or_command(
    env_var: &str,
    command: Option<&str>,
    key: &str,
) -> Result<Option<String>> {
    if let Ok(p) = std::env::var(env_var)
        && !p.is_empty()
    {
        return Ok(Some(p));
    }
    let Some(command) = command else {
        return Ok(None);
    };
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run {key} `{command}`"))?;
    if !out.status.success() {
        bail!("{key} `{command}` failed ({})", out.status);
    }
    let text = String::from_utf8(out.stdout)
        .map_err(|_| anyhow!("{key} `{command}` printed something that is not UTF-8"))?;
    let first = text.lines().next().unwrap_or("");
    if first.is_empty() {
        bail!("{key} `{command}` printed no password on its first line");
    }
    Ok(Some(first.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_of_the_command_is_the_password() {
        let var = "CERTSTAT_TEST_UNSET_PASSWORD_VARIABLE";
        let got = from_env_or_command(var, Some("printf 's3cr3t\\r\\nurl: x\\n'"), "k").unwrap();
        assert_eq!(got.as_deref(), Some("s3cr3t"));
        assert_eq!(from_env_or_command(var, None, "k").unwrap(), None);
        for bad in ["exit 3", "printf '\\nlater'", "true"] {
            let err = from_env_or_command(var, Some(bad), "[smtp] password_command").unwrap_err();
            assert!(
                err.to_string().contains("[smtp] password_command"),
                "{bad}: {err}"
            );
        }
    }
}
