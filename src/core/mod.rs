//! The pure core: everything here is plain data and functions of it.

pub mod category;
pub mod config;
pub mod decide;
pub mod fingerprint;
pub mod i18n;
pub mod jar;
pub mod lifetime;
pub mod markup;
pub mod plan;
pub mod record;
