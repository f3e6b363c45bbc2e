//! The `coachlint` command line as a library, so that the integration tests and
//! the throughput benchmark drive exactly the code the binary runs.
//!
//! [`cmd`] holds one module per subcommand; [`output`] turns analyses into
//! human, JSON, SARIF or GitHub output. Everything about transcripts themselves
//! lives in `coachlint-core`.

pub mod cmd;
pub mod output;
