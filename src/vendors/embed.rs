//! Click-to-load embeds: YouTube, Vimeo and Google Maps (issue 19). They
//! have no loader: nothing loads for them until an embed on the page is
//! clicked or the vendor is granted, and then only that embed's iframe. Their
//! cookies are set by the provider on its own domain (third party), so the
//! library can neither cap nor delete them; it names them, with the declared
//! lifetime, on the placeholder and in the declaration.
//!
//! The category defaults to marketing for all three: YouTube's and Vimeo's
//! player cookies (VISITOR_INFO1_LIVE, vuid) identify the visitor's browser
//! across sites, and Google's NID stores ad preferences. A site may say
//! otherwise with `category`.

use super::{refused, CookieName, FieldProblem, SetupContext, Vendor, VendorType};
use crate::core::category::Category;
use crate::core::json::{Object, Value};
use crate::core::plan::{Call, Script};

/// What a placeholder loads: a video or a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbedKind {
    Video,
    Map,
}

/// The facts of one embed provider.
#[derive(Debug)]
pub struct Embed {
    pub kind: &'static str,
    pub name: &'static str,
    pub what: EmbedKind,
    pub privacy_url: &'static str,
    /// The cookies the provider sets on its own domain once an embed loads.
    pub cookies: &'static [&'static str],
    /// That domain, as the declaration names it.
    pub domain: &'static str,
    /// The hosts an embed's `data-src` may point at, and the path it must
    /// start with there.
    pub hosts: &'static [(&'static str, &'static str)],
    /// The built-in purpose, in lv, ru and en.
    pub purpose: [&'static str; 3],
}

pub static YOUTUBE: Embed = Embed {
    kind: "youtube",
    name: "YouTube",
    what: EmbedKind::Video,
    privacy_url: "https://policies.google.com/privacy",
    // https://policies.google.com/technologies/cookies
    cookies: &["YSC", "VISITOR_INFO1_LIVE", "VISITOR_PRIVACY_METADATA", "PREF"],
    domain: "youtube.com",
    hosts: &[
        ("www.youtube.com", "/embed/"),
        ("youtube.com", "/embed/"),
        ("www.youtube-nocookie.com", "/embed/"),
        ("youtube-nocookie.com", "/embed/"),
    ],
    purpose: [
        "Iegulti YouTube video: video atskaņošana un YouTube skatīšanās statistika un reklāmas.",
        "Встроенные видео YouTube: воспроизведение видео, статистика просмотров и реклама YouTube.",
        "Embedded YouTube videos: playing the video, and YouTube's viewing statistics and ads.",
    ],
};

pub static VIMEO: Embed = Embed {
    kind: "vimeo",
    name: "Vimeo",
    what: EmbedKind::Video,
    privacy_url: "https://vimeo.com/privacy",
    // https://vimeo.com/cookie_policy
    cookies: &["vuid", "player", "__cf_bm"],
    domain: "vimeo.com",
    hosts: &[("player.vimeo.com", "/video/")],
    purpose: [
        "Iegulti Vimeo video: video atskaņošana un Vimeo skatīšanās statistika.",
        "Встроенные видео Vimeo: воспроизведение видео и статистика просмотров Vimeo.",
        "Embedded Vimeo videos: playing the video, and Vimeo's viewing statistics.",
    ],
};

pub static GOOGLE_MAPS: Embed = Embed {
    kind: "google-maps",
    name: "Google Maps",
    what: EmbedKind::Map,
    privacy_url: "https://policies.google.com/privacy",
    // https://policies.google.com/technologies/cookies
    cookies: &["NID", "AEC", "SOCS"],
    domain: "google.com",
    hosts: &[("www.google.com", "/maps/embed"), ("maps.google.com", "/maps/embed")],
    purpose: [
        "Iegulta Google Maps karte: kartes rādīšana un Google iestatījumi un reklāmas.",
        "Встроенная карта Google Maps: показ карты, настройки и реклама Google.",
        "Embedded Google Maps: showing the map, and Google's preferences and ads.",
    ],
};

/// Every embed provider.
pub static ALL: [&Embed; 3] = [&YOUTUBE, &VIMEO, &GOOGLE_MAPS];

/// The provider of `kind`, if it is an embed type.
pub fn embed(kind: &str) -> Option<&'static Embed> {
    ALL.iter().copied().find(|e| e.kind == kind)
}

impl Embed {
    /// The built-in purpose in `lang` (lv, ru, else English).
    pub fn purpose(&self, lang: &str) -> &'static str {
        match lang {
            "lv" => self.purpose[0],
            "ru" => self.purpose[1],
            _ => self.purpose[2],
        }
    }
}

/// The youtube type's one optional field.
pub const NO_COOKIE: &str = "noCookie";

impl Embed {
    /// Builds the vendor; only `youtube` takes a field (`noCookie`).
    fn build<P: FieldProblem>(&'static self, mut fields: Object) -> Result<Box<dyn Vendor>, P> {
        let no_cookie = match fields.remove(NO_COOKIE) {
            Some(Value::Bool(on)) if self.kind == YOUTUBE.kind => on,
            Some(_) if self.kind == YOUTUBE.kind => {
                return Err(refused(NO_COOKIE, || "`noCookie` must be true or false, without quotes".to_owned()))
            }
            _ => false,
        };
        if let Some(other) = fields.keys().next() {
            let kind = self.kind;
            return Err(refused(other, || {
                format!("unknown field `{other}`; the {kind} type takes no field of its own")
            }));
        }
        Ok(Box::new(Configured { embed: self, no_cookie }))
    }

    /// Whether `src` points at this provider's embed: https, one of its
    /// hosts and the embed path there. Read by hand, without a URL parser.
    pub fn accepts(&self, src: &str) -> bool {
        let Some(rest) = src.trim().strip_prefix("https://") else { return false };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (Some(host), Some(path)) = (rest.get(..end), rest.get(end..)) else { return false };
        self.hosts.iter().any(|(h, p)| host.eq_ignore_ascii_case(h) && path.starts_with(p))
    }
}

/// The address an embed loads from: `src` itself, or for YouTube with
/// `noCookie` the same path on www.youtube-nocookie.com.
pub fn load_address(embed: &Embed, no_cookie: bool, src: &str) -> String {
    let src = src.trim();
    if no_cookie && embed.kind == YOUTUBE.kind {
        if let Some(rest) = src.strip_prefix("https://") {
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            if let Some(path) = rest.get(end..) {
                return format!("https://www.youtube-nocookie.com{path}");
            }
        }
    }
    src.to_owned()
}

/// One configured embed vendor.
#[derive(Debug)]
pub struct Configured {
    pub embed: &'static Embed,
    pub no_cookie: bool,
}

impl Vendor for Configured {
    fn kind(&self) -> &'static str {
        self.embed.kind
    }
    fn display_name(&self) -> String {
        self.embed.name.to_owned()
    }
    fn id(&self) -> &str {
        // One entry per provider: a second is "listed twice".
        ""
    }
    fn default_category(&self) -> Option<Category> {
        Some(Category::Marketing)
    }
    fn default_privacy_url(&self) -> Option<&'static str> {
        Some(self.embed.privacy_url)
    }
    fn setup_calls(&self, _ctx: SetupContext) -> Vec<Call> {
        Vec::new()
    }
    fn script(&self) -> Option<Script> {
        None
    }
    fn cookies(&self) -> Vec<CookieName> {
        // Third party only: nothing on the site's domain to cap or delete.
        Vec::new()
    }
    fn embed(&self) -> Option<(&'static Embed, bool)> {
        Some((self.embed, self.no_cookie))
    }
}

pub const fn youtube<P: FieldProblem>() -> VendorType<P> {
    VendorType { kind: "youtube", fields: &[NO_COOKIE], build: |fields| YOUTUBE.build(fields) }
}

pub const fn vimeo<P: FieldProblem>() -> VendorType<P> {
    VendorType { kind: "vimeo", fields: &[], build: |fields| VIMEO.build(fields) }
}

pub const fn google_maps<P: FieldProblem>() -> VendorType<P> {
    VendorType { kind: "google-maps", fields: &[], build: |fields| GOOGLE_MAPS.build(fields) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_embed_address_must_be_the_provider_s() {
        assert!(YOUTUBE.accepts("https://www.youtube.com/embed/dQw4w9WgXcQ"));
        assert!(YOUTUBE.accepts("https://www.youtube-nocookie.com/embed/x?start=3"));
        assert!(!YOUTUBE.accepts("http://www.youtube.com/embed/x"));
        assert!(!YOUTUBE.accepts("https://www.youtube.com.evil.test/embed/x"));
        assert!(!YOUTUBE.accepts("https://evil.test/www.youtube.com/embed/x"));
        assert!(!YOUTUBE.accepts("https://www.youtube.com/watch?v=x"));
        assert!(!YOUTUBE.accepts("https://user@www.youtube.com/embed/x"));
        assert!(VIMEO.accepts("https://player.vimeo.com/video/76979871"));
        assert!(!VIMEO.accepts("https://www.youtube.com/embed/x"));
        assert!(GOOGLE_MAPS.accepts("https://www.google.com/maps/embed?pb=!1m18"));
        assert!(!GOOGLE_MAPS.accepts("https://www.google.com/search?q=x"));
    }

    #[test]
    fn no_cookie_moves_a_youtube_embed_to_youtube_nocookie() {
        assert_eq!(
            load_address(&YOUTUBE, true, "https://www.youtube.com/embed/abc?rel=0"),
            "https://www.youtube-nocookie.com/embed/abc?rel=0"
        );
        assert_eq!(
            load_address(&YOUTUBE, false, "https://www.youtube.com/embed/abc"),
            "https://www.youtube.com/embed/abc"
        );
        assert_eq!(load_address(&VIMEO, true, "https://player.vimeo.com/video/1"), "https://player.vimeo.com/video/1");
    }
}
