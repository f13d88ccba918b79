// The checker page (check.html): a marketing person pastes, drops or picks
// consent.json and sees the checker's messages (the diagnostics part, the
// same Rust rules and words as `consent-gate check --lang`), then, for a
// config that passes, a preview of the bar (the ui part) and of the cookie
// declaration (the declaration part). The gate itself is never started, so
// nothing is granted or stored, and the page's CSP allows no vendor host.
// Every message is put on the page as text (textContent), never as HTML.
import initDiagnostics, { checkConfig, problemsHeading } from '/pkg/consent_gate_diagnostics.js';

const TEXTS = {
  lv: {
    title: 'consent.json pārbaude',
    intro: 'Ielīmējiet savu consent.json, ievelciet to šeit vai izvēlieties failu, un spiediet “Pārbaudīt”. Pārbaude notiek tikai jūsu pārlūkā: fails netiek nekur sūtīts.',
    textLabel: 'consent.json saturs',
    dropHint: 'Failu var arī ievilkt šajā laukā.',
    fileLabel: 'Vai izvēlieties failu:',
    check: 'Pārbaudīt',
    previewTitle: 'Priekšskatījums',
    previewNote: 'Josla redzama lapas apakšā. Priekšskatījumā netiek ielādēts neviens tags, un neviena izvēle netiek saglabāta.',
    declarationTitle: 'Sīkdatņu deklarācija',
    home: 'Uz demonstrācijas vietni',
    languages: 'Valoda',
    ok: 'Kļūdu nav: šo consent.json var publicēt.',
    empty: 'Vispirms ielīmējiet vai izvēlieties consent.json.',
    showLine: 'Rādīt šo vietu tekstā',
    failed: 'Pārbaudi nevarēja veikt: ',
  },
  ru: {
    title: 'Проверка consent.json',
    intro: 'Вставьте свой consent.json, перетащите его сюда или выберите файл и нажмите «Проверить». Проверка идёт только в вашем браузере: файл никуда не отправляется.',
    textLabel: 'Содержимое consent.json',
    dropHint: 'Файл можно также перетащить в это поле.',
    fileLabel: 'Или выберите файл:',
    check: 'Проверить',
    previewTitle: 'Предпросмотр',
    previewNote: 'Панель видна внизу страницы. В предпросмотре не загружается ни один тег и не сохраняется никакой выбор.',
    declarationTitle: 'Декларация cookie',
    home: 'На демонстрационный сайт',
    languages: 'Язык',
    ok: 'Ошибок нет: этот consent.json можно публиковать.',
    empty: 'Сначала вставьте или выберите consent.json.',
    showLine: 'Показать это место в тексте',
    failed: 'Проверка не удалась: ',
  },
  en: {
    title: 'Check consent.json',
    intro: 'Paste your consent.json, drop it here or choose the file, then press “Check”. It is checked in your browser only: the file is sent nowhere.',
    textLabel: 'consent.json',
    dropHint: 'You can also drop the file on this field.',
    fileLabel: 'Or choose the file:',
    check: 'Check',
    previewTitle: 'Preview',
    previewNote: 'The bar shows at the bottom of the page. The preview loads no tag and stores no choice.',
    declarationTitle: 'Cookie declaration',
    home: 'To the demo site',
    languages: 'Language',
    ok: 'No problems: this consent.json is ready to publish.',
    empty: 'Paste or choose a consent.json first.',
    showLine: 'Show this place in the text',
    failed: 'The check could not run: ',
  },
};

/** The most a consent.json may be, plus a little: the checker says when it is more. */
const READ_AT_MOST = 1_000_004;

const $ = (id) => document.getElementById(id);
const textarea = $('config-text');
const diagnostics = initDiagnostics();
let lang = TEXTS[new URLSearchParams(location.search).get('lang')] ? new URLSearchParams(location.search).get('lang') : 'lv';
/** What was checked last: the textarea's text, or a file's (which may not fit a textarea). */
let checked = null;
let bar = null;

function setLanguage(next) {
  lang = next;
  document.documentElement.lang = lang;
  const texts = TEXTS[lang];
  document.title = texts.title;
  for (const element of document.querySelectorAll('[data-text]')) {
    const text = texts[element.dataset.text];
    if (element.tagName === 'NAV') element.setAttribute('aria-label', text);
    else element.textContent = text;
  }
  for (const button of document.querySelectorAll('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
  }
  if (checked !== null) check(checked);
}

/** Loads a part's glue and wasm (beside the gate in /pkg/) once. */
const parts = {};
function part(name) {
  parts[name] ??= import(`/pkg/consent_gate_${name}.js`).then(async (glue) => {
    await glue.default();
    return glue;
  });
  return parts[name];
}

async function check(text) {
  checked = text;
  const texts = TEXTS[lang];
  const result = $('result');
  const heading = $('result-heading');
  const list = $('problems');
  list.replaceChildren();
  result.hidden = false;
  closePreview();
  if (text.trim() === '') {
    result.classList.add('has-problems');
    heading.textContent = texts.empty;
    return;
  }
  let problems;
  try {
    await diagnostics;
    problems = checkConfig(text, lang);
  } catch (error) {
    result.classList.add('has-problems');
    heading.textContent = texts.failed + String(error?.message ?? error);
    return;
  }
  result.classList.toggle('has-problems', problems.length > 0);
  if (problems.length === 0) {
    heading.textContent = texts.ok;
    await preview(text);
    return;
  }
  heading.textContent = `${problemsHeading(lang, problems.length)}:`;
  const inTextarea = textarea.value === text;
  for (const problem of problems) {
    const item = document.createElement('li');
    if (inTextarea) {
      const button = document.createElement('button');
      button.type = 'button';
      button.title = texts.showLine;
      button.textContent = problem.text;
      button.addEventListener('click', () => select(problem.line, problem.column));
      item.append(button);
    } else {
      item.textContent = problem.text;
    }
    list.append(item);
  }
}

/** Selects line `line` of the textarea from column `column`, and scrolls to it. */
function select(line, column) {
  const lines = textarea.value.split('\n');
  let start = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
  const end = start + (lines[line - 1]?.length ?? 0);
  // Columns count characters; the textarea counts UTF-16 code units.
  const before = Array.from(lines[line - 1] ?? '').slice(0, column - 1).join('');
  textarea.focus();
  textarea.setSelectionRange(start + before.length, end);
}

function closePreview() {
  bar?.close();
  bar = null;
  $('preview').hidden = true;
  $('declaration').replaceChildren();
}

/** The bar and the declaration of a config that passed, in the page's language if the config has it. */
async function preview(text) {
  const config = JSON.parse(text.replace(/^\uFEFF/, ''));
  const languages = config.languages ?? ['lv', 'ru', 'en'];
  const shown = languages.includes(lang) ? lang : (config.defaultLanguage ?? languages[0]);
  const [ui, declaration] = await Promise.all([part('ui'), part('declaration')]);
  if (checked !== text) return; // another check started meanwhile
  $('preview').hidden = false;
  $('declaration').dataset.consentDeclaration = shown;
  declaration.renderDeclarations(text);
  // The bar's buttons report to nothing: no choice is made or stored.
  bar = ui.openBar(text, shown, '', 0, () => {});
}

async function readFile(file) {
  const bytes = new Uint8Array(await file.slice(0, READ_AT_MOST).arrayBuffer());
  // As a browser reads a fetched consent.json: UTF-8, a byte order mark
  // dropped, anything else kept for the checker to name (UTF-16 included).
  const text = new TextDecoder('utf-8').decode(bytes);
  textarea.value = text.includes('\0') ? '' : text;
  await check(text);
}

$('checker-form').addEventListener('submit', (event) => {
  event.preventDefault();
  check(textarea.value);
});
$('config-file').addEventListener('change', (event) => {
  const file = event.target.files?.[0];
  if (file) readFile(file);
});
const drop = $('drop');
for (const type of ['dragenter', 'dragover']) {
  drop.addEventListener(type, (event) => {
    event.preventDefault();
    drop.classList.add('is-over');
  });
}
drop.addEventListener('dragleave', () => drop.classList.remove('is-over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('is-over');
  const file = event.dataTransfer?.files?.[0];
  if (file) {
    readFile(file);
    return;
  }
  const text = event.dataTransfer?.getData('text/plain');
  if (text) {
    textarea.value = text;
    check(text);
  }
});
for (const button of document.querySelectorAll('[data-lang]')) {
  button.addEventListener('click', () => setLanguage(button.dataset.lang));
}
setLanguage(lang);
