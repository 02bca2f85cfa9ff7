//! The core's integration tests, in one binary: one link per build instead of
//! one per file, which matters most under mutation testing (every mutant
//! rebuilds every test binary; see `scripts/mutants.sh`). Each module is one
//! former test file. The fault matrix stays in its own binary
//! (`core/tests/fault_matrix.rs`): it sets process environment variables.

#[path = "../support/mod.rs"]
mod support;

mod client_loopback;
mod fixtures;
mod properties;
mod robustness;
mod schema_coverage;
mod tolerant;
mod transport;
mod vectors;
