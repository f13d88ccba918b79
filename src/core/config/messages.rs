//! The checker's messages in Latvian and Russian: what marketing staff read
//! when `consent-gate check --lang lv|ru` or the checker page lists the
//! problems of a consent.json.
//!
//! The rules word every problem in English (as before); the full report
//! translates each message, once it is listed, through a table per language
//! that maps each English message, as a template, to its translation
//! (gettext's way: the English text is the key). `{0}`, `{1}`, … stand for
//! what a message quotes from the file (a value, a field name), copied into
//! the translation as it is; `{0:t}` marks a part that is itself one of the
//! English phrases in the tables (like "a whole number, like 1") and is
//! translated too. A message no template matches stays in English.
//!
//! Only `Config::from_json_in` (the CLI and the diagnostics part) uses this:
//! the gate's lean check (`Config::accept_json`) writes no message at all.

/// A language the checker's messages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Lv,
    Ru,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Lv, Lang::Ru, Lang::En];

    /// The language of a code like "lv", "ru-RU" or "en"; `None` for another.
    pub fn parse(code: &str) -> Option<Lang> {
        let base = code.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        match base.as_str() {
            "en" => Some(Lang::En),
            "lv" => Some(Lang::Lv),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Lv => "lv",
            Lang::Ru => "ru",
        }
    }

    fn table(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lang::En => &[],
            Lang::Lv => LV,
            Lang::Ru => RU,
        }
    }
}

/// `message` (an English message of the checker) in `lang`; `None` when no
/// template matches it (or `lang` is English).
pub fn translate(lang: Lang, message: &str) -> Option<String> {
    translate_at(lang, message, true)
}

/// `message` in `lang`, or as it is when it has no translation.
pub fn in_lang(lang: Lang, message: &str) -> String {
    translate(lang, message).unwrap_or_else(|| message.to_owned())
}

fn translate_at(lang: Lang, message: &str, top: bool) -> Option<String> {
    for (english, translated) in lang.table() {
        // A part marked `:t` is translated only at the top: what it quotes
        // from the file is never taken for one of our phrases.
        if !top && english.contains(":t}") {
            continue;
        }
        if let Some(parts) = captures(english, message) {
            return Some(fill(lang, translated, english, &parts, top));
        }
    }
    None
}

/// What each `{n}` of `template` stands for in `message`, if it matches: the
/// text between the literal parts, each the shortest that lets the next
/// literal part follow (the last literal part ends the message). Linear in
/// the message's length per literal part.
fn captures<'m>(template: &str, message: &'m str) -> Option<Vec<(usize, &'m str)>> {
    // The end first: most templates fail there, without a scan.
    let tail = template.rsplit('}').next().unwrap_or_default();
    if template.contains('{') && !message.ends_with(tail) {
        return None;
    }
    let mut parts = Vec::new();
    let mut rest = template;
    let mut at = 0;
    while !rest.is_empty() {
        let Some(open) = placeholder_start(rest) else {
            // Literal to the end.
            return (message.get(at..)? == rest).then_some(parts);
        };
        let literal = rest.get(..open)?;
        if !message.get(at..)?.starts_with(literal) {
            return None;
        }
        at += literal.len();
        let close = open + rest.get(open..)?.find('}')?;
        let index = placeholder_index(rest.get(open + 1..close)?)?;
        rest = rest.get(close + 1..)?;
        let next_literal = rest.get(..placeholder_start(rest).unwrap_or(rest.len()))?;
        let end = if next_literal.is_empty() {
            // A placeholder at the end takes the rest; two in a row never occur.
            message.len()
        } else if placeholder_start(rest).is_none() {
            // The last literal part: it ends the message.
            message.len().checked_sub(next_literal.len()).filter(|&end| end >= at)?
        } else {
            at + message.get(at..)?.find(next_literal)?
        };
        parts.push((index, message.get(at..end)?));
        at = end;
    }
    (at == message.len()).then_some(parts)
}

/// Where the next `{n}` or `{n:t}` starts in `text` (a `{` of JSON in an
/// example, like `{"lv": …}`, is literal).
fn placeholder_start(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text.get(from..)?.find('{') {
        let open = from + found;
        let inner = text.get(open + 1..)?;
        let close = inner.find('}');
        if close.and_then(|c| inner.get(..c)).and_then(placeholder_index).is_some() {
            return Some(open);
        }
        from = open + 1;
    }
    None
}

/// The `n` of `n` or `n:t`.
fn placeholder_index(inner: &str) -> Option<usize> {
    let digits = inner.strip_suffix(":t").unwrap_or(inner);
    match digits.as_bytes() {
        [d] if d.is_ascii_digit() => Some(usize::from(d - b'0')),
        _ => None,
    }
}

/// `translated` with each `{n}` replaced by part `n` of the message.
fn fill(lang: Lang, translated: &str, english: &str, parts: &[(usize, &str)], top: bool) -> String {
    let mut out = String::new();
    let mut rest = translated;
    while let Some(open) = placeholder_start(rest) {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 1..).unwrap_or_default();
        let close = after.find('}').unwrap_or(0);
        let index = after.get(..close).and_then(placeholder_index);
        if let Some(part) = index.and_then(|i| parts.iter().find(|(n, _)| *n == i)).map(|(_, p)| *p) {
            let marked = index.is_some_and(|i| english.contains(&format!("{{{i}:t}}")));
            match marked.then(|| translate_at(lang, part, false)).flatten() {
                Some(translated_part) if top => out.push_str(&translated_part),
                _ => out.push_str(part),
            }
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// "`what` has `n` problem(s)" in `lang`.
pub fn has_problems_in(lang: Lang, what: &str, n: usize) -> String {
    let what = in_lang(lang, what);
    match lang {
        Lang::En => format!("{what} has {n} problem{}", if n == 1 { "" } else { "s" }),
        Lang::Lv => format!("{what}: {n} {}", if n % 10 == 1 && n % 100 != 11 { "kļūda" } else { "kļūdas" }),
        Lang::Ru => format!("{what}: {n} {}", russian_plural(n, "ошибка", "ошибки", "ошибок")),
    }
}

/// The Russian form for `n`: 1, 21 …; 2-4, 22-24 …; 0, 5-20, 25 ….
pub fn russian_plural<'a>(n: usize, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => one,
        (2..=4, r) if !(12..=14).contains(&r) => few,
        _ => many,
    }
}

/// "line L, column C" in `lang`.
pub fn line_column(lang: Lang, line: usize, column: usize) -> String {
    match lang {
        Lang::En => format!("line {line}, column {column}"),
        Lang::Lv => format!("{line}. rinda, {column}. zīme"),
        Lang::Ru => format!("строка {line}, символ {column}"),
    }
}

/// Latvian. Each row: the English message as the checker writes it, then its
/// translation.
const LV: &[(&str, &str)] = &[
    // The file as a whole.
    ("the file is larger than 1 MB (1000000 bytes), the most consent-gate reads; a consent.json with hundreds of vendors is well under 100 KB, so keep only the site's vendors, texts and settings in it",
     "fails ir lielāks par 1 MB (1000000 baitu), vairāk consent-gate nelasa; consent.json ar simtiem pakalpojumu sniedzēju ir krietni mazāks par 100 KB, tāpēc atstājiet tajā tikai vietnes pakalpojumu sniedzējus, tekstus un iestatījumus"),
    ("the file is empty; it must hold one JSON object, like {\"policy\": {…}, \"vendors\": […]}",
     "fails ir tukšs; tajā jābūt vienam JSON objektam, piemēram, {\"policy\": {…}, \"vendors\": […]}"),
    ("contains the character \u{FFFD}, which is left where a file was not saved as UTF-8 (or where a character was lost); save the file as UTF-8 and retype the characters here",
     "satur rakstzīmi \u{FFFD}, kas paliek tur, kur fails nav saglabāts UTF-8 kodējumā (vai kur rakstzīme pazudusi); saglabājiet failu kā UTF-8 un šeit ierakstiet rakstzīmes no jauna"),
    ("the file is saved as UTF-16 (Notepad calls it \"Unicode\"), but a consent.json must be UTF-8: in Notepad choose File > Save as, set Encoding to UTF-8 and save; in VS Code click \"UTF-16\" at the bottom right and choose Save with Encoding > UTF-8",
     "fails ir saglabāts UTF-16 kodējumā (Notepad to sauc par \"Unicode\"), bet consent.json jābūt UTF-8: programmā Notepad izvēlieties File > Save as, laukā Encoding norādiet UTF-8 un saglabājiet; VS Code apakšā pa labi noklikšķiniet uz \"UTF-16\" un izvēlieties Save with Encoding > UTF-8"),
    ("is written twice in the same place; only one can count, so remove the other",
     "šajā vietā ierakstīts divreiz; spēkā var būt tikai viens, tāpēc otru izdzēsiet"),
    ("and {0} more problems not listed; fix the ones above and check the file again",
     "un vēl {0} kļūdas, kas šeit nav uzskaitītas; izlabojiet augstāk minētās un pārbaudiet failu vēlreiz"),
    // JSON syntax.
    ("trailing comma; remove the comma after the last item",
     "lieks komats aiz pēdējā elementa; izdzēsiet šo komatu"),
    ("a comma is missing at the end of this line, between two items (or a bracket is not closed); add a comma here",
     "šīs rindas beigās starp diviem elementiem trūkst komata (vai nav aizvērta iekava); pievienojiet komatu šeit"),
    ("{0}; the file ends too early; a closing }, ] or \" is missing",
     "fails beidzas par agru; trūkst aizverošās }, ] vai \""),
    ("expected `,` or {0}; a comma is missing between two items, or a bracket is not closed",
     "trūkst komata starp diviem elementiem, vai nav aizvērta iekava"),
    ("key must be a string; field names need double quotes, like \"type\"",
     "lauka nosaukumam jābūt pēdiņās, piemēram, \"type\""),
    ("expected value; a value is missing or misspelt here; text needs double quotes, and true, false and null are lower-case",
     "šeit trūkst vērtības vai tā ir kļūdaini uzrakstīta; tekstam jābūt pēdiņās, un true, false un null raksta ar mazajiem burtiem"),
    ("control character (\\u0000-\\u001F) found while parsing a string; a line break or tab inside quotes; keep each text on one line",
     "pēdiņās ir rindas pārnesums vai tabulācija; katru tekstu rakstiet vienā rindā"),
    ("{0}; this is not valid JSON",
     "šis nav derīgs JSON ({0})"),
    ("{0} is a curly quote, as Word and Outlook write them; JSON needs straight double quotes: retype it as \" (or write the file in a plain-text editor)",
     "{0} ir izliektā pēdiņa, kādu raksta Word un Outlook; JSON vajag taisnās pēdiņas: ierakstiet to no jauna kā \" (vai rakstiet failu vienkārša teksta redaktorā)"),
    // Fields.
    ("is not a known field; did you mean \"{0}\"?", "šāda lauka nav; vai domājāt \"{0}\"?"),
    ("is not a known field; remove it (the fields here are {0})",
     "šāda lauka nav; izdzēsiet to (šeit der lauki {0})"),
    ("is missing; add it: {0:t}", "trūkst; pievienojiet to: {0}"),
    ("has an item of the wrong kind; it must be {0:t}", "satur nepareiza veida elementu; jābūt: {0}"),
    ("is {0:t}, but must be text in quotes, or one text per language, like {\"lv\": \"…\", \"en\": \"…\"}",
     "ir {0}, bet jābūt tekstam pēdiņās vai tekstam katrā valodā, piemēram, {\"lv\": \"…\", \"en\": \"…\"}"),
    ("is {0:t}, but must be one of {1}", "ir {0}, bet jābūt vienam no: {1}"),
    ("is {0:t}, but must be {1:t}", "ir {0}, bet jābūt: {1}"),
    ("{0:t} is not a lifetime; write it in quotes, like \"180 days\"",
     "{0} nav glabāšanas laiks; rakstiet to pēdiņās, piemēram, \"180 days\""),
    // What a value is.
    ("the text {0}", "teksts {0}"),
    ("the number {0}", "skaitlis {0}"),
    ("a list", "saraksts"),
    ("an object", "objekts"),
    // What a value must be.
    ("a domain in quotes, like \"example.lv\"", "domēns pēdiņās, piemēram, \"example.lv\""),
    ("a language code in quotes, like \"lv\"", "valodas kods pēdiņās, piemēram, \"lv\""),
    ("a list of language codes, like [\"lv\", \"ru\", \"en\"]", "valodu kodu saraksts, piemēram, [\"lv\", \"ru\", \"en\"]"),
    ("a list of vendors, like [{\"type\": \"ga4\", …}], or [] for none",
     "pakalpojumu sniedzēju saraksts, piemēram, [{\"type\": \"ga4\", …}], vai [], ja to nav"),
    ("a whole number of CSS pixels from 0 to 200, like 16", "vesels CSS pikseļu skaits no 0 līdz 200, piemēram, 16"),
    ("a whole number, like 1", "vesels skaitlis, piemēram, 1"),
    ("an object like {\"floatingButton\": true}", "objekts, piemēram, {\"floatingButton\": true}"),
    ("an object like {\"grant\": \"6 months\", \"refusal\": \"6 months\"}",
     "objekts, piemēram, {\"grant\": \"6 months\", \"refusal\": \"6 months\"}"),
    ("an object like {\"key\": \"consent-gate\"}", "objekts, piemēram, {\"key\": \"consent-gate\"}"),
    ("an object like {\"url\": \"/consent/receipts\"}", "objekts, piemēram, {\"url\": \"/consent/receipts\"}"),
    ("an object like {\"name\": \"consent\", \"domain\": \"example.lv\"}",
     "objekts, piemēram, {\"name\": \"consent\", \"domain\": \"example.lv\"}"),
    ("an object like {\"url\": \"/cookie-policy.html\", \"edition\": \"2024-05-01\"}",
     "objekts, piemēram, {\"url\": \"/cookie-policy.html\", \"edition\": \"2024-05-01\"}"),
    ("an object like {\"type\": \"ga4\", \"measurementId\": \"G-…\", \"lifetime\": \"180 days\"}",
     "objekts, piemēram, {\"type\": \"ga4\", \"measurementId\": \"G-…\", \"lifetime\": \"180 days\"}"),
    ("an object of texts by name, like {\"acceptAll\": \"…\"}", "tekstu objekts pēc nosaukumiem, piemēram, {\"acceptAll\": \"…\"}"),
    ("an object of texts per language, like {\"lv\": {\"acceptAll\": \"…\"}}",
     "tekstu objekts pa valodām, piemēram, {\"lv\": {\"acceptAll\": \"…\"}}"),
    ("analytics or marketing, in quotes", "analytics vai marketing pēdiņās"),
    ("one JSON object, like {\"policy\": {…}, \"vendors\": […]}", "viens JSON objekts, piemēram, {\"policy\": {…}, \"vendors\": […]}"),
    ("one of \"light\", \"dark\", \"auto\"", "viens no: \"light\", \"dark\", \"auto\""),
    ("text in quotes", "teksts pēdiņās"),
    ("text in quotes, like \"consent-gate\"", "teksts pēdiņās, piemēram, \"consent-gate\""),
    ("the address of the vendor's privacy notice, in quotes", "pakalpojuma sniedzēja privātuma paziņojuma adrese pēdiņās"),
    ("the collector's address in quotes, like \"/consent/receipts\"",
     "kvīšu savācēja adrese pēdiņās, piemēram, \"/consent/receipts\""),
    ("the cookie's name in quotes, like \"consent\"", "sīkdatnes nosaukums pēdiņās, piemēram, \"consent\""),
    ("the policy's date in quotes, like \"2024-05-01\"", "politikas datums pēdiņās, piemēram, \"2024-05-01\""),
    ("the schema's address in quotes", "shēmas adrese pēdiņās"),
    ("true or false", "true vai false"),
    // Languages and texts.
    ("lists {0} languages, but a site can be shown in at most 50; keep the languages the site is translated into",
     "uzskaitītas {0} valodas, bet vietni var rādīt ne vairāk kā 50 valodās; atstājiet tās, kurās vietne ir tulkota"),
    ("is empty; list at least one language, like [\"lv\", \"ru\", \"en\"]",
     "ir tukšs; norādiet vismaz vienu valodu, piemēram, [\"lv\", \"ru\", \"en\"]"),
    ("'{0}' is not a language code; use two lower-case letters, like \"lv\"",
     "'{0}' nav valodas kods; rakstiet divus mazos burtus, piemēram, \"lv\""),
    ("'{0}' is listed twice; remove one", "'{0}' norādīts divreiz; vienu izdzēsiet"),
    ("'{0}' is not in `languages`; add it there or pick one of {1}",
     "'{0}' nav sarakstā `languages`; pievienojiet to tur vai izvēlieties vienu no: {1}"),
    ("'{0}' is not one of the site's languages ({1}); did you mean \"{2}\"?",
     "'{0}' nav vietnes valoda ({1}); vai domājāt \"{2}\"?"),
    ("'{0}' is not one of the site's languages ({1}); add it to `languages` or remove this entry",
     "'{0}' nav vietnes valoda ({1}); pievienojiet to sarakstam `languages` vai izdzēsiet šo ierakstu"),
    ("is missing; the site is shown in '{0}', so give this text in '{1}' too",
     "trūkst; vietne tiek rādīta valodā '{0}', tāpēc norādiet šo tekstu arī valodā '{1}'"),
    ("contains '<': texts are shown as plain text, never as HTML; remove the markup",
     "satur '<': teksti tiek rādīti kā vienkāršs teksts, nekad kā HTML; izdzēsiet iezīmes"),
    ("is missing; '{0}' has no built-in texts, so every text must be given for it",
     "trūkst; valodai '{0}' nav iebūvētu tekstu, tāpēc tai jānorāda visi teksti"),
    // The policy.
    ("is missing; add {\"url\": \"/cookie-policy.html\", \"edition\": \"2024-05-01\"}",
     "trūkst; pievienojiet {\"url\": \"/cookie-policy.html\", \"edition\": \"2024-05-01\"}"),
    ("is missing; give the cookie policy's address, like \"/cookie-policy.html\"",
     "trūkst; norādiet sīkdatņu politikas adresi, piemēram, \"/cookie-policy.html\""),
    ("'{0}' is not an http(s) address or a path on this site starting with /",
     "'{0}' nav http(s) adrese vai ceļš šajā vietnē, kas sākas ar /"),
    // Addresses.
    ("'{0}' is not an http(s) address; copy the address starting with https://",
     "'{0}' nav http(s) adrese; nokopējiet adresi, kas sākas ar https://"),
    ("'{0}' has no valid host name after the //; copy the whole address, host name included, like https://www.example.com/page",
     "'{0}' aiz // nav derīga servera nosaukuma; nokopējiet visu adresi kopā ar servera nosaukumu, piemēram, https://www.example.com/page"),
    ("'{0}' has an '@' before the host name, so browsers would go to the host after the '@'; remove the part up to and including the '@'",
     "'{0}' pirms servera nosaukuma ir '@', tāpēc pārlūks dotos uz serveri aiz '@'; izdzēsiet daļu līdz '@' ieskaitot"),
    ("'{0}' contains a space, tab or line break; remove it (a space inside an address is written %20)",
     "'{0}' satur atstarpi, tabulāciju vai rindas pārnesumu; izdzēsiet to (atstarpi adresē raksta kā %20)"),
    ("'{0}' contains a backslash (\\), which browsers read as /; write / instead",
     "'{0}' satur apgriezto slīpsvītru (\\), ko pārlūki lasa kā /; rakstiet / tās vietā"),
    ("'{0}' contains an invisible control character; retype the address",
     "'{0}' satur neredzamu vadības rakstzīmi; ierakstiet adresi no jauna"),
    ("'{0}' is not an https:// address; tags must load over https",
     "'{0}' nav https:// adrese; tagiem jāielādējas caur https"),
    // Lifetimes.
    ("\"{0}\" is zero; a lifetime must be at least 1 day", "\"{0}\" ir nulle; glabāšanas laikam jābūt vismaz 1 dienai"),
    ("\"{0}\" is empty; write a number and a unit, like \"180 days\"",
     "\"{0}\" ir tukšs; rakstiet skaitli un mērvienību, piemēram, \"180 days\""),
    ("\"{0}\" is longer than 10 years, which no cookie policy allows",
     "\"{0}\" ir ilgāks par 10 gadiem, ko neatļauj neviena sīkdatņu politika"),
    ("\"{0}\" starts with '{1}', which is not a whole number; write it like \"13 months\"",
     "\"{0}\" sākas ar '{1}', kas nav vesels skaitlis; rakstiet, piemēram, \"13 months\""),
    ("\"{0}\" has the unit '{1}'; use days, months or years (for example \"60 days\", \"1 year\")",
     "\"{0}\" mērvienība ir '{1}'; rakstiet days, months vai years (piemēram, \"60 days\", \"1 year\")"),
    ("\"{0}\" is not written the way consent-gate reads lifetimes; write it as \"{1}\"",
     "\"{0}\" nav uzrakstīts tā, kā consent-gate lasa glabāšanas laiku; rakstiet \"{1}\""),
    ("\"{0}\" needs a space between the number and the unit, and the unit in English: days, months or years (like \"{1} days\", \"{1} months\" or \"{1} years\")",
     "\"{0}\": starp skaitli un mērvienību vajag atstarpi, un mērvienību raksta angliski: days, months vai years (piemēram, \"{1} days\", \"{1} months\" vai \"{1} years\")"),
    ("is missing; copy the cookie lifetime from the cookie policy, like \"13 months\"",
     "trūkst; nokopējiet sīkdatņu glabāšanas laiku no sīkdatņu politikas, piemēram, \"13 months\""),
    // Vendors.
    ("is missing; set it to one of {0}", "trūkst; norādiet vienu no: {0}"),
    ("'{0}' is not a vendor type; use one of {1} (did you mean \"{2}\"?)",
     "'{0}' nav pakalpojuma sniedzēja veids; izmantojiet vienu no: {1} (vai domājāt \"{2}\"?)"),
    ("'{0}' is not a vendor type; use one of {1}", "'{0}' nav pakalpojuma sniedzēja veids; izmantojiet vienu no: {1}"),
    ("is missing; the {0} vendor type needs it", "trūkst; veidam {0} tas ir vajadzīgs"),
    ("is missing; say whether this tag is analytics or marketing",
     "trūkst; norādiet, vai šis tags ir analytics (analītika) vai marketing (mārketings)"),
    ("'necessary' needs no consent, so a tag there would be loaded without asking; use analytics or marketing",
     "'necessary' nevajag piekrišanu, tāpēc tags tur tiktu ielādēts bez jautāšanas; izmantojiet analytics vai marketing"),
    ("'{0}' is not a category; use analytics or marketing (did you mean \"{1}\"?)",
     "'{0}' nav kategorija; izmantojiet analytics vai marketing (vai domājāt \"{1}\"?)"),
    ("'{0}' is not a category; use analytics or marketing", "'{0}' nav kategorija; izmantojiet analytics vai marketing"),
    ("is missing; give the address of this vendor's privacy notice",
     "trūkst; norādiet šī pakalpojuma sniedzēja privātuma paziņojuma adresi"),
    ("{0} '{1}' is listed twice; remove one of the two entries", "{0} '{1}' norādīts divreiz; izdzēsiet vienu no abiem ierakstiem"),
    ("{0} is listed twice; remove one of the two entries", "{0} norādīts divreiz; izdzēsiet vienu no abiem ierakstiem"),
    ("`noCookie` must be true or false, without quotes", "`noCookie` jābūt true vai false, bez pēdiņām"),
    ("unknown field `{0}`; the {1} type takes no field of its own", "nezināms lauks `{0}`; tipam {1} nav savu lauku"),
    ("'{0}' contains spaces; remove the spaces: \"{1}\"", "'{0}' satur atstarpes; izdzēsiet atstarpes: \"{1}\""),
    ("'{0}' is a retired Universal Analytics id; GA4 ids look like G-XXXXXXXXXX",
     "'{0}' ir vairs neizmantots Universal Analytics identifikators; GA4 identifikatori izskatās šādi: G-XXXXXXXXXX"),
    ("'{0}' is not a GA4 id; GA4 ids look like G-XXXXXXXXXX (capital letters and digits)",
     "'{0}' nav GA4 identifikators; GA4 identifikatori izskatās šādi: G-XXXXXXXXXX (lielie burti un cipari)"),
    ("'{0}' is not a Google Ads id; they look like AW-123456789 (leave out any '/label' part)",
     "'{0}' nav Google Ads identifikators; tie izskatās šādi: AW-123456789 (daļu '/label' neraksta)"),
    ("'{0}' is not a Floodlight id; they look like DC-1234567",
     "'{0}' nav Floodlight identifikators; tie izskatās šādi: DC-1234567"),
    ("'{0}' is not a valid id; it must be {1} to {2} digits, like {3}",
     "'{0}' nav derīgs identifikators; tajā jābūt no {1} līdz {2} cipariem, piemēram, {3}"),
    ("unknown field `{0}`; this vendor type takes `{1}`", "nezināms lauks `{0}`; šim veidam der `{1}`"),
    ("`{0}` must be text in quotes, like \"123456\"", "`{0}` jābūt tekstam pēdiņās, piemēram, \"123456\""),
    ("`name` is empty; give the name visitors will see, like \"Hotjar\"",
     "`name` ir tukšs; norādiet nosaukumu, ko redzēs apmeklētāji, piemēram, \"Hotjar\""),
    ("`cookies` must be a list of cookie names, like [\"_hjid\"]", "`cookies` jābūt sīkdatņu nosaukumu sarakstam, piemēram, [\"_hjid\"]"),
    ("`cookies` must be a list of cookie names in quotes, like [\"_hjid\"]",
     "`cookies` jābūt sīkdatņu nosaukumu sarakstam pēdiņās, piemēram, [\"_hjid\"]"),
    ("'{0}' is not a cookie name; write names like \"_hjid\", or \"_hj*\" for every name starting with _hj",
     "'{0}' nav sīkdatnes nosaukums; rakstiet nosaukumus kā \"_hjid\" vai \"_hj*\" visiem nosaukumiem, kas sākas ar _hj"),
    ("'{0}' would match every cookie starting with '{1}', the site's own ones too (like a login session); write at least 3 characters before the *, like \"_hj*\"",
     "'{0}' atbilstu katrai sīkdatnei, kas sākas ar '{1}', arī pašas vietnes sīkdatnēm (piemēram, pieteikšanās sesijai); pirms * rakstiet vismaz 3 rakstzīmes, piemēram, \"_hj*\""),
    ("'{0}' also matches consent-gate's own '{1}' ({2}), so refusing this vendor would delete the visitor's choice with it; name this vendor's cookies more narrowly",
     "'{0}' atbilst arī consent-gate paša nosaukumam '{1}' ({2}), tāpēc, atsakot šim pakalpojuma sniedzējam, tiktu izdzēsta arī apmeklētāja izvēle; norādiet šī pakalpojuma sniedzēja sīkdatnes precīzāk"),
    ("'{0}' is a name {1} uses too ('{2}'), so refusing {3} would delete the visitor's choice with it; pick another name, like \"consent-gate\"",
     "'{0}' ir nosaukums, ko izmanto arī {1} ('{2}'), tāpēc, atsakot {3}, tiktu izdzēsta arī apmeklētāja izvēle; izvēlieties citu nosaukumu, piemēram, \"consent-gate\""),
    // Storage and the interface.
    ("is empty; give a name like \"consent-gate\"", "ir tukšs; norādiet nosaukumu, piemēram, \"consent-gate\""),
    ("'{0}' cannot be a cookie name, which it becomes where the browser refuses localStorage; use letters, digits, '-', '_' or '.', like \"consent-gate\"",
     "'{0}' nevar būt sīkdatnes nosaukums, par kādu tas kļūst, ja pārlūks neļauj localStorage; izmantojiet burtus, ciparus, '-', '_' vai '.', piemēram, \"consent-gate\""),
    ("'{0}' is also the name of the stored choice (storage.key '{1}'); give the server's copy a name of its own, like \"consent\"",
     "'{0}' ir arī saglabātās izvēles nosaukums (storage.key '{1}'); dodiet servera kopijai savu nosaukumu, piemēram, \"consent\""),
    ("'{0}' is not a cookie name; use letters, digits, '-', '_' or '.'",
     "'{0}' nav sīkdatnes nosaukums; izmantojiet burtus, ciparus, '-', '_' vai '.'"),
    ("'{0}' is not a domain name; write only the site's domain, like \"example.lv\": letters, digits, '-' and '.' (a name in other letters in its xn-- form)",
     "'{0}' nav domēna vārds; rakstiet tikai vietnes domēnu, piemēram, \"example.lv\": burti, cipari, '-' un '.' (nosaukumu ar citiem burtiem tā xn-- formā)"),
    ("\"{0}\" is not a corner; write \"bottom-left\", \"bottom-right\", \"top-left\" or \"top-right\"",
     "\"{0}\" nav stūris; rakstiet \"bottom-left\", \"bottom-right\", \"top-left\" vai \"top-right\""),
    ("is {0} pixels, more than 200 from the corner; use a number from 0 to 200, like 16",
     "ir {0} pikseļi, vairāk nekā 200 no stūra; izmantojiet skaitli no 0 līdz 200, piemēram, 16"),
    ("\"{0}\" is not a theme; write \"light\", \"dark\" or \"auto\" (the visitor's system setting)",
     "\"{0}\" nav tēma; rakstiet \"light\", \"dark\" vai \"auto\" (apmeklētāja sistēmas iestatījums)"),
    // What had the problems.
    ("the config object given to start()", "start() nodotais konfigurācijas objekts"),
];

/// Russian. Each row: the English message as the checker writes it, then its
/// translation.
const RU: &[(&str, &str)] = &[
    // The file as a whole.
    ("the file is larger than 1 MB (1000000 bytes), the most consent-gate reads; a consent.json with hundreds of vendors is well under 100 KB, so keep only the site's vendors, texts and settings in it",
     "файл больше 1 МБ (1000000 байт) — больше consent-gate не читает; consent.json даже с сотнями поставщиков намного меньше 100 КБ, поэтому оставьте в нём только поставщиков, тексты и настройки сайта"),
    ("the file is empty; it must hold one JSON object, like {\"policy\": {…}, \"vendors\": […]}",
     "файл пуст; в нём должен быть один объект JSON, например {\"policy\": {…}, \"vendors\": […]}"),
    ("contains the character \u{FFFD}, which is left where a file was not saved as UTF-8 (or where a character was lost); save the file as UTF-8 and retype the characters here",
     "содержит символ \u{FFFD}, который остаётся там, где файл сохранён не в UTF-8 (или где символ потерялся); сохраните файл в UTF-8 и наберите здесь символы заново"),
    ("the file is saved as UTF-16 (Notepad calls it \"Unicode\"), but a consent.json must be UTF-8: in Notepad choose File > Save as, set Encoding to UTF-8 and save; in VS Code click \"UTF-16\" at the bottom right and choose Save with Encoding > UTF-8",
     "файл сохранён в кодировке UTF-16 (в Блокноте она называется «Юникод»), а consent.json должен быть в UTF-8: в Блокноте выберите Файл > Сохранить как, в поле «Кодировка» укажите UTF-8 и сохраните; в VS Code нажмите «UTF-16» справа внизу и выберите Save with Encoding > UTF-8"),
    ("is written twice in the same place; only one can count, so remove the other",
     "записано дважды в одном месте; действовать может только одно, поэтому удалите второе"),
    ("and {0} more problems not listed; fix the ones above and check the file again",
     "и ещё ошибок, не показанных здесь: {0}; исправьте ошибки выше и проверьте файл снова"),
    // JSON syntax.
    ("trailing comma; remove the comma after the last item", "лишняя запятая после последнего элемента; удалите эту запятую"),
    ("a comma is missing at the end of this line, between two items (or a bracket is not closed); add a comma here",
     "в конце этой строки, между двумя элементами, не хватает запятой (или не закрыта скобка); поставьте здесь запятую"),
    ("{0}; the file ends too early; a closing }, ] or \" is missing",
     "файл обрывается слишком рано; не хватает закрывающей }, ] или \""),
    ("expected `,` or {0}; a comma is missing between two items, or a bracket is not closed",
     "между двумя элементами не хватает запятой, или не закрыта скобка"),
    ("key must be a string; field names need double quotes, like \"type\"",
     "имя поля должно быть в двойных кавычках, например \"type\""),
    ("expected value; a value is missing or misspelt here; text needs double quotes, and true, false and null are lower-case",
     "здесь нет значения или оно написано с ошибкой; текст пишется в двойных кавычках, а true, false и null — строчными буквами"),
    ("control character (\\u0000-\\u001F) found while parsing a string; a line break or tab inside quotes; keep each text on one line",
     "внутри кавычек перевод строки или табуляция; пишите каждый текст в одну строку"),
    ("{0}; this is not valid JSON", "это недопустимый JSON ({0})"),
    ("{0} is a curly quote, as Word and Outlook write them; JSON needs straight double quotes: retype it as \" (or write the file in a plain-text editor)",
     "{0} — это типографская кавычка, такие ставят Word и Outlook; в JSON нужны прямые двойные кавычки: наберите её заново как \" (или пишите файл в простом текстовом редакторе)"),
    // Fields.
    ("is not a known field; did you mean \"{0}\"?", "такого поля нет; может быть, имелось в виду \"{0}\"?"),
    ("is not a known field; remove it (the fields here are {0})", "такого поля нет; удалите его (здесь допустимы поля {0})"),
    ("is missing; add it: {0:t}", "отсутствует; добавьте: {0}"),
    ("has an item of the wrong kind; it must be {0:t}", "содержит элемент неверного вида; нужно: {0}"),
    ("is {0:t}, but must be text in quotes, or one text per language, like {\"lv\": \"…\", \"en\": \"…\"}",
     "сейчас {0}, а нужен текст в кавычках или текст для каждого языка, например {\"lv\": \"…\", \"en\": \"…\"}"),
    ("is {0:t}, but must be one of {1}", "сейчас {0}, а нужно одно из: {1}"),
    ("is {0:t}, but must be {1:t}", "сейчас {0}, а нужно: {1}"),
    ("{0:t} is not a lifetime; write it in quotes, like \"180 days\"",
     "{0} — это не срок хранения; напишите его в кавычках, например \"180 days\""),
    // What a value is.
    ("the text {0}", "текст {0}"),
    ("the number {0}", "число {0}"),
    ("a list", "список"),
    ("an object", "объект"),
    // What a value must be.
    ("a domain in quotes, like \"example.lv\"", "домен в кавычках, например \"example.lv\""),
    ("a language code in quotes, like \"lv\"", "код языка в кавычках, например \"lv\""),
    ("a list of language codes, like [\"lv\", \"ru\", \"en\"]", "список кодов языков, например [\"lv\", \"ru\", \"en\"]"),
    ("a list of vendors, like [{\"type\": \"ga4\", …}], or [] for none",
     "список поставщиков, например [{\"type\": \"ga4\", …}], или [], если их нет"),
    ("a whole number of CSS pixels from 0 to 200, like 16", "целое число CSS-пикселей от 0 до 200, например 16"),
    ("a whole number, like 1", "целое число, например 1"),
    ("an object like {\"floatingButton\": true}", "объект, например {\"floatingButton\": true}"),
    ("an object like {\"grant\": \"6 months\", \"refusal\": \"6 months\"}",
     "объект, например {\"grant\": \"6 months\", \"refusal\": \"6 months\"}"),
    ("an object like {\"key\": \"consent-gate\"}", "объект, например {\"key\": \"consent-gate\"}"),
    ("an object like {\"url\": \"/consent/receipts\"}", "объект, например {\"url\": \"/consent/receipts\"}"),
    ("an object like {\"name\": \"consent\", \"domain\": \"example.lv\"}",
     "объект, например {\"name\": \"consent\", \"domain\": \"example.lv\"}"),
    ("an object like {\"url\": \"/cookie-policy.html\", \"edition\": \"2024-05-01\"}",
     "объект, например {\"url\": \"/cookie-policy.html\", \"edition\": \"2024-05-01\"}"),
    ("an object like {\"type\": \"ga4\", \"measurementId\": \"G-…\", \"lifetime\": \"180 days\"}",
     "объект, например {\"type\": \"ga4\", \"measurementId\": \"G-…\", \"lifetime\": \"180 days\"}"),
    ("an object of texts by name, like {\"acceptAll\": \"…\"}", "объект с текстами по именам, например {\"acceptAll\": \"…\"}"),
    ("an object of texts per language, like {\"lv\": {\"acceptAll\": \"…\"}}",
     "объект с текстами по языкам, например {\"lv\": {\"acceptAll\": \"…\"}}"),
    ("analytics or marketing, in quotes", "analytics или marketing в кавычках"),
    ("one JSON object, like {\"policy\": {…}, \"vendors\": […]}", "один объект JSON, например {\"policy\": {…}, \"vendors\": […]}"),
    ("one of \"light\", \"dark\", \"auto\"", "одно из: \"light\", \"dark\", \"auto\""),
    ("text in quotes", "текст в кавычках"),
    ("text in quotes, like \"consent-gate\"", "текст в кавычках, например \"consent-gate\""),
    ("the address of the vendor's privacy notice, in quotes", "адрес уведомления о конфиденциальности поставщика в кавычках"),
    ("the collector's address in quotes, like \"/consent/receipts\"",
     "адрес сборщика квитанций в кавычках, например \"/consent/receipts\""),
    ("the cookie's name in quotes, like \"consent\"", "имя cookie в кавычках, например \"consent\""),
    ("the policy's date in quotes, like \"2024-05-01\"", "дата политики в кавычках, например \"2024-05-01\""),
    ("the schema's address in quotes", "адрес схемы в кавычках"),
    ("true or false", "true или false"),
    // Languages and texts.
    ("lists {0} languages, but a site can be shown in at most 50; keep the languages the site is translated into",
     "указано языков: {0}, а сайт можно показывать не более чем на 50; оставьте языки, на которые сайт переведён"),
    ("is empty; list at least one language, like [\"lv\", \"ru\", \"en\"]",
     "пусто; укажите хотя бы один язык, например [\"lv\", \"ru\", \"en\"]"),
    ("'{0}' is not a language code; use two lower-case letters, like \"lv\"",
     "'{0}' — не код языка; пишите две строчные буквы, например \"lv\""),
    ("'{0}' is listed twice; remove one", "'{0}' указан дважды; удалите один"),
    ("'{0}' is not in `languages`; add it there or pick one of {1}",
     "'{0}' нет в `languages`; добавьте его туда или выберите один из: {1}"),
    ("'{0}' is not one of the site's languages ({1}); did you mean \"{2}\"?",
     "'{0}' — не язык сайта ({1}); может быть, имелось в виду \"{2}\"?"),
    ("'{0}' is not one of the site's languages ({1}); add it to `languages` or remove this entry",
     "'{0}' — не язык сайта ({1}); добавьте его в `languages` или удалите эту запись"),
    ("is missing; the site is shown in '{0}', so give this text in '{1}' too",
     "отсутствует; сайт показывается на языке '{0}', поэтому дайте этот текст и на '{1}'"),
    ("contains '<': texts are shown as plain text, never as HTML; remove the markup",
     "содержит '<': тексты показываются как простой текст, а не как HTML; удалите разметку"),
    ("is missing; '{0}' has no built-in texts, so every text must be given for it",
     "отсутствует; для '{0}' нет встроенных текстов, поэтому нужно указать все тексты"),
    // The policy.
    ("is missing; add {\"url\": \"/cookie-policy.html\", \"edition\": \"2024-05-01\"}",
     "отсутствует; добавьте {\"url\": \"/cookie-policy.html\", \"edition\": \"2024-05-01\"}"),
    ("is missing; give the cookie policy's address, like \"/cookie-policy.html\"",
     "отсутствует; укажите адрес политики cookie, например \"/cookie-policy.html\""),
    ("'{0}' is not an http(s) address or a path on this site starting with /",
     "'{0}' — не http(s)-адрес и не путь на этом сайте, начинающийся с /"),
    // Addresses.
    ("'{0}' is not an http(s) address; copy the address starting with https://",
     "'{0}' — не http(s)-адрес; скопируйте адрес, начинающийся с https://"),
    ("'{0}' has no valid host name after the //; copy the whole address, host name included, like https://www.example.com/page",
     "'{0}': после // нет правильного имени сервера; скопируйте адрес целиком, вместе с именем сервера, например https://www.example.com/page"),
    ("'{0}' has an '@' before the host name, so browsers would go to the host after the '@'; remove the part up to and including the '@'",
     "'{0}': перед именем сервера стоит '@', и браузер перейдёт на сервер после '@'; удалите часть до '@' включительно"),
    ("'{0}' contains a space, tab or line break; remove it (a space inside an address is written %20)",
     "'{0}' содержит пробел, табуляцию или перевод строки; удалите их (пробел в адресе пишется как %20)"),
    ("'{0}' contains a backslash (\\), which browsers read as /; write / instead",
     "'{0}' содержит обратную косую черту (\\), которую браузеры читают как /; пишите / вместо неё"),
    ("'{0}' contains an invisible control character; retype the address",
     "'{0}' содержит невидимый управляющий символ; наберите адрес заново"),
    ("'{0}' is not an https:// address; tags must load over https",
     "'{0}' — не https://-адрес; теги должны загружаться по https"),
    // Lifetimes.
    ("\"{0}\" is zero; a lifetime must be at least 1 day", "\"{0}\" — ноль; срок хранения должен быть не меньше 1 дня"),
    ("\"{0}\" is empty; write a number and a unit, like \"180 days\"",
     "\"{0}\" пусто; напишите число и единицу, например \"180 days\""),
    ("\"{0}\" is longer than 10 years, which no cookie policy allows",
     "\"{0}\" дольше 10 лет, а этого не допускает ни одна политика cookie"),
    ("\"{0}\" starts with '{1}', which is not a whole number; write it like \"13 months\"",
     "\"{0}\" начинается с '{1}', а это не целое число; напишите, например, \"13 months\""),
    ("\"{0}\" has the unit '{1}'; use days, months or years (for example \"60 days\", \"1 year\")",
     "в \"{0}\" единица '{1}'; пишите days, months или years (например, \"60 days\", \"1 year\")"),
    ("\"{0}\" is not written the way consent-gate reads lifetimes; write it as \"{1}\"",
     "\"{0}\" записано не так, как consent-gate читает сроки хранения; напишите \"{1}\""),
    ("\"{0}\" needs a space between the number and the unit, and the unit in English: days, months or years (like \"{1} days\", \"{1} months\" or \"{1} years\")",
     "в \"{0}\" нужен пробел между числом и единицей, а единица пишется по-английски: days, months или years (например, \"{1} days\", \"{1} months\" или \"{1} years\")"),
    ("is missing; copy the cookie lifetime from the cookie policy, like \"13 months\"",
     "отсутствует; скопируйте срок хранения cookie из политики cookie, например \"13 months\""),
    // Vendors.
    ("is missing; set it to one of {0}", "отсутствует; укажите одно из: {0}"),
    ("'{0}' is not a vendor type; use one of {1} (did you mean \"{2}\"?)",
     "'{0}' — не тип поставщика; используйте один из: {1} (может быть, имелось в виду \"{2}\"?)"),
    ("'{0}' is not a vendor type; use one of {1}", "'{0}' — не тип поставщика; используйте один из: {1}"),
    ("is missing; the {0} vendor type needs it", "отсутствует; для типа {0} это поле обязательно"),
    ("is missing; say whether this tag is analytics or marketing",
     "отсутствует; укажите, относится ли этот тег к analytics (аналитика) или marketing (маркетинг)"),
    ("'necessary' needs no consent, so a tag there would be loaded without asking; use analytics or marketing",
     "для 'necessary' согласие не нужно, поэтому тег там загружался бы без спроса; используйте analytics или marketing"),
    ("'{0}' is not a category; use analytics or marketing (did you mean \"{1}\"?)",
     "'{0}' — не категория; используйте analytics или marketing (может быть, имелось в виду \"{1}\"?)"),
    ("'{0}' is not a category; use analytics or marketing", "'{0}' — не категория; используйте analytics или marketing"),
    ("is missing; give the address of this vendor's privacy notice",
     "отсутствует; укажите адрес уведомления о конфиденциальности этого поставщика"),
    ("{0} '{1}' is listed twice; remove one of the two entries", "{0} '{1}' указан дважды; удалите одну из двух записей"),
    ("{0} is listed twice; remove one of the two entries", "{0} указан дважды; удалите одну из двух записей"),
    ("`noCookie` must be true or false, without quotes", "`noCookie` должно быть true или false, без кавычек"),
    ("unknown field `{0}`; the {1} type takes no field of its own", "неизвестное поле `{0}`; у типа {1} нет собственных полей"),
    ("'{0}' contains spaces; remove the spaces: \"{1}\"", "'{0}' содержит пробелы; удалите пробелы: \"{1}\""),
    ("'{0}' is a retired Universal Analytics id; GA4 ids look like G-XXXXXXXXXX",
     "'{0}' — устаревший идентификатор Universal Analytics; идентификаторы GA4 выглядят так: G-XXXXXXXXXX"),
    ("'{0}' is not a GA4 id; GA4 ids look like G-XXXXXXXXXX (capital letters and digits)",
     "'{0}' — не идентификатор GA4; идентификаторы GA4 выглядят так: G-XXXXXXXXXX (заглавные буквы и цифры)"),
    ("'{0}' is not a Google Ads id; they look like AW-123456789 (leave out any '/label' part)",
     "'{0}' — не идентификатор Google Ads; они выглядят так: AW-123456789 (часть '/label' не пишите)"),
    ("'{0}' is not a Floodlight id; they look like DC-1234567",
     "'{0}' — не идентификатор Floodlight; они выглядят так: DC-1234567"),
    ("'{0}' is not a valid id; it must be {1} to {2} digits, like {3}",
     "'{0}' — неверный идентификатор; в нём должно быть от {1} до {2} цифр, например {3}"),
    ("unknown field `{0}`; this vendor type takes `{1}`", "неизвестное поле `{0}`; этот тип принимает `{1}`"),
    ("`{0}` must be text in quotes, like \"123456\"", "`{0}` должно быть текстом в кавычках, например \"123456\""),
    ("`name` is empty; give the name visitors will see, like \"Hotjar\"",
     "`name` пусто; укажите название, которое увидят посетители, например \"Hotjar\""),
    ("`cookies` must be a list of cookie names, like [\"_hjid\"]", "`cookies` должно быть списком имён cookie, например [\"_hjid\"]"),
    ("`cookies` must be a list of cookie names in quotes, like [\"_hjid\"]",
     "`cookies` должно быть списком имён cookie в кавычках, например [\"_hjid\"]"),
    ("'{0}' is not a cookie name; write names like \"_hjid\", or \"_hj*\" for every name starting with _hj",
     "'{0}' — не имя cookie; пишите имена вроде \"_hjid\" или \"_hj*\" для всех имён, начинающихся с _hj"),
    ("'{0}' would match every cookie starting with '{1}', the site's own ones too (like a login session); write at least 3 characters before the *, like \"_hj*\"",
     "'{0}' подходит к любому cookie, начинающемуся с '{1}', в том числе к cookie самого сайта (например, к сессии входа); пишите перед * не меньше 3 символов, например \"_hj*\""),
    ("'{0}' also matches consent-gate's own '{1}' ({2}), so refusing this vendor would delete the visitor's choice with it; name this vendor's cookies more narrowly",
     "'{0}' совпадает и с собственным именем consent-gate '{1}' ({2}), поэтому отказ от этого поставщика удалил бы и выбор посетителя; укажите cookie этого поставщика точнее"),
    ("'{0}' is a name {1} uses too ('{2}'), so refusing {3} would delete the visitor's choice with it; pick another name, like \"consent-gate\"",
     "'{0}' — это имя использует и {1} ('{2}'), поэтому отказ от {3} удалил бы и выбор посетителя; выберите другое имя, например \"consent-gate\""),
    // Storage and the interface.
    ("is empty; give a name like \"consent-gate\"", "пусто; укажите имя, например \"consent-gate\""),
    ("'{0}' cannot be a cookie name, which it becomes where the browser refuses localStorage; use letters, digits, '-', '_' or '.', like \"consent-gate\"",
     "'{0}' не может быть именем cookie, а оно им становится, если браузер запрещает localStorage; используйте буквы, цифры, '-', '_' или '.', например \"consent-gate\""),
    ("'{0}' is also the name of the stored choice (storage.key '{1}'); give the server's copy a name of its own, like \"consent\"",
     "'{0}' — это и имя сохранённого выбора (storage.key '{1}'); дайте копии для сервера своё имя, например \"consent\""),
    ("'{0}' is not a cookie name; use letters, digits, '-', '_' or '.'",
     "'{0}' — не имя cookie; используйте буквы, цифры, '-', '_' или '.'"),
    ("'{0}' is not a domain name; write only the site's domain, like \"example.lv\": letters, digits, '-' and '.' (a name in other letters in its xn-- form)",
     "'{0}' — не доменное имя; пишите только домен сайта, например \"example.lv\": буквы, цифры, '-' и '.' (имя с другими буквами — в форме xn--)"),
    ("\"{0}\" is not a corner; write \"bottom-left\", \"bottom-right\", \"top-left\" or \"top-right\"",
     "\"{0}\" — не угол; пишите \"bottom-left\", \"bottom-right\", \"top-left\" или \"top-right\""),
    ("is {0} pixels, more than 200 from the corner; use a number from 0 to 200, like 16",
     "{0} пикселей — больше 200 от угла; используйте число от 0 до 200, например 16"),
    ("\"{0}\" is not a theme; write \"light\", \"dark\" or \"auto\" (the visitor's system setting)",
     "\"{0}\" — не тема; пишите \"light\", \"dark\" или \"auto\" (системная настройка посетителя)"),
    // What had the problems.
    ("the config object given to start()", "объект конфигурации, переданный в start()"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(template: &str) -> Vec<usize> {
        let mut found = Vec::new();
        let mut rest = template;
        while let Some(open) = placeholder_start(rest) {
            let after = rest.get(open + 1..).unwrap();
            let close = after.find('}').unwrap();
            found.push(placeholder_index(after.get(..close).unwrap()).unwrap());
            rest = after.get(close + 1..).unwrap();
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    #[test]
    fn every_message_has_both_translations_with_the_same_placeholders() {
        let lv: Vec<&str> = LV.iter().map(|(en, _)| *en).collect();
        let ru: Vec<&str> = RU.iter().map(|(en, _)| *en).collect();
        assert_eq!(lv, ru, "the Latvian and Russian tables list the same English messages, in the same order");
        for (en, translated) in LV.iter().chain(RU) {
            let wanted = placeholders(en);
            let given = placeholders(translated);
            // A translation may leave out what the English quotes (the
            // parser's own words); it may not invent a part.
            assert!(given.iter().all(|p| wanted.contains(p)), "{en:?} -> {translated:?}");
        }
    }

    #[test]
    fn a_message_is_translated_with_what_it_quotes() {
        assert_eq!(
            translate(Lang::Lv, "'G-ABC 123' contains spaces; remove the spaces: \"G-ABC123\"").as_deref(),
            Some("'G-ABC 123' satur atstarpes; izdzēsiet atstarpes: \"G-ABC123\"")
        );
        assert_eq!(
            translate(Lang::Ru, "is missing; add it: a whole number, like 1").as_deref(),
            Some("отсутствует; добавьте: целое число, например 1")
        );
        assert_eq!(
            translate(Lang::Lv, "is the text \"a list\", but must be true or false").as_deref(),
            Some("ir teksts \"a list\", bet jābūt: true vai false"),
            "what the file says is never translated"
        );
        assert_eq!(translate(Lang::Lv, "something new"), None);
        assert_eq!(translate(Lang::En, "is missing; add it: true or false"), None);
    }

    #[test]
    fn a_message_quoting_a_huge_value_is_matched_in_linear_time() {
        let huge = "x".repeat(1_000_000);
        let message = format!("'{huge}' is not a GA4 id; GA4 ids look like G-XXXXXXXXXX (capital letters and digits)");
        let translated = translate(Lang::Ru, &message).unwrap();
        assert!(translated.starts_with("'xxx") && translated.ends_with("(заглавные буквы и цифры)"));
    }

    #[test]
    fn plurals() {
        let lv: Vec<String> = [1, 2, 11, 21].iter().map(|n| has_problems_in(Lang::Lv, "consent.json", *n)).collect();
        assert_eq!(
            lv,
            ["consent.json: 1 kļūda", "consent.json: 2 kļūdas", "consent.json: 11 kļūdas", "consent.json: 21 kļūda"]
        );
        let ru: Vec<String> = [1, 3, 5, 12, 22].iter().map(|n| has_problems_in(Lang::Ru, "consent.json", *n)).collect();
        assert_eq!(
            ru,
            [
                "consent.json: 1 ошибка",
                "consent.json: 3 ошибки",
                "consent.json: 5 ошибок",
                "consent.json: 12 ошибок",
                "consent.json: 22 ошибки"
            ]
        );
        assert_eq!(has_problems_in(Lang::En, "consent.json", 1), "consent.json has 1 problem");
        assert_eq!(Lang::parse("ru-RU"), Some(Lang::Ru));
        assert_eq!(Lang::parse("de"), None);
    }
}
