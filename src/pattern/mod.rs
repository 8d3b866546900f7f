//! The .NET regular-expression dialect Lync's rules and routes are
//! written in, as an engine of its own: compiling and matching patterns
//! (`netregex`, with the `fastmatch` matcher for the usual shape and one
//! DFA over a route list in `patternset`, a list's patterns indexed by
//! the prefixes their inputs must start with in `prefixindex`), the matching limit and what
//! happens at it (`limit`), and patterns as automata for the checks that
//! reason about every number at once (`language`, `matchsets`,
//! `shadow`). It knows nothing of the network model; `model/` uses it.

pub mod fastmatch;
pub mod language;
pub mod limit;
pub(crate) mod matchsets;
pub mod netregex;
pub mod patternset;
pub mod prefixindex;
pub(crate) mod shadow;
