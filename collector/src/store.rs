//! Storage: SQLite (a file under the data directory) or PostgreSQL, with the
//! same schema and the same migrations. Queries are written once, with `$n`
//! parameters both databases read, and run through one small interface.

use crate::chain::{self, GENESIS};
use crate::receipt::{self, Choices, Fingerprints, Receipt, Source, Stored};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The SQLite file inside the data directory.
pub const SQLITE_FILE: &str = "receipts.sqlite3";

/// Each migration once, in order; never edit one that has shipped, add one.
const MIGRATIONS: &[(i64, &str)] = &[(
    1,
    "CREATE TABLE config_versions (
        sha256 TEXT PRIMARY KEY,
        fp_analytics TEXT NOT NULL,
        fp_marketing TEXT NOT NULL,
        revision BIGINT NOT NULL,
        edition TEXT NOT NULL,
        languages TEXT NOT NULL,
        first_seen BIGINT NOT NULL,
        config TEXT NOT NULL
    );
    CREATE INDEX config_versions_by_fingerprints ON config_versions (fp_analytics, fp_marketing, revision, edition);
    CREATE TABLE receipts (
        seq BIGINT PRIMARY KEY,
        receipt_id TEXT NOT NULL UNIQUE,
        body_digest TEXT NOT NULL,
        consent_id TEXT NOT NULL,
        decided_at BIGINT NOT NULL,
        received_at BIGINT NOT NULL,
        analytics BIGINT NOT NULL,
        marketing BIGINT NOT NULL,
        vendors TEXT,
        fp_analytics TEXT NOT NULL,
        fp_marketing TEXT NOT NULL,
        revision BIGINT NOT NULL,
        edition TEXT NOT NULL,
        source TEXT NOT NULL,
        lang TEXT NOT NULL,
        path TEXT NOT NULL,
        dnt BIGINT NOT NULL,
        gpc BIGINT NOT NULL,
        config_sha256 TEXT NOT NULL REFERENCES config_versions (sha256),
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX receipts_by_consent ON receipts (consent_id, seq);
    CREATE INDEX receipts_by_received ON receipts (received_at);
    CREATE INDEX receipts_by_decided ON receipts (decided_at);
    CREATE TABLE chain (
        id BIGINT PRIMARY KEY,
        head_seq BIGINT NOT NULL,
        head_hash TEXT NOT NULL,
        anchor_seq BIGINT NOT NULL,
        anchor_hash TEXT NOT NULL,
        last_received_at BIGINT NOT NULL
    );
    INSERT INTO chain VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000',
        0, '0000000000000000000000000000000000000000000000000000000000000000', 0);",
)];

/// The columns of a stored receipt, in `Stored` order.
const COLS: &str = "seq, receipt_id, consent_id, decided_at, received_at, analytics, marketing, vendors, \
    fp_analytics, fp_marketing, revision, edition, source, lang, path, dnt, gpc, config_sha256, prev_hash, hash";
const COL_KINDS: &[Col] = &[
    Col::Int,
    Col::Text,
    Col::Text,
    Col::Int,
    Col::Int,
    Col::Int,
    Col::Int,
    Col::OptText,
    Col::Text,
    Col::Text,
    Col::Int,
    Col::Text,
    Col::Text,
    Col::Text,
    Col::Text,
    Col::Int,
    Col::Int,
    Col::Text,
    Col::Text,
    Col::Text,
];

/// Where the receipts are kept.
#[derive(Debug, Clone)]
pub enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Target {
    pub fn describe(&self) -> String {
        match self {
            Target::Sqlite(dir) => format!("SQLite at {}", dir.join(SQLITE_FILE).display()),
            // The URL may hold a password: name the database kind only.
            Target::Postgres(_) => "PostgreSQL".to_owned(),
        }
    }
}

#[derive(Debug)]
pub enum StoreError {
    Sqlite(rusqlite::Error),
    Postgres(tokio_postgres::Error),
    Io(PathBuf, std::io::Error),
    /// A stored value the collector did not write (edited by hand, or another schema).
    Corrupt(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Sqlite(e) => write!(f, "SQLite: {e}"),
            StoreError::Postgres(e) => {
                // tokio-postgres puts the server's message in the source.
                match std::error::Error::source(e) {
                    Some(inner) => write!(f, "PostgreSQL: {e}: {inner}"),
                    None => write!(f, "PostgreSQL: {e}"),
                }
            }
            StoreError::Io(path, e) => write!(f, "{}: {e}", path.display()),
            StoreError::Corrupt(why) => write!(f, "the database holds a value the collector did not write: {why}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e)
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        StoreError::Postgres(e)
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Col {
    Int,
    Text,
    OptText,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    Int(i64),
    Text(String),
    Null,
}

impl Val {
    fn int(&self) -> i64 {
        match self {
            Val::Int(i) => *i,
            _ => 0,
        }
    }
    fn text(&self) -> String {
        match self {
            Val::Text(s) => s.clone(),
            _ => String::new(),
        }
    }
}

/// One open database.
pub enum Store {
    Sqlite(rusqlite::Connection),
    Postgres(tokio_postgres::Client),
}

/// A config version known to the collector.
#[derive(Debug, Clone)]
pub struct ConfigVersion {
    pub sha256: String,
    pub fingerprints: Fingerprints,
    pub revision: u32,
    pub edition: String,
    pub languages: Vec<String>,
    pub first_seen: i64,
    pub config: String,
}

/// What the chain's single row says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainState {
    pub head_seq: i64,
    pub head_hash: String,
    pub anchor_seq: i64,
    pub anchor_hash: String,
    pub last_received_at: i64,
}

/// A receipt checked and matched to a config version, waiting to be written.
#[derive(Debug, Clone)]
pub struct Pending {
    pub receipt: Receipt,
    pub config_sha256: String,
    pub digest: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stored(i64),
    /// The same receipt was stored before (a retry).
    Duplicate,
    /// Another receipt was stored under this receipt id.
    Conflict,
}

pub async fn connect_postgres(url: &str) -> Result<tokio_postgres::Client, StoreError> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!(
                "consent-gate-collector: the connection closed ({}); the next batch reconnects",
                StoreError::Postgres(e)
            );
        }
    });
    Ok(client)
}

fn open_sqlite(dir: &Path) -> Result<rusqlite::Connection, StoreError> {
    std::fs::create_dir_all(dir).map_err(|e| StoreError::Io(dir.to_owned(), e))?;
    let conn = rusqlite::Connection::open(dir.join(SQLITE_FILE))?;
    // WAL: readers (the CLI) never block the writer. synchronous=FULL: a
    // commit is on disk before the collector answers 2xx.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Corrupt(format!("SQLite refused WAL mode (it is in {mode} mode)")));
    }
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;")?;
    Ok(conn)
}

fn to_sqlite(params: &[Val]) -> Vec<rusqlite::types::Value> {
    params
        .iter()
        .map(|p| match p {
            Val::Int(i) => rusqlite::types::Value::Integer(*i),
            Val::Text(s) => rusqlite::types::Value::Text(s.clone()),
            Val::Null => rusqlite::types::Value::Null,
        })
        .collect()
}

fn pg_params(params: &[Val]) -> Vec<Box<dyn tokio_postgres::types::ToSql + Sync + Send>> {
    params
        .iter()
        .map(|p| -> Box<dyn tokio_postgres::types::ToSql + Sync + Send> {
            match p {
                Val::Int(i) => Box::new(*i),
                Val::Text(s) => Box::new(s.clone()),
                Val::Null => Box::new(None::<String>),
            }
        })
        .collect()
}

fn sqlite_rows(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[Val],
    kinds: &[Col],
) -> Result<Vec<Vec<Val>>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(to_sqlite(params)))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut vals = Vec::with_capacity(kinds.len());
        for (i, kind) in kinds.iter().enumerate() {
            vals.push(match kind {
                Col::Int => Val::Int(row.get(i)?),
                Col::Text => Val::Text(row.get(i)?),
                Col::OptText => row.get::<_, Option<String>>(i)?.map_or(Val::Null, Val::Text),
            });
        }
        out.push(vals);
    }
    Ok(out)
}

async fn pg_rows(
    client: &tokio_postgres::Client,
    sql: &str,
    params: &[Val],
    kinds: &[Col],
) -> Result<Vec<Vec<Val>>, StoreError> {
    let boxed = pg_params(params);
    let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
        boxed.iter().map(|b| b.as_ref() as &(dyn tokio_postgres::types::ToSql + Sync)).collect();
    let rows = client.query(sql, &refs).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut vals = Vec::with_capacity(kinds.len());
        for (i, kind) in kinds.iter().enumerate() {
            vals.push(match kind {
                Col::Int => Val::Int(row.try_get(i)?),
                Col::Text => Val::Text(row.try_get(i)?),
                Col::OptText => row.try_get::<_, Option<String>>(i)?.map_or(Val::Null, Val::Text),
            });
        }
        out.push(vals);
    }
    Ok(out)
}

impl Store {
    /// Opens the database, creating it and applying migrations as needed.
    pub async fn open(target: &Target) -> Result<Store, StoreError> {
        let mut store = match target {
            Target::Sqlite(dir) => Store::Sqlite(open_sqlite(dir)?),
            Target::Postgres(url) => Store::Postgres(connect_postgres(url).await?),
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&mut self) -> Result<(), StoreError> {
        const TABLE: &str =
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)";
        let now = crate::time::now_ms();
        let latest = MIGRATIONS.iter().map(|(v, _)| *v).max().unwrap_or(0);
        // Up to date (the usual case, and the CLI's): a read, no write lock.
        const AT: &str = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        let at = match self {
            Store::Sqlite(conn) => conn.query_row(AT, [], |r| r.get::<_, i64>(0)).ok(),
            Store::Postgres(client) => client.query_one(AT, &[]).await.ok().and_then(|r| r.try_get::<_, i64>(0).ok()),
        };
        if at.is_some_and(|at| at >= latest) {
            return Ok(());
        }
        match self {
            Store::Sqlite(conn) => {
                let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                tx.execute_batch(TABLE)?;
                let at: i64 =
                    tx.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))?;
                for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > at) {
                    tx.execute_batch(sql)?;
                    tx.execute("INSERT INTO schema_migrations VALUES ($1, $2)", rusqlite::params![version, now])?;
                }
                tx.commit()?;
            }
            Store::Postgres(client) => {
                let tx = client.transaction().await?;
                // Two collectors starting at once migrate one after the other.
                tx.execute("SELECT pg_advisory_xact_lock(7242018)", &[]).await?;
                tx.batch_execute(TABLE).await?;
                let at: i64 =
                    tx.query_one("SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations", &[]).await?.get(0);
                for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > at) {
                    tx.batch_execute(sql).await?;
                    tx.execute("INSERT INTO schema_migrations VALUES ($1, $2)", &[version, &now]).await?;
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }

    pub async fn rows(&self, sql: &str, params: &[Val], kinds: &[Col]) -> Result<Vec<Vec<Val>>, StoreError> {
        match self {
            Store::Sqlite(conn) => sqlite_rows(conn, sql, params, kinds),
            Store::Postgres(client) => pg_rows(client, sql, params, kinds).await,
        }
    }

    pub async fn execute(&self, sql: &str, params: &[Val]) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(conn) => {
                let n = conn.execute(sql, rusqlite::params_from_iter(to_sqlite(params)))?;
                Ok(n as u64)
            }
            Store::Postgres(client) => {
                let boxed = pg_params(params);
                let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                    boxed.iter().map(|b| b.as_ref() as &(dyn tokio_postgres::types::ToSql + Sync)).collect();
                Ok(client.execute(sql, &refs).await?)
            }
        }
    }

    /// Stores a config version unless it is known already.
    pub async fn add_config_version(&self, v: &ConfigVersion) -> Result<bool, StoreError> {
        let n = self.execute(ADD_VERSION, &version_params(v)).await?;
        Ok(n == 1)
    }

    pub async fn config_versions(&self) -> Result<Vec<ConfigVersion>, StoreError> {
        use Col::*;
        let rows = self
            .rows(
                "SELECT sha256, fp_analytics, fp_marketing, revision, edition, languages, first_seen, config \
                 FROM config_versions ORDER BY first_seen, sha256",
                &[],
                &[Text, Text, Text, Int, Text, Text, Int, Text],
            )
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(ConfigVersion {
                    sha256: r[0].text(),
                    fingerprints: Fingerprints { analytics: r[1].text(), marketing: r[2].text() },
                    revision: u32::try_from(r[3].int()).map_err(|_| {
                        StoreError::Corrupt(format!("config version {} has revision {}", r[0].text(), r[3].int()))
                    })?,
                    edition: r[4].text(),
                    languages: r[5].text().split(',').map(str::to_owned).collect(),
                    first_seen: r[6].int(),
                    config: r[7].text(),
                })
            })
            .collect()
    }

    pub async fn chain_state(&self) -> Result<ChainState, StoreError> {
        use Col::*;
        let rows = self
            .rows(
                "SELECT head_seq, head_hash, anchor_seq, anchor_hash, last_received_at FROM chain WHERE id = 1",
                &[],
                &[Int, Text, Int, Text, Int],
            )
            .await?;
        let r = rows.into_iter().next().ok_or_else(|| StoreError::Corrupt("the chain table has no row".to_owned()))?;
        Ok(ChainState {
            head_seq: r[0].int(),
            head_hash: r[1].text(),
            anchor_seq: r[2].int(),
            anchor_hash: r[3].text(),
            last_received_at: r[4].int(),
        })
    }

    /// Stored receipts matching `filter` (SQL after WHERE, `$n` parameters),
    /// in chain order, at most `limit`. A row that cannot be read back as a
    /// receipt comes as an error naming its seq (verify reports it as a break).
    pub async fn receipts(
        &self,
        filter: &str,
        params: &[Val],
        limit: i64,
    ) -> Result<Vec<Result<Stored, String>>, StoreError> {
        let n = params.len() + 1;
        let sql = format!("SELECT {COLS} FROM receipts WHERE {filter} ORDER BY seq LIMIT ${n}");
        let mut all = params.to_vec();
        all.push(Val::Int(limit));
        Ok(self.rows(&sql, &all, COL_KINDS).await?.into_iter().map(|r| stored_from_row(&r)).collect())
    }

    /// Deletes the receipts received before `cutoff_ms`: always a prefix of
    /// the chain, whose last hash becomes the anchor `verify` starts from.
    pub async fn purge(&mut self, cutoff_ms: i64) -> Result<i64, StoreError> {
        use Col::*;
        const LAST: &str =
            "SELECT seq, hash FROM receipts WHERE seq = (SELECT MAX(seq) FROM receipts WHERE received_at < $1)";
        const DELETE: &str = "DELETE FROM receipts WHERE seq <= $1";
        const ANCHOR: &str = "UPDATE chain SET anchor_seq = $1, anchor_hash = $2 WHERE id = 1";
        match self {
            Store::Sqlite(conn) => {
                let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let last = sqlite_rows(&tx, LAST, &[Val::Int(cutoff_ms)], &[Int, Text])?;
                let Some(last) = last.into_iter().next() else { return Ok(0) };
                let n = tx.execute(DELETE, [last[0].int()])?;
                tx.execute(ANCHOR, rusqlite::params![last[0].int(), last[1].text()])?;
                tx.commit()?;
                Ok(n as i64)
            }
            Store::Postgres(client) => {
                let tx = client.transaction().await?;
                // The writer holds this row while it appends: purge waits for it.
                tx.execute("SELECT head_seq FROM chain WHERE id = 1 FOR UPDATE", &[]).await?;
                let Some(last) = tx.query_opt(LAST, &[&cutoff_ms]).await? else { return Ok(0) };
                let (seq, hash): (i64, String) = (last.get(0), last.get(1));
                let n = tx.execute(DELETE, &[&seq]).await?;
                tx.execute(ANCHOR, &[&seq, &hash]).await?;
                tx.commit().await?;
                Ok(n as i64)
            }
        }
    }

    /// Appends a batch in one transaction (group commit): one fsync for all.
    pub async fn write_batch(&mut self, batch: &[Pending], now_ms: i64) -> Result<Vec<Outcome>, StoreError> {
        match self {
            Store::Sqlite(conn) => sqlite_write_batch(conn, batch, now_ms),
            Store::Postgres(client) => pg_write_batch(client, batch, now_ms).await,
        }
    }
}

fn bool_of(v: &Val, seq: i64, field: &str) -> Result<bool, String> {
    match v {
        Val::Int(0) => Ok(false),
        Val::Int(1) => Ok(true),
        other => Err(format!("seq {seq}: {field} is {other:?}, not 0 or 1")),
    }
}

fn stored_from_row(r: &[Val]) -> Result<Stored, String> {
    let seq = r[0].int();
    let vendors = match &r[7] {
        Val::Text(json) => {
            Some(serde_json::from_str(json).map_err(|e| format!("seq {seq}: vendors is not a vendor map: {e}"))?)
        }
        _ => None,
    };
    let source =
        Source::parse(&r[12].text()).ok_or_else(|| format!("seq {seq}: source {:?} is not a source", r[12].text()))?;
    let revision =
        u32::try_from(r[10].int()).map_err(|_| format!("seq {seq}: revision {} is out of range", r[10].int()))?;
    Ok(Stored {
        seq,
        receipt: Receipt {
            v: receipt::RECEIPT_VERSION,
            receipt_id: r[1].text(),
            consent_id: r[2].text(),
            decided_at: r[3].int(),
            choices: Choices {
                analytics: bool_of(&r[5], seq, "analytics")?,
                marketing: bool_of(&r[6], seq, "marketing")?,
            },
            vendors,
            fingerprints: Fingerprints { analytics: r[8].text(), marketing: r[9].text() },
            revision,
            edition: r[11].text(),
            source,
            lang: r[13].text(),
            path: r[14].text(),
            dnt: bool_of(&r[15], seq, "dnt")?,
            gpc: bool_of(&r[16], seq, "gpc")?,
        },
        received_at: r[4].int(),
        config_sha256: r[17].text(),
        prev_hash: r[18].text(),
        hash: r[19].text(),
    })
}

const ADD_VERSION: &str =
    "INSERT INTO config_versions VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (sha256) DO NOTHING";

fn version_params(v: &ConfigVersion) -> Vec<Val> {
    vec![
        Val::Text(v.sha256.clone()),
        Val::Text(v.fingerprints.analytics.clone()),
        Val::Text(v.fingerprints.marketing.clone()),
        Val::Int(i64::from(v.revision)),
        Val::Text(v.edition.clone()),
        Val::Text(v.languages.join(",")),
        Val::Int(v.first_seen),
        Val::Text(v.config.clone()),
    ]
}

/// [`Store::add_config_version`] for the SQLite writer's thread.
pub fn sqlite_add_config_version(conn: &rusqlite::Connection, v: &ConfigVersion) -> Result<bool, StoreError> {
    Ok(conn.execute(ADD_VERSION, rusqlite::params_from_iter(to_sqlite(&version_params(v))))? == 1)
}

/// [`Store::add_config_version`] for the PostgreSQL writer's task.
pub async fn pg_add_config_version(client: &tokio_postgres::Client, v: &ConfigVersion) -> Result<bool, StoreError> {
    let boxed = pg_params(&version_params(v));
    let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
        boxed.iter().map(|b| b.as_ref() as &(dyn tokio_postgres::types::ToSql + Sync)).collect();
    Ok(client.execute(ADD_VERSION, &refs).await? == 1)
}

/// The row values of one new receipt, in table order.
struct NewRow {
    seq: i64,
    p: Pending,
    received_at: i64,
    prev_hash: String,
    hash: String,
}

impl NewRow {
    fn vendors_json(&self) -> Option<String> {
        self.p.receipt.vendors.as_ref().map(|v| serde_json::to_string(v).unwrap_or_default())
    }
}

/// Decides each receipt of a batch against what is stored (`known`: receipt
/// id to digest, for the ids of this batch) and links the new ones.
fn plan_batch(
    batch: &[Pending],
    known: &HashMap<String, String>,
    head: (i64, String),
    received_at: i64,
) -> (Vec<Outcome>, Vec<NewRow>) {
    let (mut seq, mut prev) = head;
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut rows = Vec::new();
    for p in batch {
        let id = p.receipt.receipt_id.as_str();
        let earlier = known.get(id).map(String::as_str).or_else(|| seen.get(id).copied());
        if let Some(digest) = earlier {
            outcomes.push(if digest == p.digest { Outcome::Duplicate } else { Outcome::Conflict });
            continue;
        }
        seq += 1;
        let canonical = receipt::canonical_bytes(seq, received_at, &p.config_sha256, &p.receipt);
        let hash = chain::link(&prev, &canonical);
        seen.insert(id, &p.digest);
        outcomes.push(Outcome::Stored(seq));
        rows.push(NewRow {
            seq,
            p: p.clone(),
            received_at,
            prev_hash: std::mem::replace(&mut prev, hash.clone()),
            hash,
        });
    }
    (outcomes, rows)
}

const INSERT_SQLITE: &str = "INSERT INTO receipts VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)";
const UPDATE_HEAD: &str = "UPDATE chain SET head_seq = $1, head_hash = $2, last_received_at = $3 WHERE id = 1";

pub fn sqlite_write_batch(
    conn: &mut rusqlite::Connection,
    batch: &[Pending],
    now_ms: i64,
) -> Result<Vec<Outcome>, StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let (head_seq, head_hash, last): (i64, String, i64) =
        tx.query_row("SELECT head_seq, head_hash, last_received_at FROM chain WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let mut known = HashMap::new();
    {
        let mut find = tx.prepare_cached("SELECT body_digest FROM receipts WHERE receipt_id = $1")?;
        for p in batch {
            let mut rows = find.query([&p.receipt.receipt_id])?;
            if let Some(row) = rows.next()? {
                known.insert(p.receipt.receipt_id.clone(), row.get::<_, String>(0)?);
            }
        }
    }
    let received_at = now_ms.max(last);
    let (outcomes, rows) = plan_batch(batch, &known, (head_seq, head_hash), received_at);
    if let Some(tail) = rows.last() {
        let mut insert = tx.prepare_cached(INSERT_SQLITE)?;
        for row in &rows {
            let r = &row.p.receipt;
            insert.execute(rusqlite::params![
                row.seq,
                r.receipt_id,
                row.p.digest,
                r.consent_id,
                r.decided_at,
                row.received_at,
                r.choices.analytics,
                r.choices.marketing,
                row.vendors_json(),
                r.fingerprints.analytics,
                r.fingerprints.marketing,
                r.revision,
                r.edition,
                r.source.as_str(),
                r.lang,
                r.path,
                r.dnt,
                r.gpc,
                row.p.config_sha256,
                row.prev_hash,
                row.hash,
            ])?;
        }
        drop(insert);
        tx.execute(UPDATE_HEAD, rusqlite::params![tail.seq, tail.hash, received_at])?;
    }
    tx.commit()?;
    Ok(outcomes)
}

async fn pg_write_batch(
    client: &mut tokio_postgres::Client,
    batch: &[Pending],
    now_ms: i64,
) -> Result<Vec<Outcome>, StoreError> {
    let tx = client.transaction().await?;
    // The chain's row, locked: appends from several collectors, and purges,
    // take turns, so the chain never forks.
    let head =
        tx.query_one("SELECT head_seq, head_hash, last_received_at FROM chain WHERE id = 1 FOR UPDATE", &[]).await?;
    let (head_seq, head_hash, last): (i64, String, i64) = (head.get(0), head.get(1), head.get(2));
    let ids: Vec<&str> = batch.iter().map(|p| p.receipt.receipt_id.as_str()).collect();
    let mut known = HashMap::new();
    for row in tx.query("SELECT receipt_id, body_digest FROM receipts WHERE receipt_id = ANY($1)", &[&ids]).await? {
        known.insert(row.get::<_, String>(0), row.get::<_, String>(1));
    }
    let received_at = now_ms.max(last);
    let (outcomes, rows) = plan_batch(batch, &known, (head_seq, head_hash), received_at);
    if let Some(tail) = rows.last() {
        // One statement for the whole batch: a column of values per array.
        let col_i = |f: &dyn Fn(&NewRow) -> i64| rows.iter().map(f).collect::<Vec<i64>>();
        let col_s = |f: &dyn Fn(&NewRow) -> String| rows.iter().map(f).collect::<Vec<String>>();
        let b = |x: bool| i64::from(x);
        let seq = col_i(&|r| r.seq);
        let receipt_id = col_s(&|r| r.p.receipt.receipt_id.clone());
        let digest = col_s(&|r| r.p.digest.clone());
        let consent_id = col_s(&|r| r.p.receipt.consent_id.clone());
        let decided_at = col_i(&|r| r.p.receipt.decided_at);
        let received = col_i(&|r| r.received_at);
        let analytics = col_i(&|r| b(r.p.receipt.choices.analytics));
        let marketing = col_i(&|r| b(r.p.receipt.choices.marketing));
        let vendors: Vec<Option<String>> = rows.iter().map(NewRow::vendors_json).collect();
        let fp_a = col_s(&|r| r.p.receipt.fingerprints.analytics.clone());
        let fp_m = col_s(&|r| r.p.receipt.fingerprints.marketing.clone());
        let revision = col_i(&|r| i64::from(r.p.receipt.revision));
        let edition = col_s(&|r| r.p.receipt.edition.clone());
        let source = col_s(&|r| r.p.receipt.source.as_str().to_owned());
        let lang = col_s(&|r| r.p.receipt.lang.clone());
        let path = col_s(&|r| r.p.receipt.path.clone());
        let dnt = col_i(&|r| b(r.p.receipt.dnt));
        let gpc = col_i(&|r| b(r.p.receipt.gpc));
        let config = col_s(&|r| r.p.config_sha256.clone());
        let prev = col_s(&|r| r.prev_hash.clone());
        let hash = col_s(&|r| r.hash.clone());
        tx.execute(
            "INSERT INTO receipts SELECT * FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::BIGINT[], \
             $6::BIGINT[], $7::BIGINT[], $8::BIGINT[], $9::TEXT[], $10::TEXT[], $11::TEXT[], $12::BIGINT[], $13::TEXT[], \
             $14::TEXT[], $15::TEXT[], $16::TEXT[], $17::BIGINT[], $18::BIGINT[], $19::TEXT[], $20::TEXT[], $21::TEXT[])",
            &[
                &seq, &receipt_id, &digest, &consent_id, &decided_at, &received, &analytics, &marketing, &vendors, &fp_a,
                &fp_m, &revision, &edition, &source, &lang, &path, &dnt, &gpc, &config, &prev, &hash,
            ],
        )
        .await?;
        tx.execute(UPDATE_HEAD, &[&tail.seq, &tail.hash, &received_at]).await?;
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// The first place the chain does not hold, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub seq: i64,
    pub receipt_id: Option<String>,
    pub why: String,
}

/// Recomputes the whole chain from the anchor, a page at a time.
/// Receipts appended while it runs (a live collector) are left for the next
/// run: it checks up to the head it read first.
pub async fn verify(store: &Store) -> Result<(i64, Option<Break>, ChainState), StoreError> {
    const PAGE: i64 = 5000;
    let state = store.chain_state().await?;
    let (mut seq, mut prev) = (state.anchor_seq, state.anchor_hash.clone());
    if state.anchor_seq == 0 && state.anchor_hash != GENESIS {
        return Ok((
            0,
            Some(Break { seq: 0, receipt_id: None, why: "the chain's anchor was changed".to_owned() }),
            state,
        ));
    }
    let mut checked = 0;
    loop {
        let page = store.receipts("seq > $1 AND seq <= $2", &[Val::Int(seq), Val::Int(state.head_seq)], PAGE).await?;
        let n = page.len() as i64;
        for row in page {
            let stored = match row {
                Ok(s) => s,
                Err(why) => return Ok((checked, Some(Break { seq: seq + 1, receipt_id: None, why }), state)),
            };
            let id = Some(stored.receipt.receipt_id.clone());
            if stored.seq != seq + 1 {
                let why = format!("receipt {} is missing (the next stored one is {})", seq + 1, stored.seq);
                return Ok((checked, Some(Break { seq: seq + 1, receipt_id: None, why }), state));
            }
            if stored.prev_hash != prev {
                let why = "its prev_hash is not the hash of the receipt before it".to_owned();
                return Ok((checked, Some(Break { seq: stored.seq, receipt_id: id, why }), state));
            }
            let canonical =
                receipt::canonical_bytes(stored.seq, stored.received_at, &stored.config_sha256, &stored.receipt);
            let hash = chain::link(&prev, &canonical);
            if hash != stored.hash {
                let why =
                    "its fields do not hash to its stored hash: the row was changed after it was written".to_owned();
                return Ok((checked, Some(Break { seq: stored.seq, receipt_id: id, why }), state));
            }
            seq = stored.seq;
            prev = hash;
            checked += 1;
        }
        if n < PAGE {
            break;
        }
    }
    if seq != state.head_seq || prev != state.head_hash {
        let why = format!("the chain's head says receipt {} but the last stored receipt is {seq}", state.head_seq);
        return Ok((checked, Some(Break { seq: seq + 1, receipt_id: None, why }), state));
    }
    // Rows past the head were not appended by a collector (it moves the head
    // in the same commit): one statement, so a live collector cannot race it.
    let beyond = store
        .rows("SELECT COUNT(*) FROM receipts WHERE seq > (SELECT head_seq FROM chain WHERE id = 1)", &[], &[Col::Int])
        .await?;
    if let Some(n) = beyond.first().map(|r| r[0].int()).filter(|n| *n > 0) {
        let why = format!("{n} receipts lie past the chain's head: they were not written by the collector");
        return Ok((checked, Some(Break { seq: state.head_seq + 1, receipt_id: None, why }), state));
    }
    Ok((checked, None, state))
}
