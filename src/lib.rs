//! consent-gate: a cookie consent banner and tag gate.
//!
//! The crate is split the way the work is split:
//! - [`core`] decides: config, consent record, lifetimes and the plan of what to
//!   do. Pure Rust, no browser types, tested natively.
//! - [`vendors`] knows each tag: its ids, loader, set-up calls and cookies.
//! - `web` (wasm only) acts: DOM, storage and script loading, running the
//!   plan the core hands it.

// A size rule of bench/SIZE.md, enforced: slicing a `str` by index brings
// its panic path (the string escaper and the Unicode tables) into the wasm.
#![deny(clippy::string_slice)]

pub mod core;
pub mod vendors;

#[cfg(target_arch = "wasm32")]
pub mod web;

/// Talc instead of dlmalloc: smaller in the wasm and faster (see Cargo.toml).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
