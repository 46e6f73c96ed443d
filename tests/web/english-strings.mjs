// Counts the user-visible English strings left in web/'s modules outside the catalogs (issue 18:
// the count must be 0). A small lexer finds every string literal (quotes and template literals;
// comments and regular expressions skipped) and flags the ones that read as English prose: a
// capitalised word ("Join", "Moved"), or two words or more with a space that are not a list of CSS
// classes, attribute values or message ids. Not flagged: imports, `throw new Error(…)` and
// `console.*` (for developers), CSS selectors, and a line that ends with `// i18n-ok: <reason>`.
//
//   node tests/web/english-strings.mjs [files…]     prints each string, exits 1 if any
// Without files: web/**/*.js except the catalogs. tests/web/i18n-catalogs.test.mjs runs it on the
// files listed in I18N_DONE (the pages converted so far; every file once all are).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = fileURLToPath(new URL('../../web/', import.meta.url));

/** [{line, text}] of every string literal in `src` (template literals with `${…}` as "{}"). */
export function stringLiterals(src) {
  const out = [];
  let i = 0;
  let line = 1;
  let prev = ''; // the last significant character, to tell a regex from a division
  let prevWord = '';
  const templateDepth = [];
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') { line += 1; i += 1; continue; }
    if (/\s/.test(c)) { i += 1; continue; }
    if (c === '/' && src[i + 1] === '/') { while (i < src.length && src[i] !== '\n') i += 1; continue; }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      for (let k = i; k < stop; k += 1) if (src[k] === '\n') line += 1;
      i = stop;
      continue;
    }
    if (c === '}' && templateDepth.length && templateDepth.at(-1) === 0) {
      templateDepth.pop();
      i = readTemplate(i + 1);
      continue;
    }
    if (c === '{' && templateDepth.length) templateDepth[templateDepth.length - 1] += 1;
    if (c === '}' && templateDepth.length) templateDepth[templateDepth.length - 1] -= 1;
    if (c === "'" || c === '"') {
      const start = line;
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') { text += src[j + 1]; j += 2; continue; }
        if (src[j] === '\n') line += 1;
        text += src[j];
        j += 1;
      }
      out.push({ line: start, text, before: src.slice(Math.max(0, i - 40), i) });
      i = j + 1;
      prev = 'a';
      continue;
    }
    if (c === '`') {
      i = readTemplate(i + 1);
      continue;
    }
    if (c === '/' && (prev === '' || '(,=:[!&|?{};+-*%<>~^'.includes(prev) || ['return', 'typeof', 'case', 'of', 'in'].includes(prevWord))) {
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== '\n') {
        if (src[j] === '\\') { j += 2; continue; }
        if (src[j] === '[') inClass = true;
        else if (src[j] === ']') inClass = false;
        else if (src[j] === '/' && !inClass) break;
        j += 1;
      }
      i = j + 1;
      while (/[a-z]/.test(src[i] ?? '')) i += 1;
      prev = 'a';
      continue;
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(src.slice(i, i + 40));
    if (word) { prevWord = word[0]; prev = 'a'; i += word[0].length; continue; }
    prevWord = '';
    prev = c;
    i += 1;
  }
  return out;

  // Reads a template literal's text from `j` (after ` or }) to its end or its next `${`.
  function readTemplate(j) {
    const start = line;
    const from = j - 1;
    let text = '';
    while (j < src.length && src[j] !== '`') {
      if (src[j] === '\\') { text += src[j + 1]; j += 2; continue; }
      if (src[j] === '$' && src[j + 1] === '{') {
        out.push({ line: start, text: `${text}{}`, partial: true, before: src.slice(Math.max(0, from - 40), from) });
        templateDepth.push(0);
        prev = '{';
        return j + 2;
      }
      if (src[j] === '\n') line += 1;
      text += src[j];
      j += 1;
    }
    out.push({ line: start, text, before: src.slice(Math.max(0, from - 40), from) });
    prev = 'a';
    return j + 1;
  }
}

const MESSAGE_ID = /^[a-z][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)+$/;
// Words that are not prose: CSS classes (`button--primary`, `clause-tools`), selectors. A list of
// plain lowercase words is prose ("more yes than no") unless one of them is such a word.
const CODE_WORD = /^([a-z0-9]+(-{1,2}[a-z0-9]+)+|[#.:[\]=>*"'@,0-9a-z_-]*[#.:[\]=>*@_-][#.:[\]=>*"'@,0-9a-z_-]*)$/;

/** Whether a literal reads as English a person would see. */
export function looksEnglish(text) {
  const s = text.replace(/\{\}/g, ' ').trim();
  if (!/[A-Za-z]{2,}/.test(s) || MESSAGE_ID.test(s)) return false;
  if (/^[A-Z][a-z]+\b/.test(s) && !/^[A-Z][a-z]+[A-Z]/.test(s)) return true; // "Join", not "ArrowLeft"
  const words = s.split(/\s+/).filter(Boolean);
  // " or ", " (end of bracket)": a piece of a sentence, spaces kept to join it to the next.
  if (/^\s|\s$/.test(text) && /^[a-z(]/.test(s) && !words.some((w) => CODE_WORD.test(w))) return true;
  if (words.length < 2) return false;
  return !words.some((w) => CODE_WORD.test(w));
}

// A literal right after `class:` or classList.add( is a list of classes.
const CLASS_CONTEXT = /(class:\s*\[?\s*|className\s*=\s*|classList\.\w+\(\s*)$/;
const SKIP_LINE = /^\s*(import |export \{)|\bkey\s*[!=]==?\s*['"]|throw new (Error|TypeError|RangeError)\(|console\.|querySelector(All)?\(|closest\(|matches\(|\/\/ i18n-ok:/;

/** Every user-visible English string in `file`: [{line, text}]. */
export function englishStrings(file) {
  const src = readFileSync(file, 'utf8');
  const lines = src.split('\n');
  return stringLiterals(src).filter((lit) => looksEnglish(lit.text) && !SKIP_LINE.test(lines[lit.line - 1] ?? '')
    && !CLASS_CONTEXT.test(lit.before ?? ''));
}

export function webModules(dir = webDir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...webModules(path));
    else if (name.endsWith('.js')) out.push(path);
  }
  return out.sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = process.argv.length > 2 ? process.argv.slice(2) : webModules();
  let count = 0;
  for (const file of files) {
    for (const s of englishStrings(file)) {
      console.log(`${relative(process.cwd(), file)}:${s.line}: ${JSON.stringify(s.text)}`);
      count += 1;
    }
  }
  console.log(`${count} user-visible English string(s) outside the catalogs`);
  process.exit(count ? 1 : 0);
}
