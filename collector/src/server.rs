//! `serve`: the public endpoint. Every request is checked (origin, rate,
//! type, size, schema, config version) before anything reaches the single
//! writer, which appends receipts to the chain in batches, one commit each.

use crate::receipt::{self, Receipt, MAX_BODY_BYTES};
use crate::store::{self, ConfigVersion, Outcome, Pending, Store, StoreError, Target};
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// The endpoint's path.
pub const RECEIPTS_PATH: &str = "/consent/receipts";
/// Receipts waiting for the writer; beyond this the collector answers 503
/// (the browser's outbox retries later) instead of queueing without bound.
pub const QUEUE: usize = 8192;
/// The most receipts one commit takes.
pub const MAX_BATCH: usize = 1024;
/// The most clients the rate limiter tracks at once.
pub const MAX_CLIENTS: usize = 100_000;
/// How long a client may take to send its body.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Options {
    pub target: Target,
    pub config: PathBuf,
    pub listen: SocketAddr,
    pub allow_origins: Vec<String>,
    /// Receipts per second per client (0: no limit) and the burst allowed.
    pub rate: f64,
    pub burst: f64,
    /// Directories served beside the endpoint (the demo site), each under a
    /// URL prefix ending in '/'.
    pub static_dirs: Vec<(String, PathBuf)>,
    /// Take the client's address from this header (set by a reverse proxy
    /// in front) for the rate limit, instead of the connection's.
    pub client_ip_header: Option<String>,
    /// Open connections at most; more wait in the kernel's backlog.
    pub max_connections: usize,
    /// A connection with no read or write for this long is closed.
    pub idle_timeout: Duration,
}

#[derive(Debug)]
pub enum ServeError {
    Config(String),
    Store(StoreError),
    Io(String, std::io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Config(why) => write!(f, "{why}"),
            ServeError::Store(e) => write!(f, "{e}"),
            ServeError::Io(what, e) => write!(f, "{what}: {e}"),
        }
    }
}

impl std::error::Error for ServeError {}

impl From<StoreError> for ServeError {
    fn from(e: StoreError) -> Self {
        ServeError::Store(e)
    }
}

/// A config version a receipt can match: its fingerprints, revision and edition.
type VersionKey = (String, String, u32, String);

#[derive(Clone)]
struct Known {
    sha256: String,
    languages: Vec<String>,
}

type ReceiptReply = oneshot::Sender<Result<Outcome, String>>;

enum Job {
    Receipt(Pending, ReceiptReply),
    /// A new consent.json version, stored before any receipt that needs it.
    Version(ConfigVersion, oneshot::Sender<Result<(), String>>),
}

/// How often, at most, a receipt of an unknown version makes the collector
/// look whether the config file changed.
pub const CONFIG_CHECK: Duration = Duration::from_secs(1);

/// The config file as last read: to see whether it changed.
struct ConfigFile {
    path: PathBuf,
    stamp: Option<(std::time::SystemTime, u64)>,
    checked: Option<Instant>,
}

fn stamp(path: &std::path::Path) -> Option<(std::time::SystemTime, u64)> {
    std::fs::metadata(path).ok().and_then(|m| Some((m.modified().ok()?, m.len())))
}

struct App {
    known: std::sync::RwLock<HashMap<VersionKey, Known>>,
    config: tokio::sync::Mutex<ConfigFile>,
    client_ip_header: Option<header::HeaderName>,
    allow_origins: Vec<String>,
    limiter: Mutex<Limiter>,
    writer: mpsc::Sender<Job>,
    static_dirs: Vec<(String, PathBuf)>,
}

/// Reads and checks consent.json as the browser does, and makes the version
/// the collector stores.
pub fn load_config(path: &std::path::Path) -> Result<ConfigVersion, ServeError> {
    use consent_gate::core::category::Category;
    use consent_gate::core::config::{text_of_file, Config, MAX_CONFIG_BYTES};
    use consent_gate::core::fingerprint::category_fingerprint;
    let bytes =
        std::fs::read(path).map_err(|e| ServeError::Io(format!("cannot read the config {}", path.display()), e))?;
    if bytes.len() > MAX_CONFIG_BYTES {
        return Err(ServeError::Config(format!(
            "{} is {} bytes, more than the {MAX_CONFIG_BYTES} a config may take",
            path.display(),
            bytes.len()
        )));
    }
    let text = text_of_file(&bytes).into_owned();
    let config = Config::from_json(&text)
        .map_err(|e| ServeError::Config(format!("{} fails its checks:\n{e}", path.display())))?;
    Ok(ConfigVersion {
        sha256: crate::chain::sha256_hex(text.as_bytes()),
        fingerprints: receipt::Fingerprints {
            analytics: category_fingerprint(&config, Category::Analytics),
            marketing: category_fingerprint(&config, Category::Marketing),
        },
        revision: config.revision,
        edition: config.policy.edition.clone(),
        languages: config.languages.clone(),
        first_seen: crate::time::now_ms(),
        config: text,
    })
}

pub async fn serve(opts: Options) -> Result<(), ServeError> {
    let current = load_config(&opts.config)?;
    let store = Store::open(&opts.target).await?;
    if store.add_config_version(&current).await? {
        eprintln!("consent-gate-collector: stored a new config version {}", current.sha256);
    }
    let mut known = HashMap::new();
    // Oldest first: of versions that differ only in texts, the latest wins,
    // and the current file above all.
    for v in store.config_versions().await?.into_iter().chain([current.clone()]) {
        let key = (v.fingerprints.analytics.clone(), v.fingerprints.marketing.clone(), v.revision, v.edition.clone());
        known.insert(key, Known { sha256: v.sha256, languages: v.languages });
    }
    let versions = known.len();
    let client_ip_header = match opts.client_ip_header {
        Some(name) => Some(
            header::HeaderName::from_bytes(name.to_ascii_lowercase().as_bytes())
                .map_err(|_| ServeError::Config(format!("--client-ip-header {name:?} is not a header name")))?,
        ),
        None => None,
    };
    let config_file = ConfigFile { stamp: stamp(&opts.config), path: opts.config.clone(), checked: None };
    let (tx, rx) = mpsc::channel(QUEUE);
    let writer = spawn_writer(store, opts.target.clone(), rx);
    let app = Arc::new(App {
        known: std::sync::RwLock::new(known),
        config: tokio::sync::Mutex::new(config_file),
        client_ip_header,
        allow_origins: opts.allow_origins,
        limiter: Mutex::new(Limiter::new(opts.rate, opts.burst)),
        writer: tx,
        static_dirs: opts.static_dirs,
    });
    let router = Router::new()
        .route(RECEIPTS_PATH, post(receive).options(preflight).fallback(wrong_method))
        .fallback(other)
        .with_state(app);
    let listener = tokio::net::TcpListener::bind(opts.listen)
        .await
        .map_err(|e| ServeError::Io(format!("cannot listen on {}", opts.listen), e))?;
    let addr = listener.local_addr().map_err(|e| ServeError::Io("cannot read the listening address".to_owned(), e))?;
    // The first line on stdout: scripts and tests read the port from it.
    println!(
        "consent-gate-collector: listening on http://{addr}{RECEIPTS_PATH} ({}, {versions} config versions known)",
        opts.target.describe()
    );
    let listener = crate::listener::Capped::new(listener, opts.max_connections, opts.idle_timeout);
    let served = axum::serve(listener, router.into_make_service_with_connect_info::<crate::listener::Peer>())
        .with_graceful_shutdown(shutdown_signal())
        .await;
    // The router (and with it the queue's sender) is gone: the writer
    // commits what is queued and stops.
    if let Some(handle) = writer {
        let _ = handle.join();
    }
    served.map_err(|e| ServeError::Io("the server stopped".to_owned(), e))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// Takes what is queued, up to a batch, after the first job.
fn fill(first: Job, rx: &mut mpsc::Receiver<Job>) -> Vec<Job> {
    let mut jobs = vec![first];
    while jobs.len() < MAX_BATCH {
        match rx.try_recv() {
            Ok(job) => jobs.push(job),
            Err(_) => break,
        }
    }
    jobs
}

/// Splits a batch of jobs into the config versions and the receipts.
type Split = (Vec<(ConfigVersion, oneshot::Sender<Result<(), String>>)>, Vec<Pending>, Vec<ReceiptReply>);

fn split(jobs: Vec<Job>) -> Split {
    let (mut versions, mut batch, mut replies) = (Vec::new(), Vec::new(), Vec::new());
    for job in jobs {
        match job {
            Job::Receipt(p, reply) => {
                batch.push(p);
                replies.push(reply);
            }
            Job::Version(v, reply) => versions.push((v, reply)),
        }
    }
    (versions, batch, replies)
}

fn answer(replies: Vec<ReceiptReply>, result: Result<Vec<Outcome>, StoreError>) {
    match result {
        Ok(outcomes) => {
            for (reply, outcome) in replies.into_iter().zip(outcomes) {
                let _ = reply.send(Ok(outcome));
            }
        }
        Err(e) => {
            eprintln!("consent-gate-collector: a batch of {} receipts was not stored: {e}", replies.len());
            for reply in replies {
                let _ = reply.send(Err(e.to_string()));
            }
        }
    }
}

/// SQLite: a thread of its own (its calls block). PostgreSQL: a task that
/// reconnects when the connection drops.
fn spawn_writer(store: Store, target: Target, mut rx: mpsc::Receiver<Job>) -> Option<std::thread::JoinHandle<()>> {
    match store {
        Store::Sqlite(mut conn) => Some(std::thread::spawn(move || {
            while let Some(first) = rx.blocking_recv() {
                let (versions, batch, replies) = split(fill(first, &mut rx));
                for (v, reply) in versions {
                    let _ =
                        reply.send(store::sqlite_add_config_version(&conn, &v).map(|_| ()).map_err(|e| e.to_string()));
                }
                if !batch.is_empty() {
                    answer(replies, store::sqlite_write_batch(&mut conn, &batch, crate::time::now_ms()));
                }
            }
        })),
        Store::Postgres(client) => {
            tokio::spawn(async move {
                let mut store = Store::Postgres(client);
                while let Some(first) = rx.recv().await {
                    let (versions, batch, replies) = split(fill(first, &mut rx));
                    if let (Store::Postgres(c), Target::Postgres(url)) = (&store, &target) {
                        if c.is_closed() {
                            match store::connect_postgres(url).await {
                                Ok(c) => store = Store::Postgres(c),
                                Err(e) => {
                                    for (_, reply) in versions {
                                        let _ = reply.send(Err(e.to_string()));
                                    }
                                    answer(replies, Err(e));
                                    continue;
                                }
                            }
                        }
                    }
                    if let Store::Postgres(client) = &store {
                        for (v, reply) in versions {
                            let added = store::pg_add_config_version(client, &v).await;
                            let _ = reply.send(added.map(|_| ()).map_err(|e| e.to_string()));
                        }
                    }
                    if !batch.is_empty() {
                        answer(replies, store.write_batch(&batch, crate::time::now_ms()).await);
                    }
                }
            });
            None
        }
    }
}

/// A per-client token bucket. The address lives in memory only, and only
/// while the client has spent tokens; nothing about it is ever stored.
pub struct Limiter {
    rate: f64,
    burst: f64,
    buckets: HashMap<IpAddr, (f64, Instant)>,
    last_sweep: Option<Instant>,
}

impl Limiter {
    pub fn new(rate: f64, burst: f64) -> Limiter {
        Limiter { rate, burst: burst.max(1.0), buckets: HashMap::new(), last_sweep: None }
    }

    /// IPv6 clients are counted per /64, which one host usually holds whole.
    fn client(ip: IpAddr) -> IpAddr {
        match ip {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let s = v6.segments();
                    IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
                }
            },
            v4 => v4,
        }
    }

    pub fn allow(&mut self, ip: IpAddr, now: Instant) -> bool {
        if self.rate <= 0.0 {
            return true;
        }
        let key = Limiter::client(ip);
        let (rate, burst) = (self.rate, self.burst);
        let level = |(tokens, at): &(f64, Instant)| (tokens + now.duration_since(*at).as_secs_f64() * rate).min(burst);
        if !self.buckets.contains_key(&key) && self.buckets.len() >= MAX_CLIENTS {
            // Forget clients whose bucket is full again, at most once a second.
            if self.last_sweep.is_none_or(|t| now.duration_since(t) >= Duration::from_secs(1)) {
                self.last_sweep = Some(now);
                self.buckets.retain(|_, b| level(b) < burst);
            }
            if self.buckets.len() >= MAX_CLIENTS {
                // Full of active clients: new ones wait rather than grow the map.
                return false;
            }
        }
        let bucket = self.buckets.entry(key).or_insert((burst, now));
        let tokens = level(bucket);
        if tokens >= 1.0 {
            *bucket = (tokens - 1.0, now);
            true
        } else {
            *bucket = (tokens, now);
            false
        }
    }
}

fn json_response(status: StatusCode, value: serde_json::Value) -> Response {
    let mut res = (status, value.to_string()).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn refuse(status: StatusCode, field: Option<&str>, message: impl Into<String>) -> Response {
    let message = message.into();
    match field {
        Some(field) => json_response(status, serde_json::json!({ "error": message, "field": field })),
        None => json_response(status, serde_json::json!({ "error": message })),
    }
}

enum OriginCheck {
    /// No Origin header (not a browser's cross-origin request).
    Absent,
    Allowed(HeaderValue),
    Refused,
}

impl App {
    fn lookup(&self, key: &VersionKey) -> Option<Known> {
        self.known.read().ok().and_then(|known| known.get(key).cloned())
    }

    /// When the config file changed since it was read (looked at once a
    /// second at most), stores its new version and knows it from then on:
    /// a site that deploys a new consent.json needs no restart of the
    /// collector. True when a version was added.
    async fn pick_up_config(&self) -> bool {
        let mut file = self.config.lock().await;
        if file.checked.is_some_and(|t| t.elapsed() < CONFIG_CHECK) {
            return false;
        }
        file.checked = Some(Instant::now());
        let now = stamp(&file.path);
        if now.is_none() || now == file.stamp {
            return false;
        }
        file.stamp = now;
        let version = match load_config(&file.path) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("consent-gate-collector: the changed config is not used: {e}");
                return false;
            }
        };
        let (reply, stored) = oneshot::channel();
        if self.writer.send(Job::Version(version.clone(), reply)).await.is_err() {
            return false;
        }
        match stored.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                eprintln!("consent-gate-collector: the changed config could not be stored: {e}");
                // Try again at the next check.
                file.stamp = None;
                return false;
            }
            Err(_) => return false,
        }
        eprintln!("consent-gate-collector: picked up the changed config, version {}", version.sha256);
        let key = (version.fingerprints.analytics, version.fingerprints.marketing, version.revision, version.edition);
        if let Ok(mut known) = self.known.write() {
            known.insert(key, Known { sha256: version.sha256, languages: version.languages });
        }
        true
    }

    fn check_origin(&self, headers: &HeaderMap) -> OriginCheck {
        let Some(origin) = headers.get(header::ORIGIN) else { return OriginCheck::Absent };
        let Ok(text) = origin.to_str() else { return OriginCheck::Refused };
        let allowed = if self.allow_origins.is_empty() {
            // Same origin: the Origin's host and port are the Host asked for.
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
            let authority = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
            host.is_some() && authority == host
        } else {
            self.allow_origins.iter().any(|o| o == text)
        };
        if allowed {
            OriginCheck::Allowed(origin.clone())
        } else {
            OriginCheck::Refused
        }
    }
}

fn with_cors(mut res: Response, origin: &OriginCheck) -> Response {
    if let OriginCheck::Allowed(origin) = origin {
        res.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        res.headers_mut().insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    res
}

const ORIGIN_REFUSED: &str =
    "this collector takes receipts from its own site only; the request's Origin is not allowed (see --allow-origin)";

async fn preflight(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let origin = app.check_origin(&headers);
    if let OriginCheck::Refused = origin {
        return refuse(StatusCode::FORBIDDEN, Some("Origin"), ORIGIN_REFUSED);
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    let h = res.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    with_cors(res, &origin)
}

async fn wrong_method(method: Method) -> Response {
    refuse(
        StatusCode::METHOD_NOT_ALLOWED,
        None,
        format!("{RECEIPTS_PATH} takes POST with a JSON receipt, not {method}"),
    )
}

async fn receive(
    State(app): State<Arc<App>>,
    ConnectInfo(crate::listener::Peer(peer)): ConnectInfo<crate::listener::Peer>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let origin = app.check_origin(&headers);
    let res = receive_checked(&app, peer, &headers, body, &origin).await;
    with_cors(res, &origin)
}

async fn receive_checked(
    app: &App,
    peer: SocketAddr,
    headers: &HeaderMap,
    body: Body,
    origin: &OriginCheck,
) -> Response {
    if let OriginCheck::Refused = origin {
        return refuse(StatusCode::FORBIDDEN, Some("Origin"), ORIGIN_REFUSED);
    }
    let client = app
        .client_ip_header
        .as_ref()
        .and_then(|name| headers.get(name))
        .and_then(|v| v.to_str().ok())
        // X-Forwarded-For lists hops: the last is the one our proxy saw.
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse::<IpAddr>().ok())
        .unwrap_or(peer.ip());
    let allowed = app.limiter.lock().map(|mut l| l.allow(client, Instant::now())).unwrap_or(false);
    if !allowed {
        let mut res = refuse(StatusCode::TOO_MANY_REQUESTS, None, "too many receipts from this client; retry later");
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
        return res;
    }
    // application/json, or text/plain as navigator.sendBeacon sends a string.
    let media = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media != "application/json" && media != "text/plain" {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Some("Content-Type"),
            "a receipt is sent as application/json",
        );
    }
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    let too_large = || {
        refuse(StatusCode::PAYLOAD_TOO_LARGE, Some("body"), format!("a receipt takes at most {MAX_BODY_BYTES} bytes"))
    };
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    let bytes = match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, MAX_BODY_BYTES)).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => return too_large(),
        Err(_) => return refuse(StatusCode::REQUEST_TIMEOUT, Some("body"), "the body took too long to arrive"),
    };
    let receipt = match Receipt::parse(&bytes, crate::time::now_ms()) {
        Ok(r) => r,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, Some(e.field), format!("{}: {}", e.field, e.message)),
    };
    let key = (
        receipt.fingerprints.analytics.clone(),
        receipt.fingerprints.marketing.clone(),
        receipt.revision,
        receipt.edition.clone(),
    );
    let mut version = app.lookup(&key);
    if version.is_none() && app.pick_up_config().await {
        version = app.lookup(&key);
    }
    let Some(version) = version else {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("fingerprints"),
            "the receipt's fingerprints, revision and edition match no consent.json version this collector knows; \
             start it with the site's current --config",
        );
    };
    if !version.languages.contains(&receipt.lang) {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("lang"),
            format!("lang must be one of the config's languages ({})", version.languages.join(", ")),
        );
    }
    let digest = receipt::body_digest(&receipt);
    let receipt_id = receipt.receipt_id.clone();
    let (reply, answer) = oneshot::channel();
    let job = Job::Receipt(Pending { receipt, config_sha256: version.sha256.clone(), digest }, reply);
    if app.writer.try_send(job).is_err() {
        let mut res = refuse(StatusCode::SERVICE_UNAVAILABLE, None, "the collector is busy; retry later");
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return res;
    }
    match answer.await {
        Ok(Ok(Outcome::Stored(_))) => {
            json_response(StatusCode::CREATED, serde_json::json!({ "receiptId": receipt_id, "status": "stored" }))
        }
        Ok(Ok(Outcome::Duplicate)) => {
            json_response(StatusCode::OK, serde_json::json!({ "receiptId": receipt_id, "status": "already-stored" }))
        }
        Ok(Ok(Outcome::Conflict)) => refuse(
            StatusCode::CONFLICT,
            Some("receiptId"),
            "another receipt was stored under this receiptId; make a new id for each decision",
        ),
        Ok(Err(_)) | Err(_) => {
            refuse(StatusCode::SERVICE_UNAVAILABLE, None, "the receipt could not be stored; retry later")
        }
    }
}

/// Anything else: the demo site's files when `--static` is given, else 404.
async fn other(State(app): State<Arc<App>>, method: Method, uri: axum::http::Uri) -> Response {
    let not_found =
        || refuse(StatusCode::NOT_FOUND, None, format!("nothing here; receipts go to POST {RECEIPTS_PATH}"));
    if app.static_dirs.is_empty() {
        return not_found();
    }
    if method != Method::GET && method != Method::HEAD {
        return refuse(StatusCode::METHOD_NOT_ALLOWED, None, "only GET and HEAD are served here");
    }
    let path = uri.path();
    // The longest prefix that holds the path ("/pkg" is "/pkg/").
    let mount = app
        .static_dirs
        .iter()
        .filter(|(prefix, _)| path.starts_with(prefix.as_str()) || format!("{path}/") == *prefix)
        .max_by_key(|(prefix, _)| prefix.len());
    let Some((prefix, dir)) = mount else { return not_found() };
    let rest = path.get(prefix.len()..).unwrap_or("");
    // Only plain names: no '..', no hidden files, no backslashes, no escapes.
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    if parts.iter().any(|p| p.starts_with('.') || p.contains('\\') || p.contains('%')) {
        return not_found();
    }
    let mut file = dir.clone();
    file.extend(&parts);
    if path.ends_with('/') || file.is_dir() {
        file.push("index.html");
    }
    const MAX_STATIC: u64 = 16 << 20;
    match tokio::fs::metadata(&file).await {
        Ok(m) if m.is_file() && m.len() <= MAX_STATIC => {}
        _ => return not_found(),
    }
    let Ok(bytes) = tokio::fs::read(&file).await else { return not_found() };
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let kind = match ext {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    let mut res = bytes.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limiter_refuses_past_the_burst_and_refills() {
        let mut l = Limiter::new(1.0, 3.0);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let t = Instant::now();
        assert!((0..3).all(|_| l.allow(ip, t)));
        assert!(!l.allow(ip, t));
        assert!(l.allow("192.0.2.2".parse().unwrap(), t));
        assert!(l.allow(ip, t + Duration::from_millis(1100)));
        // One /64 is one client.
        let mut l = Limiter::new(1.0, 1.0);
        assert!(l.allow("2001:db8::1".parse().unwrap(), t));
        assert!(!l.allow("2001:db8::2".parse().unwrap(), t));
    }
}
