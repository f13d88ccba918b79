//! Test harness: the collector as a real process on a free port, a real
//! SQLite file or a throwaway PostgreSQL cluster, and a plain HTTP client.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_consent-gate-collector");
pub const LOAD: &str = env!("CARGO_BIN_EXE_receipts-load");

pub fn config_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../www/consent.json")
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh directory under the system's temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("cg-collector-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Where a test's receipts go.
pub enum Backend {
    Sqlite(TempDir),
    Postgres(String),
}

impl Backend {
    pub fn sqlite() -> Backend {
        Backend::Sqlite(TempDir::new("sqlite"))
    }

    pub fn args(&self) -> Vec<String> {
        match self {
            Backend::Sqlite(dir) => vec!["--data-dir".into(), dir.0.display().to_string()],
            Backend::Postgres(url) => vec!["--database".into(), url.clone()],
        }
    }

    /// Runs SQL straight on the database, behind the collector's back.
    pub fn sql(&self, statement: &str) {
        match self {
            Backend::Sqlite(dir) => {
                let conn = rusqlite::Connection::open(dir.0.join("receipts.sqlite3")).expect("open the SQLite file");
                conn.execute_batch(statement).expect("run SQL on SQLite");
            }
            Backend::Postgres(url) => {
                let out = Command::new("psql")
                    .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", statement])
                    .output()
                    .expect("run psql");
                assert!(out.status.success(), "psql failed: {}", String::from_utf8_lossy(&out.stderr));
            }
        }
    }

    /// One column of a query, as text.
    pub fn column(&self, query: &str) -> Vec<String> {
        match self {
            Backend::Sqlite(dir) => {
                let conn = rusqlite::Connection::open(dir.0.join("receipts.sqlite3")).expect("open the SQLite file");
                let mut stmt = conn.prepare(query).expect("prepare");
                let rows = stmt.query_map([], |r| {
                    r.get_ref(0).map(|v| match v {
                        rusqlite::types::ValueRef::Integer(i) => i.to_string(),
                        rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                        other => format!("{other:?}"),
                    })
                });
                rows.expect("query").map(|r| r.expect("row")).collect()
            }
            Backend::Postgres(url) => {
                let out = Command::new("psql")
                    .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url, "-c", query])
                    .output()
                    .expect("run psql");
                assert!(out.status.success(), "psql failed: {}", String::from_utf8_lossy(&out.stderr));
                String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect()
            }
        }
    }

    pub fn count(&self) -> i64 {
        self.column("SELECT COUNT(*) FROM receipts")[0].parse().expect("a count")
    }

    /// `consent-gate-collector receipts <args>`: exit code and stdout.
    pub fn receipts(&self, args: &[&str]) -> (i32, String) {
        let out = Command::new(BIN).arg("receipts").args(self.args()).args(args).output().expect("run the CLI");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !stderr.is_empty() {
            eprintln!("receipts {args:?} stderr: {stderr}");
        }
        (out.status.code().unwrap_or(-1), stdout)
    }
}

/// A running collector; killed on drop.
pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Server {
    pub fn start(backend: &Backend, extra: &[&str]) -> Server {
        Server::start_with(backend, &config_path(), extra)
    }

    pub fn start_with(backend: &Backend, config: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0", "--config"])
            .arg(config)
            .args(backend.args())
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the collector");
        let stdout = child.stdout.take().expect("the collector's stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("read the collector's first line");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("the collector did not start: {line:?}"))
            .to_owned();
        Server { child, addr }
    }

    pub fn kill9(&mut self) {
        let _ = self.child.kill(); // SIGKILL on Unix
        let _ = self.child.wait();
    }

    pub fn post(&self, body: &[u8]) -> (u16, String) {
        self.request("POST", "/consent/receipts", &[("Content-Type", "application/json")], body)
    }

    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
        let (status, _, body) = self.exchange(method, path, headers, body);
        (status, body)
    }

    /// One request on its own connection: status, headers (lower-case names), body.
    pub fn exchange(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, Vec<(String, String)>, String) {
        let mut s = TcpStream::connect(&self.addr).expect("connect to the collector");
        s.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).expect("send");
        // A server may answer (413) before reading a large body: ignore a reset.
        let _ = s.write_all(body);
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no HTTP answer: {text:?}"));
        let mut lines = head.lines();
        let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("a status");
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        (status, headers, body.to_owned())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// The config's fingerprints, revision, edition, computed as the browser does.
pub struct Version {
    pub fp_a: String,
    pub fp_m: String,
    pub revision: u32,
    pub edition: String,
}

pub fn version() -> Version {
    version_of(&std::fs::read_to_string(config_path()).expect("read www/consent.json"))
}

pub fn version_of(text: &str) -> Version {
    use consent_gate::core::category::Category;
    use consent_gate::core::config::Config;
    use consent_gate::core::fingerprint::category_fingerprint;
    let config = Config::from_json(text).expect("the config passes its checks");
    Version {
        fp_a: category_fingerprint(&config, Category::Analytics),
        fp_m: category_fingerprint(&config, Category::Marketing),
        revision: config.revision,
        edition: config.policy.edition.clone(),
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as i64
}

/// A valid receipt, numbered `n`.
pub fn receipt(n: u64) -> serde_json::Value {
    let v = version();
    serde_json::json!({
        "v": 1,
        "receiptId": format!("{:08x}-1111-4222-8333-{:012x}", n, n),
        "consentId": format!("{:032x}", 0xc0ffee_u64 + n / 2),
        "decidedAt": now_ms() - 1000,
        "choices": { "analytics": n % 2 == 0, "marketing": n % 3 == 0 },
        "vendors": { "ga4": n % 2 == 0, "criteo": false },
        "fingerprints": { "analytics": v.fp_a, "marketing": v.fp_m },
        "revision": v.revision,
        "edition": v.edition,
        "source": "preferences",
        "lang": "lv",
        "path": "/en/cookie-policy.html",
        "dnt": false,
        "gpc": n % 5 == 0
    })
}

pub fn bytes(v: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(v).expect("serialize")
}

/// A throwaway PostgreSQL cluster: initdb (as `postgres` when run as root)
/// into a temp dir, started on a free loopback port, stopped and removed on drop.
pub struct Postgres {
    dir: PathBuf,
    bin: PathBuf,
    pub port: u16,
    as_postgres: bool,
}

fn postgres_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|b| b.join("initdb").exists() && b.join("pg_ctl").exists())
        .collect();
    found.sort();
    found.pop()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

impl Postgres {
    /// None (with a loud message) when PostgreSQL is not installed, unless
    /// CONSENT_GATE_REQUIRE_POSTGRES=1, which the suite sets: then it fails.
    pub fn start() -> Option<Postgres> {
        let Some(bin) = postgres_bin() else {
            let required = std::env::var("CONSENT_GATE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
            assert!(!required, "PostgreSQL is required (CONSENT_GATE_REQUIRE_POSTGRES=1) but /usr/lib/postgresql/*/bin/initdb is missing: apt-get install postgresql");
            eprintln!("\n!!!!! SKIPPED: the PostgreSQL tests: no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql) !!!!!\n");
            return None;
        };
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("cg-collector-pg-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the cluster's dir");
        let as_postgres = is_root();
        if as_postgres {
            let ok =
                Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir).status().expect("chown").success();
            assert!(ok, "chown the cluster's dir to postgres");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let pg = Postgres { dir, bin, port, as_postgres };
        let data = pg.dir.join("data");
        pg.run(
            "initdb",
            &["-D", &data.display().to_string(), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"],
        );
        let opts = format!("-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=on", pg.dir.display());
        pg.run(
            "pg_ctl",
            &[
                "-D",
                &data.display().to_string(),
                "-o",
                &opts,
                "-l",
                &pg.dir.join("log").display().to_string(),
                "-w",
                "start",
            ],
        );
        Some(pg)
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let out = if self.as_postgres {
            Command::new("runuser").args(["-u", "postgres", "--"]).arg(&exe).args(args).output()
        } else {
            Command::new(&exe).args(args).output()
        }
        .expect("run a PostgreSQL tool");
        assert!(
            out.status.success(),
            "{tool} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Stops and starts the server (every connection to it drops).
    pub fn restart(&self) {
        let data = self.dir.join("data").display().to_string();
        // With -l: a server writing to our pipe would keep `output()` waiting.
        let log = self.dir.join("log").display().to_string();
        self.run("pg_ctl", &["-D", &data, "-l", &log, "-m", "fast", "-w", "restart"]);
    }

    /// A fresh database in the cluster, as a URL.
    pub fn database(&self, name: &str) -> String {
        let admin = format!("postgres://postgres@127.0.0.1:{}/postgres", self.port);
        let out = Command::new("psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", &admin, "-c", &format!("CREATE DATABASE {name}")])
            .output()
            .expect("run psql");
        assert!(out.status.success(), "create database: {}", String::from_utf8_lossy(&out.stderr));
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.dir.join("data").display().to_string();
        let exe = self.bin.join("pg_ctl");
        let _ = if self.as_postgres {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&exe)
                .args(["-D", &data, "-m", "immediate", "-w", "stop"])
                .output()
        } else {
            Command::new(&exe).args(["-D", &data, "-m", "immediate", "-w", "stop"]).output()
        };
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
