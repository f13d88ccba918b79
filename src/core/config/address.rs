//! Web addresses and domain names as browsers read them: the checker
//! refuses an address that would take a visitor somewhere other than where
//! a person reading it expects.

use crate::core::json;

pub(super) const HTTP_SCHEMES: &[&str] = &["https://", "http://"];

/// Why a browser would not take an address where a person reading it expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressProblem {
    /// Not one of the schemes asked for (each caller words this one).
    OtherScheme,
    NoHost,
    /// `https://www.example.com@evil.test/` goes to evil.test.
    UserInfo,
    Space,
    /// Browsers read `\` as `/`: `/\evil.test/` is another site.
    Backslash,
    /// Browsers drop tabs and line breaks: `/<tab>/evil.test` is another site.
    Control,
}

impl AddressProblem {
    /// What is wrong and how to fix it, after the address in quotes.
    pub fn explain(self) -> &'static str {
        match self {
            AddressProblem::OtherScheme => "is not an http(s) address; copy the address starting with https://",
            AddressProblem::NoHost => {
                "has no valid host name after the //; copy the whole address, host name included, like https://www.example.com/page"
            }
            AddressProblem::UserInfo => {
                "has an '@' before the host name, so browsers would go to the host after the '@'; remove the part up to and including the '@'"
            }
            AddressProblem::Space => "contains a space, tab or line break; remove it (a space inside an address is written %20)",
            AddressProblem::Backslash => "contains a backslash (\\), which browsers read as /; write / instead",
            AddressProblem::Control => "contains an invisible control character; retype the address",
        }
    }
}

/// `text` for a message, each control character written as in JSON (a tab
/// as `\t`, others as `\u0001`): invisible otherwise, or breaking the line.
pub fn visible(text: &str) -> String {
    let mut shown = String::new();
    for c in text.chars() {
        if c.is_control() {
            let mut escaped = String::new();
            json::write_string(&mut escaped, c.encode_utf8(&mut [0; 4]));
            shown.push_str(escaped.trim_matches('"'));
        } else {
            shown.push(c);
        }
    }
    shown
}

/// What is wrong with an absolute address starting with one of `schemes`:
/// it needs a real host (a domain name, maybe with a port; no user name
/// before an '@') and no character a browser reads otherwise.
pub fn web_address_problem(url: &str, schemes: &[&str]) -> Option<AddressProblem> {
    let Some(rest) = schemes.iter().find_map(|scheme| url.strip_prefix(scheme)) else {
        return Some(AddressProblem::OtherScheme);
    };
    if let Some(problem) = character_problem(url) {
        return Some(problem);
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Some(AddressProblem::UserInfo);
    }
    (!is_host_and_port(authority)).then_some(AddressProblem::NoHost)
}

/// What is wrong with a path on this site, like `/cookie-policy.html`.
pub(super) fn site_path_problem(path: &str) -> Option<AddressProblem> {
    if !path.starts_with('/') || path.starts_with("//") {
        return Some(AddressProblem::OtherScheme);
    }
    character_problem(path)
}

pub(super) fn character_problem(text: &str) -> Option<AddressProblem> {
    text.chars().find_map(|c| match c {
        '\\' => Some(AddressProblem::Backslash),
        c if c.is_whitespace() => Some(AddressProblem::Space),
        c if c.is_control() => Some(AddressProblem::Control),
        _ => None,
    })
}

/// A domain name with an optional port, like `www.example.com:8443`.
pub(super) fn is_host_and_port(authority: &str) -> bool {
    let (host, port) = authority.split_once(':').unwrap_or((authority, "0"));
    let port_is_number = (1..=5).contains(&port.len()) && port.bytes().all(|b| b.is_ascii_digit());
    port_is_number && is_domain_name(host, true)
}

/// Dot-separated labels of letters, digits and '-' (at least two labels).
/// `any_letters`: letters beyond ASCII too, as in an address a browser
/// converts; a cookie's domain must already be in its ASCII (xn--) form.
pub fn is_domain_name(host: &str, any_letters: bool) -> bool {
    let is_label = |label: &str| {
        (1..=63).contains(&label.len())
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || (any_letters && !c.is_ascii()))
    };
    host.len() <= 253 && host.contains('.') && host.split('.').all(is_label)
}

/// An absolute http(s) address a browser opens where it seems to.
pub fn is_http_url(url: &str) -> bool {
    web_address_problem(url, HTTP_SCHEMES).is_none()
}
