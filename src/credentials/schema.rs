//! The published Open Badges 3.0 JSON Schemas (copied unmodified into
//! `tests/fixtures/openbadges3/`, source noted there), compiled once.

use std::sync::OnceLock;

use serde_json::Value;

const CREDENTIAL: &str =
    include_str!("../../tests/fixtures/openbadges3/achievementcredential.schema.json");
const PROFILE: &str = include_str!("../../tests/fixtures/openbadges3/profile.schema.json");

fn compile(text: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(text).expect("the bundled schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the bundled schema compiles")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| {
            let path = e.instance_path().to_string();
            let path = if path.is_empty() {
                "/".to_owned()
            } else {
                path
            };
            format!("at {path}: {e}")
        })
        .collect()
}

/// Why `credential` does not match the OpenBadgeCredential (AchievementCredential) schema.
pub fn credential_errors(credential: &Value) -> Vec<String> {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    errors(V.get_or_init(|| compile(CREDENTIAL)), credential)
}

/// Why `profile` does not match the Profile schema.
pub fn profile_errors(profile: &Value) -> Vec<String> {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    errors(V.get_or_init(|| compile(PROFILE)), profile)
}
