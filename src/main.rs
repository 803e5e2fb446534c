//! The `quotecheck` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    quotecheck::cli::main()
}
