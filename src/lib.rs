//! consent-gate: a cookie consent banner and tag gate.
//!
//! The crate is split the way the work is split:
//! - [`core`] decides: config, consent record, lifetimes and the plan of what to
//!   do. Pure Rust, no browser types, tested natively.
//! - [`vendors`] knows each tag: its ids, loader, set-up calls and cookies.
//! - `web` (wasm only) acts: DOM, storage and script loading, running the
//!   plan the core hands it.

pub mod core;
pub mod vendors;

#[cfg(target_arch = "wasm32")]
pub mod web;
