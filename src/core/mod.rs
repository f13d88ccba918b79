//! The pure core: everything here is plain data and functions of it.

pub mod category;
pub mod choice;
pub mod config;
pub mod decide;
pub mod declaration;
pub mod fingerprint;
pub mod i18n;
pub mod jar;
pub mod json;
pub mod json_spans;
pub mod lifetime;
pub mod markup;
pub mod own_names;
pub mod plan;
pub mod receipt;
pub mod record;
#[cfg(not(target_arch = "wasm32"))]
pub mod schema;
pub mod suggest;
