//! Browser tests of the shell (wasm-bindgen-test in headless Chromium): it
//! carries out the core's plans faithfully against a real DOM and storage.
#![cfg(target_arch = "wasm32")]

use consent_gate::core::json::Value;
use consent_gate::core::plan::{Arg, Call};
use consent_gate::web::api::ConsentGate;
use consent_gate::web::loader::run_call;
use consent_gate::web::storage::Store;
use js_sys::Reflect;
use serde_json::json;
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

fn global(name: &str) -> JsValue {
    Reflect::get(&window(), &name.into()).unwrap_or(JsValue::UNDEFINED)
}

fn config(key: &str, vendors: serde_json::Value) -> JsValue {
    let text = json!({
        "languages": ["lv", "ru", "en"],
        "defaultLanguage": "en",
        "policy": {"url": "/cookies", "edition": "2024-05-01"},
        "storage": {"key": key},
        "reloadOnWithdraw": false,
        "vendors": vendors,
    })
    .to_string();
    js_sys::JSON::parse(&text).expect("valid JSON")
}

/// `ConsentGate.start()`, awaited as a page awaits it.
async fn start(config: JsValue, options: Option<js_sys::Object>) -> Result<ConsentGate, JsValue> {
    let gate = wasm_bindgen_futures::JsFuture::from(ConsentGate::start(config, options)).await?;
    Ok(ConsentGate::try_from_js_value(gate).expect("start() resolves to a ConsentGate"))
}

fn bar_button(action: &str) -> Option<web_sys::HtmlElement> {
    let selector = format!(".cg-bar [data-cg-action=\"{action}\"]");
    window().document()?.query_selector(&selector).ok()??.dyn_into().ok()
}

#[wasm_bindgen_test]
fn gtag_commands_queue_arguments_objects_in_the_data_layer() {
    run_call(&Call::command(
        "gtag",
        ["consent".into(), "default".into(), Value::object([("ad_storage", "denied".into())]).into()],
    ))
    .unwrap();
    run_call(&Call::command("gtag", ["js".into(), Arg::Now])).unwrap();
    let data_layer: js_sys::Array = global("dataLayer").dyn_into().expect("dataLayer is an array");
    let first = data_layer.get(data_layer.length() - 2);
    let kind = String::from(first.unchecked_ref::<js_sys::Object>().to_string());
    assert_eq!(kind, "[object Arguments]", "gtag.js only reads Arguments objects");
    let settings = Reflect::get(&first, &2.into()).unwrap();
    assert_eq!(Reflect::get(&settings, &"ad_storage".into()).unwrap(), "denied");
    let date = Reflect::get(&data_layer.get(data_layer.length() - 1), &1.into()).unwrap();
    assert!(date.is_instance_of::<js_sys::Date>(), "gtag('js') gets a real Date");
}

#[wasm_bindgen_test]
fn fbq_calls_queue_until_the_pixel_loads() {
    run_call(&Call::command("fbq", ["consent".into(), "grant".into()])).unwrap();
    let queue: js_sys::Array = Reflect::get(&global("fbq"), &"queue".into()).unwrap().dyn_into().unwrap();
    assert_eq!(queue.length(), 1);
    assert_eq!(Reflect::get(&queue.get(0), &0.into()).unwrap(), "consent");
}

#[wasm_bindgen_test]
fn queue_pushes_keep_an_object_the_page_left_there() {
    Reflect::set(&window(), &"_adftrack".into(), &js_sys::Object::new()).unwrap();
    run_call(&Call::Push { queue: "_adftrack", item: Value::object([("pm", Value::Int(1234567))]) }).unwrap();
    let queue: js_sys::Array = global("_adftrack").dyn_into().expect("now an array");
    assert_eq!(queue.length(), 2);
    assert_eq!(Reflect::get(&queue.get(1), &"pm".into()).unwrap(), 1234567);
}

#[wasm_bindgen_test]
fn storage_round_trips_and_clears() {
    let mut store = Store::open("cg-test-store");
    assert!(store.is_persistent(), "localStorage works in the test browser");
    store.write("{\"v\":1}").unwrap();
    assert_eq!(store.read().as_deref(), Some("{\"v\":1}"));
    let raw = window().local_storage().unwrap().unwrap().get_item("cg-test-store").unwrap();
    assert_eq!(raw.as_deref(), Some("{\"v\":1}"));
    store.clear();
    assert_eq!(store.read(), None);
}

#[wasm_bindgen_test]
async fn a_bad_config_is_refused_with_every_problem_named() {
    let bad = config("cg-test-bad", json!([{"type": "ga4", "measurementId": "UA-1-1", "lifetime": "0 days"}]));
    let error = match start(bad, None).await {
        Ok(_) => panic!("a bad config must not start"),
        Err(e) => e,
    };
    let message = String::from(error.dyn_into::<js_sys::Error>().unwrap().message());
    assert!(message.contains("vendors[0].measurementId: 'UA-1-1' is a retired Universal Analytics id"), "{message}");
    assert!(message.contains("vendors[0].lifetime"), "{message}");
    assert!(bar_button("accept").is_none(), "no bar for a config that failed");
    // Issue 17, bug 4: a config given as an object is named so, and its
    // problems by field path, never by a line of text the site never wrote.
    assert!(message.contains("the config object given to start() has 2 problems"), "{message}");
    assert!(!message.contains("consent.json") && !message.contains("line "), "{message}");
}

#[wasm_bindgen_test]
async fn a_bad_config_file_is_named_as_the_file_with_line_and_column() {
    let text = r#"{"policy": {"url": "/cookies", "edition": "1"}, "storage": {"key": "cg-test-bad-file"}, "vendors": [{"type": "ga4", "measurementId": "UA-1-1"}]}"#;
    let response_class: js_sys::Function = global("Response").dyn_into().unwrap();
    let response = js_sys::Reflect::construct(&response_class, &js_sys::Array::of1(&text.into())).unwrap();
    let error = match start(response, None).await {
        Ok(_) => panic!("a bad config must not start"),
        Err(e) => e,
    };
    let message = String::from(error.dyn_into::<js_sys::Error>().unwrap().message());
    assert!(message.contains("consent.json has 2 problems"), "{message}");
    assert!(message.contains("line 1, column ") && message.contains("vendors[0].measurementId"), "{message}");
}

#[wasm_bindgen_test]
async fn the_bar_records_a_refusal_and_loads_nothing() {
    let tag = "https://tag.invalid/refused.js";
    let cfg = config(
        "cg-test-refuse",
        json!([{"type": "script", "name": "Test tag", "src": tag, "category": "analytics", "lifetime": "30 days", "privacyUrl": "https://example.invalid/privacy"}]),
    );
    let gate = start(cfg, None).await.unwrap_or_else(|_| panic!("the config is valid"));
    assert_eq!(bar_button("reject").unwrap().text_content().as_deref(), Some("Reject all"));
    bar_button("reject").unwrap().click();
    assert!(bar_button("reject").is_none(), "the bar closes");
    assert!(!gate.is_granted("analytics", None).unwrap());
    assert!(gate.is_granted("necessary", None).unwrap());
    let stored = window().local_storage().unwrap().unwrap().get_item("cg-test-refuse").unwrap().unwrap();
    assert!(stored.contains("\"source\":\"bar-reject\""), "{stored}");
    let selector = format!("script[src=\"{tag}\"]");
    assert!(window().document().unwrap().query_selector(&selector).unwrap().is_none());
}

#[wasm_bindgen_test]
async fn accepting_inserts_the_tag_and_tells_subscribers() {
    let tag = "https://tag.invalid/granted.js";
    let cfg = config(
        "cg-test-accept",
        json!([{"type": "script", "name": "Test tag", "src": tag, "category": "marketing", "lifetime": "30 days", "privacyUrl": "https://example.invalid/privacy"}]),
    );
    let gate = start(cfg, None).await.unwrap_or_else(|_| panic!("the config is valid"));
    let selector = format!("script[src=\"{tag}\"]");
    let document = window().document().unwrap();
    assert!(document.query_selector(&selector).unwrap().is_none(), "nothing before consent");
    let seen = js_sys::Array::new();
    let record_seen = seen.clone();
    let callback = Closure::<dyn Fn(JsValue)>::new(move |choices: JsValue| {
        record_seen.push(&choices);
    });
    let _ = gate.on_change(callback.as_ref().unchecked_ref::<js_sys::Function>().clone()).unwrap();
    bar_button("accept").unwrap().click();
    assert!(gate.is_granted("marketing", None).unwrap());
    assert!(document.query_selector(&selector).unwrap().is_some(), "the tag is inserted on grant");
    assert_eq!(seen.length(), 1);
    assert_eq!(Reflect::get(&seen.get(0), &"marketing".into()).unwrap(), true);
    let record = gate.record().unwrap();
    assert_eq!(Reflect::get(&record, &"source".into()).unwrap(), "bar-accept");
    gate.reject_all().unwrap();
    assert!(!gate.is_granted("marketing", None).unwrap());
}

/// A new element with `attribute`, appended to the page's body.
fn marked_element(tag: &str, attribute: &str, lang: Option<&str>) -> web_sys::Element {
    let document = window().document().unwrap();
    let element = document.create_element(tag).unwrap();
    element.set_attribute(attribute, "").unwrap();
    if let Some(lang) = lang {
        element.set_attribute("lang", lang).unwrap();
    }
    document.body().unwrap().append_child(&element).unwrap();
    element
}

#[wasm_bindgen_test]
async fn a_bad_config_lists_its_problems_where_the_site_asks_as_plain_text() {
    let errors = marked_element("div", "data-consent-errors", None);
    let bad = config(
        "cg-test-errors",
        json!([
            {"type": "ga4", "measurementId": "UA-1-1", "lifetime": "180 days"},
            {"type": "criteo", "accountId": "12345", "lifetime": "1 year", "purpose": "<img src=x onerror=alert(1)>"}
        ]),
    );
    assert!(start(bad, None).await.is_err());
    let items = errors.query_selector_all("li").unwrap();
    assert_eq!(items.length(), 2);
    let first = items.get(0).unwrap().text_content().unwrap_or_default();
    assert!(first.contains("vendors[0].measurementId: 'UA-1-1' is a retired Universal Analytics id"), "{first}");
    let second = items.get(1).unwrap().text_content().unwrap_or_default();
    assert!(second.contains("vendors[1].purpose: contains '<'"), "{second}");
    assert!(errors.query_selector("img").unwrap().is_none(), "config text never becomes markup");
    assert!(errors.text_content().unwrap_or_default().contains("2 problems"));
    errors.remove();
}

#[wasm_bindgen_test]
async fn the_declaration_is_rendered_in_the_language_around_it() {
    let declaration = marked_element("div", "data-consent-declaration", Some("ru"));
    let cfg = config(
        "cg-test-declaration",
        json!([
            {"type": "ga4", "measurementId": "G-DECL1", "lifetime": "180 days",
             "purpose": {"lv": "Statistika", "ru": "Статистика посещений", "en": "Statistics"}},
            {"type": "criteo", "accountId": "12345", "lifetime": "13 months"}
        ]),
    );
    let gate = start(cfg, None).await.unwrap_or_else(|_| panic!("the config is valid"));
    let headings: Vec<String> = (0..3)
        .map(|i| {
            declaration.query_selector_all("h2").unwrap().get(i).and_then(|h| h.text_content()).unwrap_or_default()
        })
        .collect();
    assert_eq!(headings, ["Необходимые файлы cookie", "Аналитические файлы cookie", "Маркетинговые файлы cookie"]);
    let cells = declaration.query_selector_all("section[data-category=\"marketing\"] td").unwrap();
    let texts: Vec<String> =
        (0..cells.length()).map(|i| cells.get(i).unwrap().text_content().unwrap_or_default()).collect();
    assert_eq!(
        texts,
        [
            "Criteo",
            "—",
            "cto_bundle",
            "Собственные (этот сайт); сторонние (criteo.com)",
            "13 месяцев",
            "www.criteo.com"
        ]
    );
    let own = declaration.query_selector("section[data-category=\"necessary\"] td:nth-child(3)").unwrap().unwrap();
    assert_eq!(own.text_content().as_deref(), Some("cg-test-declaration"), "the record's key, under necessary");
    let link = declaration.query_selector("a").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").as_deref(), Some("https://policies.google.com/privacy"));
    let note = declaration.query_selector("section[data-category=\"marketing\"] p").unwrap().unwrap();
    assert!(note.text_content().unwrap_or_default().contains("criteo.com"), "third-party cookies are named");
    gate.reject_all().unwrap();
    declaration.remove();
}

// --- Gated markup and the cookie jar (issue 5) ---

use consent_gate::core::category::Choices;
use consent_gate::vendors::CookieName;
use consent_gate::web::{cookies, markup};

fn document() -> web_sys::Document {
    window().document().expect("a document")
}

fn add_html(html: &str) -> web_sys::Element {
    let holder = document().create_element("div").unwrap();
    holder.set_inner_html(html);
    document().body().unwrap().append_child(&holder).unwrap();
    holder
}

#[wasm_bindgen_test]
fn gated_elements_activate_only_for_their_category_and_unknown_values_never() {
    let holder = add_html(
        r#"<img id="cg-img" data-consent="marketing" data-src="/cg-pixel.gif" alt="">
           <iframe id="cg-frame" data-consent="analytics" data-src="/cg-frame.html" title="x"></iframe>
           <img id="cg-typo" data-consent="marketting" data-src="/cg-pixel.gif" alt="">
           <iframe id="cg-js" data-consent="analytics" data-src=" JavaScript:alert(1)" title="x"></iframe>"#,
    );
    markup::activate(&by_category(Choices { analytics: true, marketing: false }), None);
    let el = |id: &str| document().get_element_by_id(id).unwrap();
    assert_eq!(el("cg-frame").get_attribute("src").as_deref(), Some("/cg-frame.html"));
    assert!(el("cg-img").get_attribute("src").is_none(), "marketing is not granted");
    markup::activate(&by_category(Choices::ALL), None);
    assert!(el("cg-img").get_attribute("src").is_some());
    assert_eq!(el("cg-img").get_attribute("alt").as_deref(), Some(""), "attributes are kept");
    assert!(el("cg-typo").get_attribute("src").is_none(), "an unknown category never activates");
    assert!(el("cg-typo").has_attribute("data-consent-refused"));
    assert!(el("cg-js").get_attribute("src").is_none(), "only http(s) and paths on the site load");
    assert!(el("cg-js").has_attribute("data-consent-refused"));
    holder.remove();
}

#[wasm_bindgen_test]
fn a_gated_inline_script_runs_without_a_nonce_and_with_one_only_if_it_carries_it() {
    let holder = add_html(
        r#"<script id="cg-inline" class="kept" type="text/plain" data-consent="analytics">window.cgInlineRan = (window.cgInlineRan || 0) + 1;</script>"#,
    );
    markup::activate(&by_category(Choices::ALL), None);
    assert_eq!(global("cgInlineRan"), 1, "no nonce given: the browser's CSP, if any, decides");
    holder.remove();

    let holder = add_html(
        r#"<script id="cg-unmarked" type="text/plain" data-consent="analytics">window.cgUnmarkedRan = true;</script>
           <script id="cg-inline2" class="kept" nonce="abc123" type="text/plain" data-consent="analytics">window.cgInlineRan = (window.cgInlineRan || 0) + 1;</script>"#,
    );
    markup::activate(&by_category(Choices::ALL), Some("abc123"));
    markup::activate(&by_category(Choices::ALL), Some("abc123"));
    assert_eq!(global("cgInlineRan"), 2, "runs once");
    assert!(global("cgUnmarkedRan").is_undefined(), "without the nonce: not run");
    assert!(document().get_element_by_id("cg-unmarked").unwrap().has_attribute("data-consent-refused"));
    let live = document().get_element_by_id("cg-inline2").unwrap();
    assert_eq!(live.get_attribute("type"), None);
    assert_eq!(live.get_attribute("class").as_deref(), Some("kept"));
    assert_eq!(Reflect::get(&live, &"nonce".into()).unwrap(), "abc123");
    holder.remove();
}

fn cookie_values(name: &str) -> Vec<String> {
    let all = Reflect::get(&document(), &"cookie".into()).unwrap().as_string().unwrap_or_default();
    all.split("; ").filter_map(|c| c.strip_prefix(&format!("{name}="))).map(str::to_owned).collect()
}

#[wasm_bindgen_test]
async fn a_cap_keeps_the_value_and_sets_the_expiry_and_delete_removes_the_cookie() {
    Reflect::set(&document(), &"cookie".into(), &"cg_cap=v1.2; path=/; max-age=63072000".into()).unwrap();
    let cap = js_sys::Date::now() as i64 + 86_400_000;
    cookies::cap("cg_cap", cap).unwrap();
    assert_eq!(cookie_values("cg_cap"), ["v1.2"], "same value, one copy");
    assert!(!cookies::change_needs_check("cg_cap", "v1.2", Some(cap as f64)), "our own rewrite starts no check");
    assert!(!cookies::change_needs_check("cg_cap", "v1.2", None), "nor where the engine tells no expiry (Firefox)");
    assert!(cookies::change_needs_check("cg_cap", "v9", None), "a vendor's new value is checked");
    assert!(cookies::change_needs_check("cg_cap", "v1.2", Some((cap + 86_400_000) as f64)), "so is a longer expiry");
    // The expiry as the browser keeps it, where cookieStore tells it (Chromium; Firefox gives null).
    let store = global("cookieStore");
    if store.is_object() {
        let get = Reflect::get(&store, &"get".into()).unwrap().unchecked_into::<js_sys::Function>();
        let found = wasm_bindgen_futures::JsFuture::from(
            get.call1(&store, &"cg_cap".into()).unwrap().unchecked_into::<js_sys::Promise>(),
        )
        .await
        .unwrap();
        if let Some(expires) = Reflect::get(&found, &"expires".into()).unwrap().as_f64() {
            assert!((expires - cap as f64).abs() <= 1000.0, "expiry {expires} is the cap {cap}");
        }
    }
    cookies::delete(&[CookieName::exact("cg_cap")]);
    assert!(cookie_values("cg_cap").is_empty());
}

#[wasm_bindgen_test]
async fn the_nonce_option_goes_to_every_vendor_loader() {
    let tag = "https://tag.invalid/nonced.js";
    let cfg = config(
        "cg-test-nonce",
        json!([{"type": "script", "name": "Test tag", "src": tag, "category": "analytics", "lifetime": "30 days", "privacyUrl": "https://example.invalid/privacy"}]),
    );
    let options: js_sys::Object = js_sys::JSON::parse(r#"{"nonce": "n0nce-value"}"#).unwrap().unchecked_into();
    let gate = start(cfg, Some(options)).await.unwrap_or_else(|_| panic!("the config is valid"));
    gate.accept_all().unwrap();
    let selector = format!("script[src=\"{tag}\"]");
    let script = document().query_selector(&selector).unwrap().expect("the tag is inserted");
    assert_eq!(Reflect::get(&script, &"nonce".into()).unwrap(), "n0nce-value");
    gate.reject_all().unwrap();
}

#[wasm_bindgen_test]
async fn set_takes_exactly_two_booleans_and_nothing_else() {
    let gate = start(config("cg-test-set", json!([])), None).await.unwrap_or_else(|_| panic!("the config is valid"));
    let parse = |text: &str| js_sys::JSON::parse(text).expect("valid JSON");
    for bad in [
        r#"{"analytics": "yes", "marketing": true}"#,
        r#"{"analytics": true}"#,
        r#"{"analytics": true, "marketing": false, "ads": true}"#,
        "true",
    ] {
        assert!(gate.set(parse(bad)).is_err(), "{bad} is refused");
        assert!(!gate.is_granted("analytics", None).unwrap(), "{bad} grants nothing");
    }
    gate.set(parse(r#"{"analytics": true, "marketing": false}"#)).unwrap_or_else(|_| panic!("a valid choice"));
    assert!(gate.is_granted("analytics", None).unwrap());
    assert!(!gate.is_granted("marketing", None).unwrap());
    gate.reject_all().unwrap();
}

// Page code calling the API from inside the library's own events (issue 13,
// finding 5): no borrow may be held while page code runs.

fn listen(name: &str, callback: &Closure<dyn FnMut()>) {
    document().add_event_listener_with_callback(name, callback.as_ref().unchecked_ref()).unwrap();
}

fn unlisten(name: &str, callback: &Closure<dyn FnMut()>) {
    document().remove_event_listener_with_callback(name, callback.as_ref().unchecked_ref()).unwrap();
}

#[wasm_bindgen_test]
async fn page_code_may_call_the_api_from_the_focus_that_closing_the_settings_moves() {
    let gate =
        std::rc::Rc::new(start(config("cg-test-focus", json!([])), None).await.unwrap_or_else(|_| panic!("valid")));
    let opener: web_sys::HtmlElement = add_html("<button id=\"cg-opener\">Cookie settings</button>")
        .first_element_child()
        .unwrap()
        .dyn_into()
        .unwrap();
    opener.focus().unwrap();
    gate.show_preferences().unwrap();
    let answers = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let on_focus = {
        let (gate, answers) = (gate.clone(), answers.clone());
        Closure::<dyn FnMut()>::new(move || answers.borrow_mut().push(gate.is_granted("analytics", None).is_ok()))
    };
    listen("focusin", &on_focus);
    let save: web_sys::HtmlElement =
        document().query_selector(".cg-prefs [data-cg-action=\"save\"]").unwrap().unwrap().dyn_into().unwrap();
    save.click();
    unlisten("focusin", &on_focus);
    assert_eq!(
        document().active_element().map(|e| e.id()),
        Some("cg-opener".to_owned()),
        "focus went back to the opener"
    );
    assert_eq!(*answers.borrow(), [true], "the listener ran once and its call was answered");
    assert!(document().query_selector(".cg-prefs").unwrap().is_none(), "the dialog is gone");
}

#[wasm_bindgen_test]
async fn page_code_may_call_the_api_from_an_error_reported_during_a_cookie_check() {
    let gate =
        std::rc::Rc::new(start(config("cg-test-report", json!([])), None).await.unwrap_or_else(|_| panic!("valid")));
    bar_button("reject").unwrap().click();
    let storage = window().local_storage().unwrap().unwrap();
    storage.set_item("cg-test-report:first-seen", "not a first-seen map").unwrap();
    let answers = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let on_error = {
        let (gate, answers) = (gate.clone(), answers.clone());
        Closure::<dyn FnMut()>::new(move || answers.borrow_mut().push(gate.show_bar().is_ok()))
    };
    listen("consent-gate:error", &on_error);
    document().dispatch_event(&web_sys::Event::new("visibilitychange").unwrap()).unwrap();
    unlisten("consent-gate:error", &on_error);
    storage.remove_item("cg-test-report:first-seen").unwrap();
    assert!(!answers.borrow().is_empty() && answers.borrow().iter().all(|ok| *ok), "{:?}", answers.borrow());
    assert!(bar_button("reject").is_some(), "showBar() from the listener showed the bar");
    bar_button("reject").unwrap().click();
}

// The server-readable mirror never keeps a grant that no longer counts
// (issue 13, finding 4).

fn mirrored_config(key: &str, mirror: &str) -> JsValue {
    let text = json!({
        "defaultLanguage": "en",
        "policy": {"url": "/cookies", "edition": "2024-05-01"},
        "storage": {"key": key, "cookie": {"name": mirror}},
        "reloadOnWithdraw": false,
        "vendors": [],
    })
    .to_string();
    js_sys::JSON::parse(&text).unwrap()
}

fn plant_cookie(name: &str, value: &str) {
    let line = format!("{name}={}; path=/", String::from(js_sys::encode_uri_component(value)));
    Reflect::set(&document(), &"cookie".into(), &line.into()).unwrap();
}

#[wasm_bindgen_test]
async fn reset_and_reject_leave_no_grant_in_the_mirror() {
    let gate = start(mirrored_config("cg-test-mirror", "cg_mirror"), None).await.unwrap_or_else(|_| panic!("valid"));
    gate.accept_all().unwrap();
    let mirrored = cookie_values("cg_mirror");
    assert_eq!(mirrored.len(), 1);
    assert!(mirrored[0].contains("%22analytics%22%3Atrue"), "{mirrored:?}");
    gate.reject_all().unwrap();
    assert!(cookie_values("cg_mirror")[0].contains("%22analytics%22%3Afalse"), "reject rewrites it");
    gate.accept_all().unwrap();
    gate.reset().unwrap();
    assert_eq!(cookie_values("cg_mirror"), Vec::<String>::new(), "reset deletes it");
    bar_button("reject").unwrap().click();
    window().local_storage().unwrap().unwrap().remove_item("cg-test-mirror").unwrap();
    Reflect::set(&document(), &"cookie".into(), &"cg_mirror=; path=/; max-age=0".into()).unwrap();
}

#[wasm_bindgen_test]
async fn an_unreadable_record_or_another_tabs_reset_deletes_the_mirror() {
    let granted = r#"{"v":2,"choices":{"analytics":true,"marketing":true}}"#;
    let storage = window().local_storage().unwrap().unwrap();
    storage.set_item("cg-test-mirror-2", "tampered").unwrap();
    plant_cookie("cg_mirror2", granted);
    let gate = start(mirrored_config("cg-test-mirror-2", "cg_mirror2"), None).await.unwrap_or_else(|_| panic!("valid"));
    assert_eq!(cookie_values("cg_mirror2"), Vec::<String>::new(), "a record that does not count leaves no mirror");
    gate.accept_all().unwrap();
    assert_eq!(cookie_values("cg_mirror2").len(), 1);
    // Another tab removed the record: the storage event it causes here.
    storage.remove_item("cg-test-mirror-2").unwrap();
    let other_tab = js_sys::Function::new_with_args(
        "key",
        "window.dispatchEvent(new StorageEvent('storage', { key, newValue: null }))",
    );
    other_tab.call1(&JsValue::NULL, &"cg-test-mirror-2".into()).unwrap();
    assert_eq!(cookie_values("cg_mirror2"), Vec::<String>::new(), "another tab's reset deletes it here too");
    assert!(!gate.is_granted("analytics", None).unwrap());
    bar_button("reject").unwrap().click();
    storage.remove_item("cg-test-mirror-2").unwrap();
    Reflect::set(&document(), &"cookie".into(), &"cg_mirror2=; path=/; max-age=0".into()).unwrap();
}

#[wasm_bindgen_test]
async fn a_grant_withdrawn_by_a_change_listener_activates_no_gated_element() {
    let gate =
        std::rc::Rc::new(start(config("cg-test-withdraw", json!([])), None).await.unwrap_or_else(|_| panic!("valid")));
    let holder = add_html(r#"<img id="cg-withdrawn" data-consent="analytics" data-src="/cg-withdrawn.gif" alt="">"#);
    let withdraw = {
        let gate = gate.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |choices: JsValue| {
            if Reflect::get(&choices, &"analytics".into()).unwrap() == true {
                gate.reject_all().unwrap();
            }
        })
    };
    let _ = gate.on_change(withdraw.as_ref().unchecked_ref::<js_sys::Function>().clone()).unwrap();
    gate.accept_all().unwrap();
    assert!(!gate.is_granted("analytics", None).unwrap(), "the listener's refusal stands");
    let img = document().get_element_by_id("cg-withdrawn").unwrap();
    assert_eq!(img.get_attribute("src"), None, "the gated image was not activated for the withdrawn grant");
    holder.remove();
}

#[wasm_bindgen_test]
async fn on_change_returns_a_function_that_unsubscribes() {
    let gate = start(config("cg-test-unsubscribe", json!([])), None).await.unwrap_or_else(|_| panic!("valid"));
    let heard = std::rc::Rc::new(std::cell::Cell::new(0));
    let callback = {
        let heard = heard.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| heard.set(heard.get() + 1))
    };
    let stop: js_sys::Function =
        gate.on_change(callback.as_ref().unchecked_ref::<js_sys::Function>().clone()).unwrap().unchecked_into();
    gate.accept_all().unwrap();
    assert_eq!(heard.get(), 1);
    stop.call0(&JsValue::NULL).unwrap();
    gate.reject_all().unwrap();
    assert_eq!(heard.get(), 1, "no call after unsubscribing");
    stop.call0(&JsValue::NULL).unwrap();
}

// One gate per page (issue 17, bug 3): StrictMode starts effects twice.

/// `ConsentGate.start()`'s outcome as page code sees it: the gate object itself.
async fn start_js(config: &JsValue) -> Result<JsValue, JsValue> {
    wasm_bindgen_futures::JsFuture::from(ConsentGate::start(config.clone(), None)).await
}

#[wasm_bindgen_test]
async fn a_second_start_gives_the_live_gate_or_a_clear_error_until_it_is_freed() {
    let cfg = config("cg-test-once", json!([]));
    let (first, second) = (ConsentGate::start(cfg.clone(), None), ConsentGate::start(cfg.clone(), None));
    let first = wasm_bindgen_futures::JsFuture::from(first).await.unwrap();
    let second = wasm_bindgen_futures::JsFuture::from(second).await.unwrap();
    assert!(js_sys::Object::is(&first, &second), "the same config gives the same gate");
    let bars = || document().query_selector_all(".cg-bar").unwrap().length();
    assert_eq!(bars(), 1, "one bar");

    let other = config("cg-test-once-other", json!([]));
    let error = start_js(&other).await.expect_err("another config is refused while the first gate is live");
    let message = String::from(error.dyn_into::<js_sys::Error>().unwrap().message());
    assert!(message.starts_with("consent-gate: start() was called again with another config"), "{message}");
    assert_eq!(bars(), 1);

    let free: js_sys::Function = Reflect::get(&first, &"free".into()).unwrap().unchecked_into();
    free.call0(&first).unwrap();
    assert_eq!(bars(), 0, "free() takes the bar away");
    let again = start_js(&other).await.expect("a freed gate lets the page start another");
    assert!(!js_sys::Object::is(&again, &first));
    assert_eq!(bars(), 1);
    let free: js_sys::Function = Reflect::get(&again, &"free".into()).unwrap().unchecked_into();
    free.call0(&again).unwrap();
}

#[wasm_bindgen_test]
async fn the_start_announcement_and_has_choice_say_whether_the_visitor_decided() {
    let details = js_sys::Array::new();
    let on_change = {
        let details = details.clone();
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
            details.push(&e.detail());
        })
    };
    let decided = |i: u32| Reflect::get(&details.get(i), &"decided".into()).unwrap();
    document().add_event_listener_with_callback("consent-gate:change", on_change.as_ref().unchecked_ref()).unwrap();
    let gate = start(config("cg-test-decided", json!([])), None).await.unwrap_or_else(|_| panic!("valid"));
    assert!(!gate.has_choice().unwrap(), "a first visit has no choice");
    assert_eq!(details.length(), 1, "the start announcement");
    assert_eq!(decided(0), false, "a first visit's refusals are no choice");
    gate.reject_all().unwrap();
    assert!(gate.has_choice().unwrap());
    assert_eq!(decided(details.length() - 1), true, "a refusal is a choice");
    gate.reset().unwrap();
    assert!(!gate.has_choice().unwrap(), "reset forgets it");
    assert_eq!(decided(details.length() - 1), false);
    document().remove_event_listener_with_callback("consent-gate:change", on_change.as_ref().unchecked_ref()).unwrap();
}

// The rest of the API (issue 17): hiding the bar and the dialog from code,
// loading a script through the gate, and the page's own buttons.

#[wasm_bindgen_test]
async fn hide_bar_and_hide_preferences_close_them_and_keep_the_choice() {
    let gate = start(config("cg-test-hide", json!([])), None).await.unwrap_or_else(|_| panic!("valid"));
    let shown = |selector: &str| document().query_selector(selector).unwrap().is_some();
    assert!(shown(".cg-bar"), "a first visit shows the bar");
    gate.hide_bar().unwrap();
    assert!(!shown(".cg-bar"), "hideBar() hides it");
    gate.show_preferences().unwrap();
    assert!(shown(".cg-prefs"));
    gate.hide_preferences().unwrap();
    assert!(!shown(".cg-prefs"), "hidePreferences() closes the dialog");
    gate.hide_preferences().unwrap();
    gate.hide_bar().unwrap();
    assert!(!gate.has_choice().unwrap(), "hiding decides nothing");
}

/// Keeps a promise's rejection from counting as unhandled.
fn settled(promise: &JsValue) {
    let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
    let _ = promise.unchecked_ref::<js_sys::Promise>().catch(&ignore);
    ignore.forget();
}

#[wasm_bindgen_test]
async fn load_script_loads_through_the_gate_with_the_nonce_once_granted() {
    let options: js_sys::Object = js_sys::JSON::parse(r#"{"nonce": "page-n0nce"}"#).unwrap().unchecked_into();
    let gate = start(config("cg-test-load-script", json!([])), Some(options)).await.unwrap_or_else(|_| panic!("valid"));
    for (src, category) in [
        ("javascript:alert(1)", "analytics"),
        (" JavaScript:alert(1)", "necessary"),
        ("data:text/javascript,alert(1)", "necessary"),
        ("https://tag.invalid/page.js", "ads"),
    ] {
        assert!(gate.load_script(src, category).is_err(), "{src} for {category} is refused");
    }
    let scripts = |src: &str| {
        let list = document().query_selector_all("script[data-consent-gate=\"page\"]").unwrap();
        (0..list.length())
            .filter_map(|i| list.get(i)?.dyn_into::<web_sys::HtmlScriptElement>().ok())
            .filter(|s| s.src() == src)
            .collect::<Vec<_>>()
    };
    assert!(scripts("javascript:alert(1)").is_empty());
    let analytics = "https://tag.invalid/page-analytics.js";
    settled(&gate.load_script(analytics, "analytics").unwrap());
    assert!(scripts(analytics).is_empty(), "nothing before consent");
    let necessary = format!("{}/cg-necessary.js", window().location().origin().unwrap());
    settled(&gate.load_script("/cg-necessary.js", "necessary").unwrap());
    assert_eq!(scripts(&necessary).len(), 1, "necessary loads at once, a path on the site is fine");
    gate.set(js_sys::JSON::parse(r#"{"analytics": false, "marketing": true}"#).unwrap()).unwrap();
    assert!(scripts(analytics).is_empty(), "another category's grant loads nothing");
    gate.accept_all().unwrap();
    let loaded = scripts(analytics);
    assert_eq!(loaded.len(), 1, "loaded once granted, once");
    assert_eq!(Reflect::get(&loaded[0], &"nonce".into()).unwrap(), "page-n0nce");
    gate.reject_all().unwrap();
    gate.accept_all().unwrap();
    assert_eq!(scripts(analytics).len(), 1, "not again on the next grant");
    gate.reject_all().unwrap();
}

#[wasm_bindgen_test]
async fn the_pages_own_accept_reject_and_settings_buttons_work_wherever_they_are() {
    let gate = start(config("cg-test-page-buttons", json!([])), None).await.unwrap_or_else(|_| panic!("valid"));
    let holder = add_html(
        "<div><button data-consent-accept><span id=\"cg-pb-accept\">Accept</span></button>\
         <button id=\"cg-pb-reject\" data-consent-reject>Reject</button>\
         <a id=\"cg-pb-settings\" href=\"#cg-away\" data-consent-settings>Settings</a></div>",
    );
    let click =
        |id: &str| document().get_element_by_id(id).unwrap().dyn_into::<web_sys::HtmlElement>().unwrap().click();
    click("cg-pb-accept");
    assert!(gate.is_granted("analytics", None).unwrap() && gate.is_granted("marketing", None).unwrap());
    assert_eq!(Reflect::get(&gate.record().unwrap(), &"source".into()).unwrap(), "page-button");
    assert!(document().query_selector(".cg-bar").unwrap().is_none(), "the bar is gone once decided");
    click("cg-pb-reject");
    assert!(!gate.is_granted("analytics", None).unwrap() && !gate.is_granted("marketing", None).unwrap());
    assert!(gate.has_choice().unwrap());
    click("cg-pb-settings");
    assert!(document().query_selector(".cg-prefs").unwrap().is_some(), "the settings open");
    assert_ne!(window().location().hash().unwrap(), "#cg-away", "the link does not navigate");
    gate.hide_preferences().unwrap();
    holder.remove();
}

#[wasm_bindgen_test]
async fn the_ready_event_carries_the_gate() {
    let heard = js_sys::Array::new();
    let on_ready = {
        let heard = heard.clone();
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
            heard.push(&e.detail());
        })
    };
    document().add_event_listener_with_callback("consent-gate:ready", on_ready.as_ref().unchecked_ref()).unwrap();
    let gate = start_js(&config("cg-test-ready", json!([]))).await.unwrap_or_else(|_| panic!("valid"));
    document().remove_event_listener_with_callback("consent-gate:ready", on_ready.as_ref().unchecked_ref()).unwrap();
    let free: js_sys::Function = Reflect::get(&gate, &"free".into()).unwrap().unchecked_into();
    free.call0(&gate).unwrap();
    assert_eq!(heard.length(), 1);
    assert!(js_sys::Object::is(&heard.get(0), &gate), "the detail is the gate start() resolves to");
}

/// Markup grants with every vendor as its category.
fn by_category(choices: Choices) -> consent_gate::core::markup::MarkupGrants {
    consent_gate::core::markup::MarkupGrants { choices, ..Default::default() }
}

fn two_marketing_tags(key: &str) -> JsValue {
    let tag = |name: &str| json!({"type": "script", "name": name, "src": format!("https://tag.invalid/{key}-{name}.js"), "category": "marketing", "lifetime": "30 days", "privacyUrl": "https://example.invalid/privacy"});
    config(key, json!([tag("alpha"), tag("beta")]))
}

fn tag_inserted(name: &str) -> bool {
    let selector = format!("script[src=\"https://tag.invalid/cg-test-vendors-{name}.js\"]");
    document().query_selector(&selector).unwrap().is_some()
}

#[wasm_bindgen_test]
async fn set_and_is_granted_work_per_vendor() {
    let gate = start(two_marketing_tags("cg-test-vendors"), None).await.unwrap_or_else(|_| panic!("valid"));
    let heard = js_sys::Array::new();
    let callback = {
        let heard = heard.clone();
        Closure::<dyn Fn(JsValue)>::new(move |detail: JsValue| {
            heard.push(&detail);
        })
    };
    let _ = gate.on_change(callback.as_ref().unchecked_ref::<js_sys::Function>().clone()).unwrap();
    let choice = js_sys::JSON::parse(r#"{"analytics": false, "marketing": {"alpha": true}}"#).unwrap();
    gate.set(choice).unwrap();
    assert!(tag_inserted("alpha") && !tag_inserted("beta"), "only the vendor allowed loads");
    assert!(gate.is_granted("marketing", Some("alpha".into())).unwrap());
    assert!(!gate.is_granted("marketing", Some("beta".into())).unwrap(), "left out: refused");
    assert!(!gate.is_granted("marketing", None).unwrap(), "mixed is not granted as a whole");
    assert!(!gate.is_granted("analytics", Some("alpha".into())).unwrap(), "a vendor of another category");
    assert!(!gate.is_granted("marketing", Some("gamma".into())).unwrap(), "an unknown vendor");
    let marketing = Reflect::get(&gate.vendor_choices().unwrap(), &"marketing".into()).unwrap();
    assert_eq!(js_sys::JSON::stringify(&gate.choices().unwrap()).unwrap(), r#"{"analytics":false,"marketing":false}"#);
    assert_eq!(js_sys::JSON::stringify(&marketing).unwrap(), r#"{"alpha":true,"beta":false}"#);
    let detail = heard.get(heard.length() - 1);
    let heard_vendors = Reflect::get(&Reflect::get(&detail, &"vendors".into()).unwrap(), &"marketing".into()).unwrap();
    assert_eq!(js_sys::JSON::stringify(&heard_vendors).unwrap(), r#"{"alpha":true,"beta":false}"#);
    let record = gate.record().unwrap();
    let stored = js_sys::JSON::stringify(&Reflect::get(&record, &"vendors".into()).unwrap()).unwrap();
    assert!(String::from(stored).contains(r#""alpha":[true,"#));
    for bad in [
        r#"{"analytics": false, "marketing": {"gamma": true}}"#,
        r#"{"analytics": false, "marketing": {"alpha": "yes"}}"#,
        r#"{"analytics": {"alpha": true}, "marketing": true}"#,
        r#"{"analytics": false, "marketing": [true]}"#,
    ] {
        let message = match gate.set(js_sys::JSON::parse(bad).unwrap()) {
            Ok(()) => panic!("{bad} must be refused"),
            Err(e) => String::from(JsValue::from(e).dyn_into::<js_sys::Error>().unwrap().message()),
        };
        assert!(message.starts_with("consent-gate: "), "{bad}: {message}");
        assert!(!tag_inserted("beta"), "{bad} grants nothing");
    }
    let message = match gate.set(js_sys::JSON::parse(r#"{"analytics": false, "marketing": {"gamma": true}}"#).unwrap())
    {
        Ok(()) => String::new(),
        Err(e) => String::from(JsValue::from(e).dyn_into::<js_sys::Error>().unwrap().message()),
    };
    assert!(message.contains("no partner \"gamma\" in marketing; its partners are alpha, beta"), "{message}");
    gate.set(js_sys::JSON::parse(r#"{"analytics": false, "marketing": true}"#).unwrap()).unwrap();
    assert!(tag_inserted("beta") && gate.is_granted("marketing", None).unwrap(), "all on is on");
}

#[wasm_bindgen_test]
async fn the_settings_show_a_switch_per_vendor_summed_up_in_the_category() {
    let gate = start(two_marketing_tags("cg-test-vendor-switches"), None).await.unwrap_or_else(|_| panic!("valid"));
    gate.set(js_sys::JSON::parse(r#"{"analytics": false, "marketing": {"beta": true}}"#).unwrap()).unwrap();
    gate.show_preferences().unwrap();
    let input = |selector: &str| -> web_sys::HtmlInputElement {
        document().query_selector(&format!(".cg-prefs {selector}")).unwrap().unwrap().dyn_into().unwrap()
    };
    let category = input("input[data-cg-category=marketing]");
    let (alpha, beta) = (input("input[data-cg-vendor=\"0\"]"), input("input[data-cg-vendor=\"1\"]"));
    assert!(!category.checked() && category.indeterminate(), "mixed");
    assert!(!alpha.checked() && beta.checked());
    let count = document().get_element_by_id("consent-gate-count-marketing").unwrap();
    assert_eq!(count.text_content().as_deref(), Some("Partners: 1/2"));
    let label = document().query_selector(".cg-prefs label[for=consent-gate-vendor-0]").unwrap().unwrap();
    assert_eq!(label.text_content().as_deref(), Some("alpha"), "each switch is labelled by its vendor");
    // Clicking a switch fires `change` on the dialog, which sums up the category.
    alpha.click();
    assert!(category.checked() && !category.indeterminate(), "all on");
    assert!(count.has_attribute("hidden"));
    category.click();
    assert!(!alpha.checked() && !beta.checked(), "the category switches all its vendors");
    beta.click();
    assert!(category.indeterminate() && !category.checked());
    let save: web_sys::HtmlElement =
        document().query_selector(".cg-prefs [data-cg-action=\"save\"]").unwrap().unwrap().dyn_into().unwrap();
    save.click();
    assert!(!gate.is_granted("marketing", Some("alpha".into())).unwrap());
    assert!(gate.is_granted("marketing", Some("beta".into())).unwrap());
}

#[wasm_bindgen_test]
fn gated_markup_can_name_a_vendor_and_an_unknown_one_never_activates() {
    let holder = add_html(
        r#"<img id="cg-v-criteo" data-consent="marketing:criteo" data-src="/cg-criteo.gif" alt="">
           <img id="cg-v-fb" data-consent="marketing:facebook-pixel" data-src="/cg-fb.gif" alt="">
           <img id="cg-v-typo" data-consent="marketing:critео" data-src="/cg-typo.gif" alt="">"#,
    );
    let grants = consent_gate::core::markup::MarkupGrants {
        choices: Choices::NONE,
        vendors: vec![("marketing:criteo".into(), true), ("marketing:facebook-pixel".into(), false)],
        ..Default::default()
    };
    markup::activate(&grants, None);
    let el = |id: &str| document().get_element_by_id(id).unwrap();
    assert_eq!(el("cg-v-criteo").get_attribute("src").as_deref(), Some("/cg-criteo.gif"));
    assert!(el("cg-v-fb").get_attribute("src").is_none(), "refused vendor");
    assert!(el("cg-v-typo").get_attribute("src").is_none() && el("cg-v-typo").has_attribute("data-consent-refused"));
    holder.remove();
}

/// Click-to-load embeds (issue 19) in the build with every part linked in:
/// the placeholder stands in for the iframe, and its "always allow" button
/// grants the vendor through the gate and loads the embed (from
/// youtube-nocookie.com, as the config asks).
#[wasm_bindgen_test]
async fn an_embed_placeholder_always_allows_its_vendor_through_the_gate() {
    let holder = add_html(
        r#"<iframe id="cg-yt" data-consent="marketing:youtube" data-src="https://www.youtube.com/embed/cg-test"
             width="400" height="300" title="A test video"></iframe>"#,
    );
    let cfg = config("cg-test-embeds", json!([{"type": "youtube", "lifetime": "8 months", "noCookie": true}]));
    let gate = start(cfg, None).await.unwrap_or_else(|_| panic!("the config is valid"));
    let frame = document().get_element_by_id("cg-yt").unwrap();
    assert_eq!(frame.get_attribute("src"), None);
    let placeholder = document().query_selector(".cg-embed").unwrap().expect("a placeholder");
    let text = placeholder.text_content().unwrap_or_default();
    assert!(text.contains("YouTube: A test video") && text.contains("8 months"), "{text}");
    let allow = placeholder.query_selector(".cg-embed-allow").unwrap().unwrap();
    assert_eq!(allow.text_content().as_deref(), Some("Always allow YouTube"));
    allow.unchecked_ref::<web_sys::HtmlElement>().click();
    assert!(gate.is_granted("marketing", Some("youtube".into())).unwrap());
    assert_eq!(frame.get_attribute("src").as_deref(), Some("https://www.youtube-nocookie.com/embed/cg-test"));
    assert!(document().query_selector(".cg-embed").unwrap().is_none(), "the placeholder is gone");
    let stored = window().local_storage().unwrap().unwrap().get_item("cg-test-embeds").unwrap().unwrap();
    assert!(stored.contains("\"source\":\"page-button\""), "{stored}");
    // Withdrawn (no reload in these tests' config): a placeholder again.
    gate.reject_all().unwrap();
    let frame = document().get_element_by_id("cg-yt").unwrap();
    assert_eq!(frame.get_attribute("src"), None);
    assert!(document().query_selector(".cg-embed").unwrap().is_some());
    holder.remove();
    if let Some(p) = document().query_selector(".cg-embed").unwrap() {
        p.remove();
    }
}
