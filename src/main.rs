use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = certstat::cli::Cli::parse_args();
    let db = certstat::paths::database(cli.global.db.as_deref()).ok();
    match certstat::run(cli) {
        Ok(code) => code,
        Err(err) => {
            if certstat::error::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            if let Some(code) = certstat::signal::exit_code(&err) {
                eprintln!("certstat: {err:#}");
                return ExitCode::from(code);
            }
            eprintln!("certstat: error: {err:#}");
            if let Some(hint) = db.and_then(|db| certstat::diagnose::hint(&err, &db)) {
                eprintln!("certstat: {hint}");
            }
            ExitCode::FAILURE
        }
    }
}
