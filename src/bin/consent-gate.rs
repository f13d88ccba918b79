//! The checker marketing staff run on consent.json (native only).
//!
//! ```text
//! consent-gate check www/consent.json
//! consent-gate declaration www/consent.json --lang lv --format html
//! consent-gate schema > www/consent.schema.json
//! ```

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::run(std::env::args().skip(1).collect()));
}

// The wasm build compiles every target (for the browser tests) but never runs this one.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use consent_gate::core::config::{text_of_file, Config, ConfigErrors, Lang, MAX_CONFIG_BYTES};
    use consent_gate::core::declaration::declaration;
    use consent_gate::core::schema::config_schema_text;
    use std::io::Read;

    const VALID: i32 = 0;
    const INVALID: i32 = 1;
    const USAGE: i32 = 2;

    const HELP: &str = "\
usage:
  consent-gate check FILE [--lang lv|ru|en]
      checks FILE (your consent.json) and lists every problem as
      FILE:LINE:COLUMN: FIELD: what is wrong and how to fix it
      (in Latvian with --lang lv, in Russian with --lang ru; English by default)
  consent-gate declaration FILE [--lang LANG] [--format html|markdown|md]
      prints the cookie declaration (one table per category)
  consent-gate schema
      prints the JSON Schema of consent.json

exit status: 0 the file is valid, 1 it has problems, 2 the command or the file could not be read";

    pub fn run(args: Vec<String>) -> i32 {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        match args.as_slice() {
            ["check", file] => check(file, Lang::En),
            ["check", file, "--lang", lang] | ["check", "--lang", lang, file] => match Lang::parse(lang) {
                Some(lang) => check(file, lang),
                None => usage(&format!("unknown language '{lang}'; use lv, ru or en")),
            },
            ["declaration", file, options @ ..] => match DeclarationOptions::parse(options) {
                Ok(options) => print_declaration(file, &options),
                Err(message) => usage(&message),
            },
            ["schema"] => {
                print!("{}", config_schema_text());
                VALID
            }
            ["help" | "--help" | "-h"] => {
                println!("{HELP}");
                VALID
            }
            _ => usage("expected a command"),
        }
    }

    fn usage(message: &str) -> i32 {
        eprintln!("consent-gate: {message}\n{HELP}");
        USAGE
    }

    /// The config, or the exit status after saying why it could not be used.
    fn load(file: &str, lang: Lang) -> Result<Config, i32> {
        let bytes = read_start(file).map_err(|e| {
            eprintln!("consent-gate: cannot read {file}: {e}");
            USAGE
        })?;
        // Read as the browser reads it, so both accept and refuse the same files.
        Config::from_json_in(&text_of_file(&bytes), lang).map_err(|errors| {
            print_errors(file, &errors, lang);
            INVALID
        })
    }

    /// The file's bytes, but no more than the checker needs to tell that it
    /// is over the size cap (a byte order mark, 3 bytes, does not count).
    fn read_start(file: &str) -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        let most = MAX_CONFIG_BYTES as u64 + 4;
        std::fs::File::open(file)?.take(most).read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    fn print_errors(file: &str, errors: &ConfigErrors, lang: Lang) {
        for error in &errors.0 {
            let (line, column) = error.position.unwrap_or((1, 1));
            println!("{file}:{line}:{column}: {}", error.describe());
        }
        let n = errors.0.len();
        match lang {
            Lang::En => eprintln!("{file}: {n} problem{} found", if n == 1 { "" } else { "s" }),
            Lang::Lv => eprintln!("{file}: atrastas kļūdas: {n}"),
            Lang::Ru => eprintln!("{file}: найдено ошибок: {n}"),
        }
    }

    fn check(file: &str, lang: Lang) -> i32 {
        match load(file, lang) {
            Ok(config) => {
                let (vendors, languages) = (config.vendors.len(), config.languages.join(", "));
                match lang {
                    Lang::En => println!("{file}: OK ({vendors} vendors, languages {languages})"),
                    Lang::Lv => println!("{file}: kļūdu nav (pakalpojumu sniedzēji: {vendors}, valodas: {languages})"),
                    Lang::Ru => println!("{file}: ошибок нет (поставщиков: {vendors}, языки: {languages})"),
                }
                VALID
            }
            Err(status) => status,
        }
    }

    struct DeclarationOptions {
        lang: Option<String>,
        markdown: bool,
    }

    impl DeclarationOptions {
        fn parse(options: &[&str]) -> Result<DeclarationOptions, String> {
            let mut parsed = DeclarationOptions { lang: None, markdown: false };
            let mut rest = options.iter();
            while let Some(option) = rest.next() {
                let value = rest.next().ok_or(format!("{option} needs a value"))?;
                match *option {
                    "--lang" => parsed.lang = Some((*value).to_owned()),
                    "--format" if *value == "html" => parsed.markdown = false,
                    "--format" if matches!(*value, "markdown" | "md") => parsed.markdown = true,
                    "--format" => return Err(format!("unknown format '{value}'; use html or markdown (md)")),
                    _ => return Err(format!("unknown option '{option}'")),
                }
            }
            Ok(parsed)
        }
    }

    fn print_declaration(file: &str, options: &DeclarationOptions) -> i32 {
        let config = match load(file, Lang::En) {
            Ok(config) => config,
            Err(status) => return status,
        };
        let lang = options.lang.clone().unwrap_or_else(|| config.default_language.clone());
        if !config.languages.contains(&lang) {
            return usage(&format!("'{lang}' is not one of the config's languages ({})", config.languages.join(", ")));
        }
        let declaration = declaration(&config, &lang);
        print!("{}", if options.markdown { declaration.to_markdown() } else { declaration.to_html() });
        VALID
    }
}
