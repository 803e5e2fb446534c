//! The `quotecheck` binary: everything lives in the library.

/// A run allocates and frees many small records per article on every
/// thread; mimalloc does that with 0.84× of the CPU time glibc's malloc
/// takes (docs/performance.md). The library leaves the choice to its users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    quotecheck::cli::main()
}
