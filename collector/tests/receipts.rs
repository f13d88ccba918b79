//! The collector end to end, as a process: the same scenarios against a real
//! SQLite file and against a throwaway PostgreSQL cluster.

mod common;

use common::{bytes, receipt, Backend, Postgres, Server, LOAD};
use serde_json::{json, Value};
use std::process::Command;

/// Method, path, headers, expected status.
type Request = (&'static str, &'static str, Vec<(&'static str, &'static str)>, u16);

fn no_limit() -> [&'static str; 2] {
    ["--rate", "0"]
}

/// A stored receipt has every field it was sent with; a retry is stored
/// once and answered 2xx; another receipt under the same id is refused.
fn stores_every_field_once(b: &Backend) {
    let server = Server::start(b, &no_limit());
    let r = receipt(1);
    let (status, body) = server.post(&bytes(&r));
    assert_eq!(status, 201, "{body}");
    assert!(body.contains("\"stored\""), "{body}");
    let (status, body) = server.post(&bytes(&r));
    assert_eq!(status, 200, "a retry: {body}");
    assert!(body.contains("already-stored"), "{body}");
    let mut other = r.clone();
    other["choices"]["marketing"] = json!(true);
    let (status, body) = server.post(&bytes(&other));
    assert_eq!(status, 409, "{body}");
    assert_eq!(b.count(), 1);

    let (code, out) = b.receipts(&["export", "--from", "2020-01-01", "--to", "2099-12-31", "--format", "jsonl"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    let stored: Value = serde_json::from_str(lines[0]).expect("a JSON line");
    for (key, value) in r.as_object().expect("an object") {
        assert_eq!(&stored[key], value, "field {key}");
    }
    assert_eq!(stored["seq"], json!(1));
    assert_eq!(stored["hash"].as_str().map(str::len), Some(64));

    let (code, out) = b.receipts(&["export", "--from", "2020-01-01", "--to", "2099-12-31", "--format", "csv"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.contains(r#""{""criteo"":false,""ga4"":false}""#), "the vendors JSON, quoted: {out}");

    let consent = r["consentId"].as_str().expect("an id");
    let (code, out) = b.receipts(&["show", consent]);
    assert_eq!(code, 0);
    assert!(out.contains("analytics: refused; marketing: refused"), "{out}");
    assert!(
        out.contains("Google Analytics (ga4 G-DEMO2024LV): analytics, cookies kept up to 180 days"),
        "the disclosure: {out}"
    );
    assert!(out.contains("Criteo (criteo 12345): marketing, cookies kept up to 1 year"), "{out}");
    let (code, out) = b.receipts(&["show", "ffffffffffffffffffffffffffffffff"]);
    assert_eq!(code, 1, "{out}");

    let (code, out) = b.receipts(&["stats"]);
    assert_eq!(code, 0);
    let total = out.lines().find(|l| l.starts_with("total")).expect("a total line");
    let numbers: Vec<&str> = total.split_whitespace().collect();
    assert_eq!(&numbers[1..6], ["1", "0", "0", "0", "1"], "receipts, analytics, marketing, both, neither: {out}");
}

/// Every kind of bad body, each refused with a 4xx and a JSON message;
/// nothing stored; the server still takes a good receipt after.
fn refuses_bad_input(b: &Backend) -> usize {
    let server = Server::start(b, &no_limit());
    let good = receipt(7);
    let good_text = String::from_utf8(bytes(&good)).expect("utf-8");
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();

    // Malformed: every prefix of a good body, and things that are not receipts.
    for cut in (0..good_text.len()).step_by(9) {
        cases.push((format!("prefix {cut}"), good_text.as_bytes()[..cut].to_vec()));
    }
    for junk in ["", "null", "[]", "1", "\"receipt\"", "{", "}", "{}", "{\"v\":1}", "\u{feff}{}", "\0", "not json"] {
        cases.push((format!("junk {junk:?}"), junk.as_bytes().to_vec()));
    }
    cases.push(("invalid utf-8".into(), vec![0x7b, 0xff, 0xfe, 0x7d]));
    cases.push(("duplicate key".into(), format!("{{\"v\":1,{}", &good_text[1..]).into_bytes()));
    cases.push(("trailing garbage".into(), format!("{good_text} x").into_bytes()));
    cases.push(("two receipts".into(), format!("{good_text}{good_text}").into_bytes()));
    // Oversized.
    for size in [4097, 10_000, 1_000_000] {
        let mut big = good.clone();
        big["path"] = json!(format!("/{}", "a".repeat(size)));
        cases.push((format!("oversized {size}"), bytes(&big)));
    }
    let mut many = good.clone();
    many["vendors"] = Value::Object((0..65).map(|i| (format!("v{i}"), json!(true))).collect());
    cases.push(("65 vendors".into(), bytes(&many)));
    let fields: Vec<String> = good.as_object().expect("an object").keys().cloned().collect();
    // Wrong types, and each field missing.
    let wrong =
        [json!("x"), json!(1), json!(-1), json!(1.5), json!(true), json!(null), json!([]), json!({}), json!(1e300)];
    for field in &fields {
        for w in &wrong {
            // An empty vendor map, or null, is the same as none.
            let same_type = w.is_boolean() && good[field].is_boolean();
            if &good[field] == w || same_type || (field == "vendors" && (*w == json!({}) || w.is_null())) {
                continue;
            }
            let mut bad = good.clone();
            bad[field] = w.clone();
            cases.push((format!("{field} = {w}"), bytes(&bad)));
        }
        if field != "vendors" {
            let mut bad = good.clone();
            bad.as_object_mut().expect("an object").remove(field);
            cases.push((format!("no {field}"), bytes(&bad)));
        }
    }
    for (path, w) in [("choices", "necessary"), ("fingerprints", "necessary"), ("choices", "analytics2")] {
        let mut bad = good.clone();
        bad[path][w] = json!(true);
        cases.push((format!("{path}.{w} unknown"), bytes(&bad)));
    }
    for (k, v) in [("ip", json!("192.0.2.1")), ("userAgent", json!("Mozilla/5.0")), ("__proto__", json!({}))] {
        let mut bad = good.clone();
        bad[k] = v;
        cases.push((format!("unknown field {k}"), bytes(&bad)));
    }
    // Out of range.
    for (field, v) in [
        ("v", json!(2)),
        ("decidedAt", json!(0)),
        ("decidedAt", json!(common::now_ms() + 3 * 86_400_000)),
        ("revision", json!(4_294_967_296_u64)),
        ("receiptId", json!("")),
        ("consentId", json!("0123")),
        ("lang", json!("x")),
        ("path", json!("relative")),
        ("path", json!("/a?email=someone@example.lv")),
        ("path", json!("/a#frag")),
        ("source", json!("Bar-Accept")),
    ] {
        let mut bad = good.clone();
        bad[field] = v.clone();
        cases.push((format!("{field} = {v}"), bytes(&bad)));
    }
    // Well-formed, but for no config version this collector knows.
    for (field, v) in [
        ("fingerprints", json!({"analytics": "0000000000000000", "marketing": good["fingerprints"]["marketing"]})),
        ("fingerprints", json!({"analytics": good["fingerprints"]["analytics"], "marketing": "ffffffffffffffff"})),
        ("revision", json!(2)),
        ("edition", json!("2099-01-01")),
        ("lang", json!("de")),
    ] {
        let mut bad = good.clone();
        bad[field] = v.clone();
        cases.push((format!("unknown version: {field} = {v}"), bytes(&bad)));
    }
    // SQL and HTML in every string.
    let payloads = [
        "'; DROP TABLE receipts; --",
        "\" OR \"1\"=\"1",
        "1); DELETE FROM receipts WHERE (1=1",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(1)>",
        "../../../etc/passwd",
        "a\u{0}b",
        "\u{202e}gnp.exe",
        "%27%20OR%201=1--",
    ];
    let strings = [
        "/receiptId",
        "/consentId",
        "/edition",
        "/lang",
        "/path",
        "/source",
        "/fingerprints/analytics",
        "/fingerprints/marketing",
    ];
    for at in strings {
        for p in payloads {
            for value in [p.to_owned(), format!("{}{p}", good.pointer(at).and_then(Value::as_str).unwrap_or(""))] {
                // A percent-encoded or dotted path is what location.pathname gives: not an injection.
                let path_chars =
                    |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@%/".contains(&b));
                if at == "/path" && value.starts_with('/') && path_chars(&value) {
                    continue;
                }
                let mut bad = good.clone();
                *bad.pointer_mut(at).expect("a field") = json!(value);
                cases.push((format!("{at} = {value:?}"), bytes(&bad)));
            }
        }
    }
    for p in payloads {
        let mut bad = good.clone();
        bad["vendors"] = json!({ p: true });
        cases.push((format!("vendor key {p:?}"), bytes(&bad)));
    }

    for (name, body) in &cases {
        let (status, answer) = server.post(body);
        assert!((400..500).contains(&status), "case {name}: status {status}, {answer}");
        let message: Value =
            serde_json::from_str(answer.trim()).unwrap_or_else(|_| panic!("case {name}: not JSON: {answer}"));
        assert!(message["error"].as_str().is_some_and(|e| !e.is_empty()), "case {name}: {answer}");
        // No message echoes markup back.
        assert!(
            !answer.contains("<script") && !answer.contains("<img") && !answer.contains("<svg"),
            "case {name}: {answer}"
        );
    }
    // Requests that are wrong before the body.
    let body = bytes(&good);
    let requests: [Request; 6] = [
        ("GET", "/consent/receipts", vec![], 405),
        ("PUT", "/consent/receipts", vec![("Content-Type", "application/json")], 405),
        ("POST", "/consent/receipts", vec![("Content-Type", "application/x-www-form-urlencoded")], 415),
        ("POST", "/consent/receipts", vec![], 415),
        (
            "POST",
            "/consent/receipts",
            vec![("Content-Type", "application/json"), ("Origin", "https://evil.example")],
            403,
        ),
        ("POST", "/elsewhere", vec![("Content-Type", "application/json")], 404),
    ];
    for (method, path, headers, expected) in &requests {
        let (status, answer) = server.request(method, path, headers, &body);
        assert_eq!(status, *expected, "{method} {path} {headers:?}: {answer}");
        assert!(answer.contains("\"error\""), "{answer}");
    }
    assert_eq!(b.count(), 0, "nothing of the bad input was stored");
    let tables = b.column("SELECT COUNT(*) FROM config_versions");
    assert_eq!(tables, ["1"], "the tables are all still there");
    let (status, answer) = server.post(&body);
    assert_eq!(status, 201, "the server still takes a good receipt: {answer}");
    assert_eq!(b.count(), 1);
    let tried = cases.len() + requests.len();
    eprintln!("bad input: {tried} cases tried, all refused with a 4xx and a JSON message, none stored");
    tried
}

/// The chain verifies, then any change to a stored row is found, at that row.
fn verify_finds_an_edited_row(b: &Backend) {
    let server = Server::start(b, &no_limit());
    for n in 0..6 {
        assert_eq!(server.post(&bytes(&receipt(100 + n))).0, 201);
    }
    drop(server);
    let (code, out) = b.receipts(&["verify"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("chain verified: 6 receipts"), "{out}");

    b.sql("UPDATE receipts SET marketing = 1 - marketing WHERE seq = 3");
    let (code, out) = b.receipts(&["verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("BROKEN at receipt 3"), "{out}");
    assert!(out.contains("changed after it was written"), "{out}");
    b.sql("UPDATE receipts SET marketing = 1 - marketing WHERE seq = 3");
    assert_eq!(b.receipts(&["verify"]).0, 0, "restored, it verifies again");

    b.sql("UPDATE receipts SET path = '/elsewhere' WHERE seq = 5");
    let (code, out) = b.receipts(&["verify"]);
    assert_eq!(code, 1);
    assert!(out.contains("BROKEN at receipt 5"), "{out}");
    b.sql("UPDATE receipts SET path = '/en/cookie-policy.html' WHERE seq = 5");
    assert_eq!(b.receipts(&["verify"]).0, 0);

    b.sql("INSERT INTO receipts SELECT seq + 100, receipt_id || 'x', body_digest, consent_id, decided_at, received_at, analytics, \
           marketing, vendors, fp_analytics, fp_marketing, revision, edition, source, lang, path, dnt, gpc, config_sha256, prev_hash, hash \
           FROM receipts WHERE seq = 6");
    let (code, out) = b.receipts(&["verify"]);
    assert_eq!(code, 1, "a row appended behind the collector's back: {out}");
    assert!(out.contains("past the chain's head"), "{out}");
    b.sql("DELETE FROM receipts WHERE seq = 106");
    assert_eq!(b.receipts(&["verify"]).0, 0);

    b.sql("DELETE FROM receipts WHERE seq = 4");
    let (code, out) = b.receipts(&["verify"]);
    assert_eq!(code, 1);
    assert!(out.contains("BROKEN at receipt 4") && out.contains("missing"), "{out}");

    b.sql("DELETE FROM receipts WHERE seq >= 4");
    let (code, out) = b.receipts(&["verify"]);
    assert_eq!(code, 1, "a cut tail is found through the chain's head: {out}");
}

/// Purge deletes a prefix and the rest still verifies from its anchor.
fn purge_keeps_the_chain(b: &Backend) {
    let server = Server::start(b, &no_limit());
    for n in 0..5 {
        assert_eq!(server.post(&bytes(&receipt(200 + n))).0, 201);
    }
    let (code, out) = b.receipts(&["purge"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("purged 0 receipts") && out.contains("older than 2 years"), "the default retention: {out}");
    // Age the first two (their hashes no longer hold, but they go).
    b.sql("UPDATE receipts SET received_at = 1000 WHERE seq <= 2");
    let (code, out) = b.receipts(&["purge", "--older-than", "400 days"]);
    assert_eq!(code, 0);
    assert!(out.contains("purged 2 receipts"), "{out}");
    assert_eq!(b.count(), 3);
    let (code, out) = b.receipts(&["verify"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("chain verified: 3 receipts, from the purge anchor after receipt 2"), "{out}");
    // New receipts chain on.
    assert_eq!(server.post(&bytes(&receipt(300))).0, 201);
    assert_eq!(b.receipts(&["verify"]).0, 0);
    let (code, _) = b.receipts(&["purge", "--older-than", "forever"]);
    assert_eq!(code, 2, "a bad lifetime is a usage error");
}

/// kill -9 in the middle of a load: every receipt answered 2xx is stored,
/// and the chain verifies after the restart.
fn crash_loses_nothing_answered(b: &Backend, tag: &str) {
    let mut server = Server::start(b, &no_limit());
    let acked = common::TempDir::new("acked");
    let acked_file = acked.0.join("acked.txt");
    let mut load = Command::new(LOAD)
        .args(["--addr", &server.addr, "--duration", "4", "--count", "200000", "--connections", "32", "--acked"])
        .arg(&acked_file)
        .arg("--config")
        .arg(common::config_path())
        .spawn()
        .expect("start the load");
    std::thread::sleep(std::time::Duration::from_millis(1000));
    let (code, out) = b.receipts(&["verify"]);
    assert_eq!(code, 0, "{tag}: verify while receipts arrive: {out}");
    std::thread::sleep(std::time::Duration::from_millis(500));
    server.kill9();
    let status = load.wait().expect("the load ends by itself");
    assert!(status.success());
    let acked: Vec<String> =
        std::fs::read_to_string(&acked_file).expect("the acked ids").lines().map(str::to_owned).collect();
    assert!(acked.len() > 100, "{tag}: the load was running when the collector was killed ({} acked)", acked.len());
    let server = Server::start(b, &no_limit());
    let stored: std::collections::HashSet<String> = b.column("SELECT receipt_id FROM receipts").into_iter().collect();
    let missing: Vec<&String> = acked.iter().filter(|id| !stored.contains(*id)).collect();
    assert!(
        missing.is_empty(),
        "{tag}: {} of {} receipts answered 2xx are gone, like {:?}",
        missing.len(),
        acked.len(),
        missing.first()
    );
    let (code, out) = b.receipts(&["verify"]);
    assert_eq!(code, 0, "{tag}: {out}");
    // And it takes receipts again after the restart.
    assert_eq!(server.post(&bytes(&receipt(999))).0, 201);
    eprintln!(
        "{tag} crash: {} acked before kill -9, all present; {} stored; chain verified",
        acked.len(),
        stored.len()
    );
}

/// Same-site CORS, and the per-client rate limit.
fn origin_and_rate(b: &Backend) {
    let server = Server::start(b, &["--allow-origin", "https://www.example.lv", "--rate", "1", "--burst", "3"]);
    let (status, headers, _) = server.exchange(
        "OPTIONS",
        "/consent/receipts",
        &[("Origin", "https://www.example.lv"), ("Access-Control-Request-Method", "POST")],
        b"",
    );
    assert_eq!(status, 204);
    assert!(headers.contains(&("access-control-allow-origin".into(), "https://www.example.lv".into())), "{headers:?}");
    let (status, _, _) = server.exchange("OPTIONS", "/consent/receipts", &[("Origin", "https://evil.example")], b"");
    assert_eq!(status, 403);
    let json = ("Content-Type", "application/json");
    let (status, headers, body) = server.exchange(
        "POST",
        "/consent/receipts",
        &[json, ("Origin", "https://www.example.lv")],
        &bytes(&receipt(400)),
    );
    assert_eq!(status, 201, "{body}");
    assert!(headers.contains(&("access-control-allow-origin".into(), "https://www.example.lv".into())));
    let statuses: Vec<u16> = (1..5).map(|n| server.post(&bytes(&receipt(400 + n))).0).collect();
    assert_eq!(statuses, [201, 201, 429, 429], "a burst of 3, then the limit");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(server.post(&bytes(&receipt(410))).0, 201, "refilled after a second");
    assert_eq!(b.count(), 4);
}

/// A changed consent.json is picked up without a restart: receipts for the
/// new version are taken (after a 422 while the file was the old one), the
/// old version's still are, and a broken file changes nothing.
fn picks_up_a_changed_config(b: &Backend) {
    let dir = common::TempDir::new("config");
    let file = dir.0.join("consent.json");
    let original = std::fs::read_to_string(common::config_path()).expect("read the config");
    std::fs::write(&file, &original).expect("write the config");
    let server = Server::start_with(b, &file, &no_limit());
    let changed = original.replacen("\"180 days\"", "\"90 days\"", 1);
    assert_ne!(changed, original);
    let new = common::version_of(&changed);
    let mut r = receipt(500);
    r["fingerprints"]["analytics"] = json!(new.fp_a);
    let (status, body) = server.post(&bytes(&r));
    assert_eq!(status, 422, "{body}");
    std::fs::write(&file, &changed).expect("change the config");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (status, body) = server.post(&bytes(&r));
    assert_eq!(status, 201, "the changed config was picked up: {body}");
    assert_eq!(server.post(&bytes(&receipt(501))).0, 201, "the old version is still known");
    assert_eq!(b.column("SELECT COUNT(*) FROM config_versions"), ["2"]);
    std::fs::write(&file, "{ broken").expect("break the config");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let mut other = receipt(502);
    other["fingerprints"]["analytics"] = json!("0000000000000000");
    assert_eq!(server.post(&bytes(&other)).0, 422);
    assert_eq!(server.post(&bytes(&receipt(503))).0, 201, "a broken file changes nothing");
    let (code, out) = b.receipts(&["show", r["consentId"].as_str().expect("an id")]);
    assert_eq!(code, 0);
    assert!(out.contains("Google Analytics (ga4 G-DEMO2024LV): analytics, cookies kept up to 90 days"), "{out}");
}

/// Behind a proxy, the rate limit counts the address the proxy names.
fn client_ip_header(b: &Backend) {
    let server = Server::start(b, &["--rate", "1", "--burst", "1", "--client-ip-header", "X-Forwarded-For"]);
    let post = |n: u64, ip: &str| {
        server
            .request(
                "POST",
                "/consent/receipts",
                &[("Content-Type", "application/json"), ("X-Forwarded-For", ip)],
                &bytes(&receipt(n)),
            )
            .0
    };
    assert_eq!(post(600, "203.0.113.9, 192.0.2.1"), 201);
    assert_eq!(post(601, "192.0.2.1"), 429, "the same client");
    assert_eq!(post(602, "203.0.113.9, 192.0.2.2"), 201, "another client behind the same proxy");
}

/// Open connections are capped, and an idle one is closed: neither can be
/// hoarded by a client.
#[test]
fn connections_are_capped_and_idle_ones_closed() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    let b = Backend::sqlite();
    let server = Server::start(&b, &["--max-connections", "2", "--idle-timeout", "1", "--rate", "0"]);
    let idle: Vec<TcpStream> = (0..2).map(|_| TcpStream::connect(&server.addr).expect("connect")).collect();
    let body = bytes(&receipt(700));
    let request = format!(
        "POST /consent/receipts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut third = TcpStream::connect(&server.addr).expect("the kernel still takes it into the backlog");
    third.write_all(request.as_bytes()).and_then(|_| third.write_all(&body)).expect("send");
    third.set_read_timeout(Some(std::time::Duration::from_millis(400))).expect("timeout");
    let mut answer = Vec::new();
    assert!(third.read_to_end(&mut answer).is_err() && answer.is_empty(), "not served while two connections are open");
    // The idle two are closed after a second, and the third is served.
    third.set_read_timeout(Some(std::time::Duration::from_secs(10))).expect("timeout");
    third.read_to_end(&mut answer).expect("an answer");
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 201"), "{}", String::from_utf8_lossy(&answer));
    for mut s in idle {
        let mut rest = Vec::new();
        s.set_read_timeout(Some(std::time::Duration::from_secs(5))).expect("timeout");
        assert_eq!(s.read_to_end(&mut rest).map(|_| rest.len()).unwrap_or(0), 0, "an idle connection was closed");
    }
}

#[test]
fn sqlite_picks_up_a_changed_config() {
    picks_up_a_changed_config(&Backend::sqlite());
}

#[test]
fn sqlite_client_ip_header() {
    client_ip_header(&Backend::sqlite());
}

#[test]
fn sqlite_stores_every_field_once() {
    stores_every_field_once(&Backend::sqlite());
}

#[test]
fn sqlite_refuses_bad_input() {
    let tried = refuses_bad_input(&Backend::sqlite());
    assert!(tried > 300, "{tried} cases");
}

#[test]
fn sqlite_verify_finds_an_edited_row() {
    verify_finds_an_edited_row(&Backend::sqlite());
}

#[test]
fn sqlite_purge_keeps_the_chain() {
    purge_keeps_the_chain(&Backend::sqlite());
}

#[test]
fn sqlite_crash_loses_nothing_answered() {
    crash_loses_nothing_answered(&Backend::sqlite(), "SQLite");
}

#[test]
fn sqlite_origin_and_rate() {
    origin_and_rate(&Backend::sqlite());
}

#[test]
fn sqlite_file_is_created_with_wal_and_migrations() {
    let b = Backend::sqlite();
    drop(Server::start(&b, &[]));
    assert_eq!(b.column("PRAGMA journal_mode"), ["wal"]);
    assert_eq!(b.column("SELECT version FROM schema_migrations"), ["1"]);
    // A second start migrates nothing and keeps the one config version.
    drop(Server::start(&b, &[]));
    assert_eq!(b.column("SELECT COUNT(*) FROM config_versions"), ["1"]);
}

#[test]
fn serves_the_demo_site_beside_the_endpoint() {
    let b = Backend::sqlite();
    let www = common::config_path().parent().expect("www").display().to_string();
    let root = common::config_path().parent().and_then(|p| p.parent()).expect("the repository").join("collector/src");
    let pkg = format!("/pkg/={}", root.display());
    let server = Server::start(&b, &["--static", &www, "--static", &pkg]);
    let (status, _, body) = server.exchange("GET", "/pkg/main.rs", &[], b"");
    assert_eq!(status, 200, "a file under a prefix");
    assert!(body.contains("consent-gate-collector"));
    assert_eq!(server.request("GET", "/pkg/../main.rs", &[], b"").0, 404);
    let (status, headers, body) = server.exchange("GET", "/", &[], b"");
    assert_eq!(status, 200);
    assert!(body.contains("<html"), "{body}");
    assert!(headers.iter().any(|(k, v)| k == "content-type" && v.starts_with("text/html")));
    assert_eq!(server.request("GET", "/consent.json", &[], b"").0, 200);
    assert_eq!(server.request("GET", "/../Cargo.toml", &[], b"").0, 404);
    assert_eq!(server.request("GET", "/%2e%2e/Cargo.toml", &[], b"").0, 404);
    assert_eq!(server.request("GET", "/nothing-here.html", &[], b"").0, 404);
}

/// Every scenario again on PostgreSQL, each in a fresh database of one
/// throwaway cluster.
#[test]
fn postgres_all_scenarios() {
    let Some(pg) = Postgres::start() else { return };
    stores_every_field_once(&Backend::Postgres(pg.database("fields")));
    let tried = refuses_bad_input(&Backend::Postgres(pg.database("bad")));
    assert!(tried > 300);
    verify_finds_an_edited_row(&Backend::Postgres(pg.database("verify")));
    purge_keeps_the_chain(&Backend::Postgres(pg.database("purge")));
    crash_loses_nothing_answered(&Backend::Postgres(pg.database("crash")), "PostgreSQL");
    origin_and_rate(&Backend::Postgres(pg.database("origin")));
    picks_up_a_changed_config(&Backend::Postgres(pg.database("config")));
    client_ip_header(&Backend::Postgres(pg.database("proxy")));

    // PostgreSQL restarts under a running collector: it reconnects, and what
    // it answered 2xx before is there.
    let b = Backend::Postgres(pg.database("restart"));
    let server = Server::start(&b, &no_limit());
    assert_eq!(server.post(&bytes(&receipt(800))).0, 201);
    pg.restart();
    let statuses: Vec<u16> = (801..806).map(|n| server.post(&bytes(&receipt(n))).0).collect();
    assert!(statuses.iter().all(|s| *s == 201 || *s == 503), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&201), "reconnected: {statuses:?}");
    let stored = statuses.iter().filter(|s| **s == 201).count() as i64 + 1;
    assert_eq!(b.count(), stored, "{statuses:?}");
    assert_eq!(b.receipts(&["verify"]).0, 0);
}
