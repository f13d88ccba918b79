//! A bounded load generator for the collector: `--connections` keep-alive
//! connections POST distinct, valid receipts until `--count` are sent or
//! `--duration` is over, whichever comes first, then it reports receipts/s
//! and latency percentiles. `--acked FILE` lists the receipt ids that got a
//! 2xx (the crash test checks each is stored).

use clap::Parser;
use consent_gate::core::category::Category;
use consent_gate::core::config::{text_of_file, Config};
use consent_gate::core::fingerprint::category_fingerprint;
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[derive(Parser)]
#[command(name = "receipts-load", about = "Bounded load on a consent-gate collector (stops by itself)")]
struct Args {
    /// The collector's address, like 127.0.0.1:8081.
    #[arg(long)]
    addr: SocketAddr,
    /// The consent.json the collector serves (for the fingerprints).
    #[arg(long)]
    config: std::path::PathBuf,
    /// Stop after this many seconds (at most 300).
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Stop after this many receipts (at most 5,000,000).
    #[arg(long, default_value_t = 100_000)]
    count: u64,
    /// Concurrent keep-alive connections (at most 1024).
    #[arg(long, default_value_t = 64)]
    connections: u32,
    /// Write the receipt ids answered 2xx here, one a line.
    #[arg(long)]
    acked: Option<std::path::PathBuf>,
    /// Reuse receipt ids from this run id instead of a fresh one (retries).
    #[arg(long)]
    run: Option<u64>,
}

struct Template {
    fp_a: String,
    fp_m: String,
    revision: u32,
    edition: String,
    languages: Vec<String>,
}

const SOURCES: [&str; 6] = ["bar-accept", "bar-reject", "preferences", "api", "browser-signal", "page-button"];

fn body(t: &Template, run: u64, i: u64, now: i64) -> (String, String) {
    let receipt_id = format!("{run:016x}{i:016x}");
    let consent = format!("{:016x}{:016x}", run, i / 3);
    let (a, m) = (i % 2 == 0, i % 3 == 0);
    let lang = &t.languages[(i as usize) % t.languages.len()];
    let source = SOURCES[(i as usize) % SOURCES.len()];
    let edition = serde_json::to_string(&t.edition).unwrap_or_default();
    let body = format!(
        r#"{{"v":1,"receiptId":"{receipt_id}","consentId":"{consent}","decidedAt":{now},"choices":{{"analytics":{a},"marketing":{m}}},"fingerprints":{{"analytics":"{}","marketing":"{}"}},"revision":{},"edition":{edition},"source":"{source}","lang":"{lang}","path":"/load/{i}","dnt":false,"gpc":{}}}"#,
        t.fp_a,
        t.fp_m,
        t.revision,
        i % 5 == 0
    );
    (receipt_id, body)
}

async fn post(stream: &mut BufReader<TcpStream>, host: &str, body: &str) -> std::io::Result<u16> {
    let request = format!(
        "POST /consent/receipts HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.get_mut().write_all(request.as_bytes()).await?;
    let mut line = String::new();
    stream.read_line(&mut line).await?;
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut length = 0usize;
    loop {
        line.clear();
        if stream.read_line(&mut line).await? == 0 {
            return Err(std::io::Error::other("connection closed"));
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut rest = vec![0u8; length.min(1 << 20)];
    stream.read_exact(&mut rest).await?;
    Ok(status)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let (duration, count, connections) =
        (args.duration.min(300), args.count.min(5_000_000), args.connections.clamp(1, 1024));
    let text = match std::fs::read(&args.config) {
        Ok(b) => text_of_file(&b).into_owned(),
        Err(e) => {
            eprintln!("receipts-load: cannot read {}: {e}", args.config.display());
            return std::process::ExitCode::from(2);
        }
    };
    let Ok(config) = Config::from_json(&text) else {
        eprintln!("receipts-load: {} fails its checks (run the checker)", args.config.display());
        return std::process::ExitCode::from(2);
    };
    let template = Arc::new(Template {
        fp_a: category_fingerprint(&config, Category::Analytics),
        fp_m: category_fingerprint(&config, Category::Marketing),
        revision: config.revision,
        edition: config.policy.edition.clone(),
        languages: config.languages.clone(),
    });
    let now_ms =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
    let run = args.run.unwrap_or(now_ms as u64);
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(duration);
    let host = args.addr.to_string();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (next, template, host, addr) = (next.clone(), template.clone(), host.clone(), args.addr);
        tasks.push(tokio::spawn(async move {
            let mut latencies: Vec<u32> = Vec::new();
            let mut acked: Vec<String> = Vec::new();
            let (mut statuses, mut errors) = (std::collections::BTreeMap::<u16, u64>::new(), 0u64);
            let mut conn: Option<BufReader<TcpStream>> = None;
            while Instant::now() < deadline {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    break;
                }
                let (id, body) = body(&template, run, i, now_ms);
                if conn.is_none() {
                    match tokio::time::timeout(Duration::from_secs(2), TcpStream::connect(addr)).await {
                        Ok(Ok(s)) => {
                            let _ = s.set_nodelay(true);
                            conn = Some(BufReader::new(s));
                        }
                        _ => {
                            errors += 1;
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            continue;
                        }
                    }
                }
                let Some(stream) = conn.as_mut() else { continue };
                let t = Instant::now();
                match tokio::time::timeout(Duration::from_secs(10), post(stream, &host, &body)).await {
                    Ok(Ok(status)) => {
                        latencies.push(t.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
                        *statuses.entry(status).or_default() += 1;
                        if (200..300).contains(&status) {
                            acked.push(id);
                        }
                    }
                    _ => {
                        errors += 1;
                        conn = None;
                    }
                }
            }
            (latencies, acked, statuses, errors)
        }));
    }
    let (mut latencies, mut acked, mut statuses, mut errors) =
        (Vec::new(), Vec::new(), std::collections::BTreeMap::new(), 0);
    for t in tasks {
        if let Ok((l, a, s, e)) = t.await {
            latencies.extend(l);
            acked.extend(a);
            for (k, v) in s {
                *statuses.entry(k).or_insert(0u64) += v;
            }
            errors += e;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies.get(((latencies.len() as f64 - 1.0) * p).round() as usize).map_or(0.0, |us| f64::from(*us) / 1000.0)
    };
    let ok = acked.len();
    if let Some(path) = &args.acked {
        if let Err(e) = std::fs::write(path, acked.join("\n") + if ok > 0 { "\n" } else { "" }) {
            eprintln!("receipts-load: cannot write {}: {e}", path.display());
            return std::process::ExitCode::from(2);
        }
    }
    let statuses: Vec<String> = statuses.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    // A closed stdout (a pipe to `head`) is not worth a panic.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "receipts-load: {} answered ({}), {errors} connection errors, in {elapsed:.2} s: {:.0} receipts/s stored, p50 {:.2} ms, p99 {:.2} ms, {connections} connections",
        latencies.len(),
        statuses.join(", "),
        ok as f64 / elapsed,
        pct(0.50),
        pct(0.99)
    );
    let _ = writeln!(
        out,
        "{}",
        serde_json::json!({"answered": latencies.len(), "stored2xx": ok, "errors": errors, "seconds": elapsed,
            "perSecond": ok as f64 / elapsed, "p50ms": pct(0.5), "p99ms": pct(0.99), "connections": connections, "run": run})
    );
    std::process::ExitCode::SUCCESS
}
