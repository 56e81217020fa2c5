//! The HTTP core, framework-free: [`serve()`](crate::serve()) answers one
//! request from the `http` crate's types, with the header parsers it uses
//! (`Accept-Encoding`, preconditions, `Range`), the `Date` cache, the body
//! and the options that shape a response.

pub(crate) mod body;
pub(crate) mod conditional;
pub(crate) mod date;
pub(crate) mod negotiate;
pub(crate) mod options;
pub(crate) mod range;
pub(crate) mod serve;
