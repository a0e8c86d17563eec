use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = certstat::cli::Cli::parse_args();
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
            ExitCode::FAILURE
        }
    }
}
