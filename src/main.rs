use clap::Parser;

fn main() -> std::process::ExitCode {
    opsbook::cli::run(opsbook::cli::Cli::parse())
}
