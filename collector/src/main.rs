//! consent-gate-collector: keeps the consent receipts browsers send, in
//! SQLite by default or PostgreSQL, hash-chained, and answers for them.

mod chain;
mod cli;
mod listener;
mod receipt;
mod server;
mod store;
mod time;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "consent-gate-collector",
    version,
    about = "Keeps consent-gate's consent receipts (SQLite by default, PostgreSQL at scale), hash-chained"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct StorageArgs {
    /// The directory of the SQLite database (created on first start).
    #[arg(long, default_value = "collector-data")]
    data_dir: PathBuf,
    /// A postgres:// URL: keep the receipts in PostgreSQL instead of SQLite.
    /// Also read from CONSENT_GATE_DATABASE, which keeps a password off the
    /// command line.
    #[arg(long, env = "CONSENT_GATE_DATABASE")]
    database: Option<String>,
}

impl StorageArgs {
    fn target(&self) -> Result<store::Target, cli::CliError> {
        match &self.database {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(store::Target::Postgres(url.clone()))
            }
            Some(_) => Err(cli::CliError::Usage(
                "--database takes a postgres:// URL (without it, receipts go to SQLite under --data-dir)".to_owned(),
            )),
            None => Ok(store::Target::Sqlite(self.data_dir.clone())),
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve POST /consent/receipts.
    Serve {
        /// The site's consent.json: its version is stored, and receipts must match a known version.
        #[arg(long)]
        config: PathBuf,
        #[command(flatten)]
        storage: StorageArgs,
        /// The address to listen on (port 0: any free port, printed at start).
        #[arg(long, default_value = "127.0.0.1:8081")]
        listen: SocketAddr,
        /// An origin allowed to send receipts, like https://www.example.lv
        /// (repeat for more). Without it, only the collector's own origin is.
        #[arg(long = "allow-origin")]
        allow_origins: Vec<String>,
        /// Receipts a second per client (IP address, in memory only); 0 turns the limit off.
        #[arg(long, default_value_t = 1.0)]
        rate: f64,
        /// Receipts a client may send at once before the rate applies (an outbox flushing).
        #[arg(long, default_value_t = 30.0)]
        burst: f64,
        /// Serve a directory's files as well (the demo site): DIR under /, or
        /// /PREFIX/=DIR under that prefix; repeat for more.
        #[arg(long = "static", value_name = "[/PREFIX/=]DIR")]
        static_dirs: Vec<String>,
        /// Behind a reverse proxy: the header it puts the client's address in
        /// (X-Real-IP, or X-Forwarded-For, whose last entry is used), for the
        /// rate limit. Only when nothing but the proxy can reach the collector.
        #[arg(long)]
        client_ip_header: Option<String>,
        /// Open connections at most (more wait to be accepted).
        #[arg(long, default_value_t = 1000)]
        max_connections: usize,
        /// Seconds a connection may stay without a read or a write.
        #[arg(long, default_value_t = 30)]
        idle_timeout: u64,
    },
    /// Operations on the stored receipts.
    Receipts {
        #[command(flatten)]
        storage: StorageArgs,
        #[command(subcommand)]
        command: ReceiptsCommand,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
    Jsonl,
}

#[derive(Subcommand)]
enum ReceiptsCommand {
    /// Recompute the hash chain and report the first break (exit status 1 on a break).
    Verify,
    /// One visitor's choices, oldest first, with the disclosure each was given for.
    Show {
        /// The consent id (32 hex digits) the visitor cites.
        consent_id: String,
    },
    /// Receipts decided between two days (UTC), inclusive, to stdout.
    Export {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: Format,
    },
    /// Delete receipts received longer ago than this (the chain stays verifiable).
    Purge {
        /// A lifetime like "2 years", "18 months", "400 days".
        #[arg(long, default_value = cli::DEFAULT_RETENTION)]
        older_than: String,
    },
    /// Counts per day, per choice and per source.
    Stats {
        /// First day (UTC, YYYY-MM-DD); default 30 days before --to.
        #[arg(long)]
        from: Option<String>,
        /// Last day (UTC); default today.
        #[arg(long)]
        to: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build();
    let runtime = match runtime {
        Ok(r) => r,
        Err(e) => {
            eprintln!("consent-gate-collector: error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(run(cli));
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("consent-gate-collector: error: {e}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode, cli::CliError> {
    match cli.command {
        Command::Serve {
            config,
            storage,
            listen,
            allow_origins,
            rate,
            burst,
            static_dirs,
            client_ip_header,
            max_connections,
            idle_timeout,
        } => {
            if max_connections == 0 || idle_timeout == 0 || idle_timeout > 3600 {
                return Err(cli::CliError::Usage(
                    "--max-connections must be 1 or more, --idle-timeout 1 to 3600 seconds".to_owned(),
                ));
            }
            let idle_timeout = std::time::Duration::from_secs(idle_timeout);
            if !rate.is_finite() || rate < 0.0 || !burst.is_finite() || burst < 1.0 {
                return Err(cli::CliError::Usage("--rate must be 0 or more and --burst 1 or more".to_owned()));
            }
            for o in &allow_origins {
                let ok = (o.starts_with("https://") || o.starts_with("http://")) && !o.ends_with('/') && o.len() < 256;
                if !ok {
                    return Err(cli::CliError::Usage(format!(
                        "--allow-origin {o:?} is not an origin; write it as a browser sends it, like https://www.example.lv"
                    )));
                }
            }
            let static_dirs = static_dirs.iter().map(|s| static_mount(s)).collect::<Result<Vec<_>, _>>()?;
            let target = storage.target()?;
            let options = server::Options {
                target,
                config,
                listen,
                allow_origins,
                rate,
                burst,
                static_dirs,
                client_ip_header,
                max_connections,
                idle_timeout,
            };
            server::serve(options).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Receipts { storage, command } => {
            let target = storage.target()?;
            let mut store = store::Store::open(&target).await?;
            let mut out = std::io::stdout().lock();
            match command {
                ReceiptsCommand::Verify => cli::verify(&store, &mut out).await,
                ReceiptsCommand::Show { consent_id } => cli::show(&store, &consent_id, &mut out).await,
                ReceiptsCommand::Export { from, to, format } => cli::export(&store, &from, &to, format, &mut out).await,
                ReceiptsCommand::Purge { older_than } => cli::purge(&mut store, &older_than, &mut out).await,
                ReceiptsCommand::Stats { from, to } => {
                    cli::stats(&store, from.as_deref(), to.as_deref(), &mut out).await
                }
            }
        }
    }
}

/// `DIR` or `/PREFIX/=DIR`.
fn static_mount(arg: &str) -> Result<(String, PathBuf), cli::CliError> {
    let (prefix, dir) = match arg.split_once('=') {
        Some((prefix, dir)) if prefix.starts_with('/') && prefix.ends_with('/') => (prefix.to_owned(), dir),
        Some(_) => {
            return Err(cli::CliError::Usage(format!(
                "--static {arg:?}: the prefix before '=' starts and ends with '/', like /pkg/=pkg"
            )))
        }
        None => ("/".to_owned(), arg),
    };
    let dir = PathBuf::from(dir);
    if !dir.is_dir() {
        return Err(cli::CliError::Usage(format!("--static {arg:?}: {} is not a directory", dir.display())));
    }
    Ok((prefix, dir))
}
