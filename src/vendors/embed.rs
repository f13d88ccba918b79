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

/// The facts of one embed provider the gate needs. What only the parts
/// need (cookies, hosts, purposes) is in functions of the kind, so that
/// their text stays out of the gate's wasm.
#[derive(Debug)]
pub struct Embed {
    pub kind: &'static str,
    pub name: &'static str,
    pub what: EmbedKind,
    pub privacy_url: &'static str,
}

pub static YOUTUBE: Embed = Embed {
    kind: "youtube",
    name: "YouTube",
    what: EmbedKind::Video,
    privacy_url: "https://policies.google.com/privacy",
};

pub static VIMEO: Embed =
    Embed { kind: "vimeo", name: "Vimeo", what: EmbedKind::Video, privacy_url: "https://vimeo.com/privacy" };

pub static GOOGLE_MAPS: Embed = Embed {
    kind: "google-maps",
    name: "Google Maps",
    what: EmbedKind::Map,
    privacy_url: "https://policies.google.com/privacy",
};

impl Embed {
    /// The cookies the provider sets on its own domain once an embed loads
    /// (https://policies.google.com/technologies/cookies, https://vimeo.com/cookie_policy).
    pub fn cookies(&self) -> &'static [&'static str] {
        match self.kind {
            "youtube" => &["YSC", "VISITOR_INFO1_LIVE", "VISITOR_PRIVACY_METADATA", "PREF", "GPS"],
            "vimeo" => &["vuid", "player", "__cf_bm"],
            _ => &["NID", "AEC", "SOCS"],
        }
    }

    /// The domain those cookies are set on, as the declaration names it.
    pub fn domain(&self) -> &'static str {
        match self.kind {
            "youtube" => "youtube.com",
            "vimeo" => "vimeo.com",
            _ => "google.com",
        }
    }

    /// The hosts an embed's `data-src` may point at, and the path it must
    /// start with there.
    pub fn hosts(&self) -> &'static [(&'static str, &'static str)] {
        match self.kind {
            "youtube" => &[
                ("www.youtube.com", "/embed/"),
                ("youtube.com", "/embed/"),
                ("www.youtube-nocookie.com", "/embed/"),
                ("youtube-nocookie.com", "/embed/"),
            ],
            "vimeo" => &[("player.vimeo.com", "/video/")],
            _ => &[("www.google.com", "/maps/embed"), ("maps.google.com", "/maps/embed")],
        }
    }

    /// The built-in purpose in `lang` (lv, ru, else English).
    pub fn purpose(&self, lang: &str) -> &'static str {
        match (self.kind, lang) {
            ("youtube", "lv") => {
                "Iegulti YouTube video: video atskaņošana un YouTube skatīšanās statistika un reklāmas."
            }
            ("youtube", "ru") => {
                "Встроенные видео YouTube: воспроизведение видео, статистика просмотров и реклама YouTube."
            }
            ("youtube", _) => "Embedded YouTube videos: playing the video, and YouTube's viewing statistics and ads.",
            ("vimeo", "lv") => "Iegulti Vimeo video: video atskaņošana un Vimeo skatīšanās statistika.",
            ("vimeo", "ru") => "Встроенные видео Vimeo: воспроизведение видео и статистика просмотров Vimeo.",
            ("vimeo", _) => "Embedded Vimeo videos: playing the video, and Vimeo's viewing statistics.",
            (_, "lv") => "Iegulta Google Maps karte: kartes rādīšana un Google iestatījumi un reklāmas.",
            (_, "ru") => "Встроенная карта Google Maps: показ карты, настройки и реклама Google.",
            _ => "Embedded Google Maps: showing the map, and Google's preferences and ads.",
        }
    }
}

/// Every embed provider.
pub static ALL: [&Embed; 3] = [&YOUTUBE, &VIMEO, &GOOGLE_MAPS];

/// The provider of `kind`, if it is an embed type.
pub fn embed(kind: &str) -> Option<&'static Embed> {
    ALL.iter().copied().find(|e| e.kind == kind)
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
        let (host, path) = split_host(rest);
        self.hosts().iter().any(|(h, p)| host.eq_ignore_ascii_case(h) && path.starts_with(p))
    }
}

/// The address an embed loads from: `src` itself, or for YouTube with
/// `noCookie` the same path on www.youtube-nocookie.com.
pub fn load_address(embed: &Embed, no_cookie: bool, src: &str) -> String {
    let src = src.trim();
    if no_cookie && embed.kind == YOUTUBE.kind {
        if let Some(rest) = src.strip_prefix("https://") {
            let mut address = String::from("https://www.youtube-nocookie.com");
            address.push_str(split_host(rest).1);
            return address;
        }
    }
    src.to_owned()
}

/// An address after its scheme, split where its host ends (at `/`, `?`
/// or `#`). A byte loop: a search for any of several characters would
/// bring its own code into the wasm.
fn split_host(rest: &str) -> (&str, &str) {
    let mut end = rest.len();
    for (i, b) in rest.bytes().enumerate() {
        if matches!(b, b'/' | b'?' | b'#') {
            end = i;
            break;
        }
    }
    // `end` is at an ASCII byte or the end: a character boundary.
    (rest.get(..end).unwrap_or_default(), rest.get(end..).unwrap_or_default())
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
