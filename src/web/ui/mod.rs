//! The visible parts: the consent bar.

pub mod bar;
