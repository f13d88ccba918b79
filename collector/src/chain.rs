//! The hash chain: each stored receipt carries
//! `hash = SHA-256(prev_hash || canonical bytes)`, hex, so editing, removing
//! or reordering a row breaks every hash after it.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first receipt of a chain that was never purged.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub fn sha256_hex(bytes: &[u8]) -> String {
    consent_gate::core::fingerprint::hex(&Sha256::digest(bytes))
}

pub fn link(prev_hash: &str, canonical: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(canonical);
    consent_gate::core::fingerprint::hex(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_depends_on_both_parts() {
        let a = link(GENESIS, b"x");
        assert_eq!(a.len(), 64);
        assert_ne!(a, link(GENESIS, b"y"));
        assert_ne!(a, link(&a, b"x"));
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
