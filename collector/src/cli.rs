//! `receipts verify|show|export|purge|stats`: what the site owner, a
//! visitor's request or a regulator needs from the stored receipts.

use crate::receipt::Stored;
use crate::store::{self, Col, Store, StoreError, Val};
use crate::time::{self, MS_PER_DAY};
use crate::Format;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

/// The documented default retention of `receipts purge`: a grant is kept by
/// the browser for at most the config's consent lifetime (6 months by
/// default, never more than a year in practice), and its proof must outlive
/// it by the time a visitor or a regulator may take to ask about processing
/// under it. Two years covers both; a site with other legal advice passes
/// its own `--older-than`.
pub const DEFAULT_RETENTION: &str = "2 years";
/// Receipts read per query while exporting or verifying.
const PAGE: i64 = 5000;
/// The most receipts `show` lists for one consent id.
const MAX_SHOWN: i64 = 10_000;

#[derive(Debug)]
pub enum CliError {
    Usage(String),
    Store(StoreError),
    Serve(crate::server::ServeError),
    Output(std::io::Error),
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Usage(why) => write!(f, "{why}"),
            CliError::Store(e) => write!(f, "{e}"),
            CliError::Serve(e) => write!(f, "{e}"),
            CliError::Output(e) => write!(f, "cannot write the output: {e}"),
        }
    }
}

impl std::error::Error for CliError {}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        CliError::Store(e)
    }
}
impl From<crate::server::ServeError> for CliError {
    fn from(e: crate::server::ServeError) -> Self {
        CliError::Serve(e)
    }
}
impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Output(e)
    }
}

pub async fn verify(store: &Store, out: &mut impl Write) -> Result<ExitCode, CliError> {
    let (checked, broken, state) = store::verify(store).await?;
    match broken {
        None => {
            let from = if state.anchor_seq == 0 {
                "the start".to_owned()
            } else {
                format!("the purge anchor after receipt {}", state.anchor_seq)
            };
            writeln!(out, "chain verified: {checked} receipts, from {from} to receipt {}", state.head_seq)?;
            // Published somewhere else (a log, an e-mail), the head makes a later rewrite evident.
            writeln!(out, "head hash: {}", state.head_hash)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(b) => {
            let id = b.receipt_id.map(|id| format!(" ({id})")).unwrap_or_default();
            writeln!(out, "chain BROKEN at receipt {}{id}: {}", b.seq, b.why)?;
            writeln!(out, "{checked} receipts before it verified")?;
            Ok(ExitCode::from(1))
        }
    }
}

fn choice(granted: bool) -> &'static str {
    if granted {
        "granted"
    } else {
        "refused"
    }
}

pub async fn show(store: &Store, consent_id: &str, out: &mut impl Write) -> Result<ExitCode, CliError> {
    if consent_id.len() != 32 || !consent_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(CliError::Usage(format!(
            "{consent_id:?} is not a consent id (32 hex digits, shown in the visitor's settings dialog)"
        )));
    }
    let id = consent_id.to_ascii_lowercase();
    let rows = store.receipts("consent_id = $1", &[Val::Text(id.clone())], MAX_SHOWN).await?;
    if rows.is_empty() {
        writeln!(out, "no receipts for consent id {id}")?;
        return Ok(ExitCode::from(1));
    }
    let versions = store.config_versions().await?;
    writeln!(out, "consent id {id}: {} decisions, oldest first (times in UTC)", rows.len())?;
    let mut disclosed: Vec<String> = Vec::new();
    for row in &rows {
        let s = match row {
            Ok(s) => s,
            Err(why) => {
                writeln!(out, "\n  an unreadable receipt: {why}")?;
                continue;
            }
        };
        let r = &s.receipt;
        writeln!(
            out,
            "\n  {} via {} (receipt {}, stored {}, seq {})",
            time::iso(r.decided_at),
            r.source.as_str(),
            r.receipt_id,
            time::iso(s.received_at),
            s.seq
        )?;
        writeln!(
            out,
            "    necessary: always on; analytics: {}; marketing: {}",
            choice(r.choices.analytics),
            choice(r.choices.marketing)
        )?;
        if let Some(vendors) = &r.vendors {
            let list: Vec<String> = vendors.iter().map(|(v, g)| format!("{v}: {}", choice(*g))).collect();
            writeln!(out, "    per vendor: {}", list.join(", "))?;
        }
        writeln!(
            out,
            "    language {}, page {}, Do Not Track {}, Global Privacy Control {}",
            r.lang,
            r.path,
            on(r.dnt),
            on(r.gpc)
        )?;
        writeln!(out, "    policy edition {}, revision {}, config version {}", r.edition, r.revision, s.config_sha256)?;
        if !disclosed.contains(&s.config_sha256) {
            disclosed.push(s.config_sha256.clone());
        }
    }
    for sha in disclosed {
        writeln!(out, "\ndisclosure of config version {sha}:")?;
        match versions.iter().find(|v| v.sha256 == sha) {
            Some(v) => describe_config(&v.config, out)?,
            None => writeln!(out, "  (not stored: the database was changed)")?,
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn on(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

/// The vendors, their categories and declared lifetimes, as the visitor saw them.
fn describe_config(text: &str, out: &mut impl Write) -> Result<(), CliError> {
    use consent_gate::core::config::Config;
    match Config::from_json(text) {
        Ok(config) => {
            writeln!(
                out,
                "  policy edition {} (revision {}), languages {}",
                config.policy.edition,
                config.revision,
                config.languages.join(", ")
            )?;
            for v in &config.vendors {
                writeln!(
                    out,
                    "  - {} ({} {}): {}, cookies kept up to {}, privacy notice {}",
                    v.tag.display_name(),
                    v.tag.kind(),
                    v.tag.id(),
                    v.category,
                    v.lifetime,
                    v.privacy_url
                )?;
            }
        }
        // Checked when it was stored; a later checker may be stricter.
        Err(_) => writeln!(out, "  (this version no longer passes the checker; its stored text follows)\n{text}")?,
    }
    Ok(())
}

fn day_range(from: &str, to: &str) -> Result<(i64, i64), CliError> {
    let from = time::parse_day(from).map_err(CliError::Usage)?;
    let to = time::parse_day(to).map_err(CliError::Usage)?;
    if to < from {
        return Err(CliError::Usage("--to is before --from".to_owned()));
    }
    Ok((from * MS_PER_DAY, (to + 1).saturating_mul(MS_PER_DAY)))
}

/// A CSV field, quoted when it needs it (RFC 4180). A field a spreadsheet
/// would read as a formula (`=`, `+`, `-`, `@`, tab or carriage return
/// first) gets a leading `'`, so opening an export never runs one (OWASP,
/// "CSV injection"). Every field is checked or site-given today; this holds
/// whatever a later field lets through.
fn csv(field: &str) -> String {
    let field = if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{field}"))
    } else {
        std::borrow::Cow::Borrowed(field)
    };
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.into_owned()
    }
}

const CSV_HEADER: &str = "seq,receipt_id,consent_id,decided_at,received_at,analytics,marketing,vendors,fp_analytics,fp_marketing,revision,edition,source,lang,path,dnt,gpc,config_sha256,prev_hash,hash";

fn csv_line(s: &Stored) -> String {
    let r = &s.receipt;
    let vendors = r.vendors.as_ref().map(|v| serde_json::to_string(v).unwrap_or_default()).unwrap_or_default();
    [
        s.seq.to_string(),
        r.receipt_id.clone(),
        r.consent_id.clone(),
        time::iso(r.decided_at),
        time::iso(s.received_at),
        r.choices.analytics.to_string(),
        r.choices.marketing.to_string(),
        vendors,
        r.fingerprints.analytics.clone(),
        r.fingerprints.marketing.clone(),
        r.revision.to_string(),
        r.edition.clone(),
        r.source.as_str().to_owned(),
        r.lang.clone(),
        r.path.clone(),
        r.dnt.to_string(),
        r.gpc.to_string(),
        s.config_sha256.clone(),
        s.prev_hash.clone(),
        s.hash.clone(),
    ]
    .iter()
    .map(|f| csv(f))
    .collect::<Vec<_>>()
    .join(",")
}

fn json_line(s: &Stored) -> String {
    let mut value = serde_json::to_value(&s.receipt).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        map.insert("seq".to_owned(), s.seq.into());
        map.insert("receivedAt".to_owned(), s.received_at.into());
        map.insert("configSha256".to_owned(), s.config_sha256.clone().into());
        map.insert("prevHash".to_owned(), s.prev_hash.clone().into());
        map.insert("hash".to_owned(), s.hash.clone().into());
    }
    value.to_string()
}

pub async fn export(
    store: &Store,
    from: &str,
    to: &str,
    format: Format,
    out: &mut impl Write,
) -> Result<ExitCode, CliError> {
    let (from_ms, to_ms) = day_range(from, to)?;
    if let Format::Csv = format {
        writeln!(out, "{CSV_HEADER}")?;
    }
    let mut after = 0;
    loop {
        let page = store
            .receipts(
                "decided_at >= $1 AND decided_at < $2 AND seq > $3",
                &[Val::Int(from_ms), Val::Int(to_ms), Val::Int(after)],
                PAGE,
            )
            .await?;
        let n = page.len() as i64;
        for row in page {
            let s = row.map_err(|why| CliError::Store(StoreError::Corrupt(why)))?;
            after = s.seq;
            match format {
                Format::Csv => writeln!(out, "{}", csv_line(&s))?,
                Format::Jsonl => writeln!(out, "{}", json_line(&s))?,
            }
        }
        if n < PAGE {
            break;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn purge(store: &mut Store, older_than: &str, out: &mut impl Write) -> Result<ExitCode, CliError> {
    use consent_gate::core::lifetime::Lifetime;
    let lifetime =
        Lifetime::parse(older_than).map_err(|e| CliError::Usage(format!("--older-than \"{older_than}\" {e}")))?;
    let now = time::now_ms();
    let cutoff = now.saturating_sub(lifetime.end_from(now).saturating_sub(now));
    let n = store.purge(cutoff).await?;
    writeln!(out, "purged {n} receipts received before {} (older than {lifetime})", time::iso(cutoff))?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Default)]
struct Day {
    total: i64,
    analytics: i64,
    marketing: i64,
    both: i64,
    neither: i64,
    sources: BTreeMap<String, i64>,
}

pub async fn stats(
    store: &Store,
    from: Option<&str>,
    to: Option<&str>,
    out: &mut impl Write,
) -> Result<ExitCode, CliError> {
    let today = time::now_ms().div_euclid(MS_PER_DAY);
    let to = to.map(time::parse_day).transpose().map_err(CliError::Usage)?.unwrap_or(today);
    let from = from.map(time::parse_day).transpose().map_err(CliError::Usage)?.unwrap_or(to - 30);
    let (from_ms, to_ms) = day_range(&time::day_string(from), &time::day_string(to))?;
    use Col::*;
    let rows = store
        .rows(
            "SELECT decided_at / 86400000, analytics, marketing, source, COUNT(*) FROM receipts \
             WHERE decided_at >= $1 AND decided_at < $2 GROUP BY 1, 2, 3, 4",
            &[Val::Int(from_ms), Val::Int(to_ms)],
            &[Int, Int, Int, Text, Int],
        )
        .await?;
    let mut days: BTreeMap<i64, Day> = BTreeMap::new();
    let mut total = Day::default();
    for r in rows {
        let (Val::Int(day), Val::Int(a), Val::Int(m), Val::Text(source), Val::Int(n)) =
            (&r[0], &r[1], &r[2], &r[3], &r[4])
        else {
            continue;
        };
        for d in [days.entry(*day).or_default(), &mut total] {
            let (n, a, m) = (*n, *a == 1, *m == 1);
            d.total += n;
            d.analytics += if a { n } else { 0 };
            d.marketing += if m { n } else { 0 };
            d.both += if a && m { n } else { 0 };
            d.neither += if !a && !m { n } else { 0 };
            *d.sources.entry(source.clone()).or_default() += n;
        }
    }
    writeln!(
        out,
        "receipts decided {} to {} (UTC); a receipt is one decision, a visitor may make several",
        time::day_string(from),
        time::day_string(to)
    )?;
    let sources: Vec<&str> = crate::receipt::Source::ALL.iter().map(|s| s.as_str()).collect();
    writeln!(
        out,
        "{:<10} {:>8} {:>9} {:>9} {:>8} {:>8} | {}",
        "day",
        "receipts",
        "analytics",
        "marketing",
        "both",
        "neither",
        sources.join(" ")
    )?;
    let line = |label: String, d: &Day| {
        let per_source: Vec<String> =
            sources.iter().map(|s| format!("{:>w$}", d.sources.get(*s).copied().unwrap_or(0), w = s.len())).collect();
        format!(
            "{label:<10} {:>8} {:>9} {:>9} {:>8} {:>8} | {}",
            d.total,
            d.analytics,
            d.marketing,
            d.both,
            d.neither,
            per_source.join(" ")
        )
    };
    for (day, d) in &days {
        writeln!(out, "{}", line(time::day_string(*day), d))?;
    }
    writeln!(out, "{}", line("total".to_owned(), &total))?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::csv;

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(csv("/en/"), "/en/");
        assert_eq!(csv("a,b"), "\"a,b\"");
        assert_eq!(csv("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        for formula in ["+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv(formula).trim_start_matches('"').starts_with('\''), "{formula:?}");
        }
        assert_eq!(csv("2024-05-01"), "2024-05-01", "a date is not a formula");
    }
}
