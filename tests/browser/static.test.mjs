// Static checks of web/ that need no server: nothing that the Content-Security-Policy forbids,
// nothing loaded from outside the folder, and no HTML parsing of strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { webDir } from './harness.mjs';

function files(dir, ext) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...files(p, ext));
    else if (ext.some((e) => entry.name.endsWith(e))) out.push(p);
  }
  return out;
}

test('the pages the server routes to exist', () => {
  for (const f of ['index.html', 'room.html', 'clause.html', 'log.html', 'organize.html', 'slips.html', 'style.css', 'data/un-members.json']) {
    assert.ok(fs.existsSync(path.join(webDir, f)), f);
  }
});

test('HTML has no inline script, inline style or outside resource', () => {
  for (const f of files(webDir, ['.html'])) {
    const html = fs.readFileSync(f, 'utf8');
    const name = path.relative(webDir, f);
    assert.doesNotMatch(html, /<style[\s>]/i, `${name}: <style> block`);
    assert.doesNotMatch(html, /\sstyle\s*=/i, `${name}: style= attribute`);
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `${name}: inline event handler`);
    for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      assert.match(m[1], /\ssrc="\/(static\/|vendor\/chart\.js")/, `${name}: every script is a file under /static/ (or Debian's Chart.js at /vendor/chart.js, served by plenary)`);
      assert.equal(m[2].trim(), '', `${name}: inline script`);
    }
    for (const m of html.matchAll(/\s(?:src|href)="([^"]*)"/gi)) {
      assert.ok(/^(\/(?!\/)|#)/.test(m[1]), `${name}: ${m[1]} is not a same-origin absolute path`);
    }
  }
});

test('scripts never parse strings as HTML or code', () => {
  for (const f of files(webDir, ['.js', '.mjs'])) {
    const src = fs.readFileSync(f, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    const name = path.relative(webDir, f);
    let code = src.replace(/new Set\(\[[^\]]*'innerHTML'[^\]]*\]\)/, ''); // dom.js's list of refused properties
    // qr.js alone parses the server's QR code SVG, as XML only, and copies allowed SVG elements.
    if (name === 'qr.js') {
      assert.match(code, /new DOMParser\(\)\.parseFromString\([^)]*'image\/svg\+xml'\)/, 'qr.js parses as image/svg+xml');
      assert.doesNotMatch(code, /importNode|adoptNode|'script'|'foreignObject'/, 'qr.js copies, never imports, and never lets a script through');
      code = code.replace(/new DOMParser\(\)\.parseFromString\([^)]*'image\/svg\+xml'\)/, '');
    }
    for (const bad of ['.innerHTML', '.outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function', 'createContextualFragment', 'srcdoc', 'DOMParser', 'setAttribute(\'style\'', '.cssText']) {
      assert.ok(!code.includes(bad), `${name} uses ${bad}`);
    }
    assert.doesNotMatch(code, /import\s[^'"]*['"](?!\.\/|\.\.\/|\/static\/)/, `${name}: imports only local modules`);
    // The one thing kept per browser is the language chosen (issue 18), by i18n.js alone, under
    // one key; the join code lives in sessionStorage only.
    const code_ = name === 'i18n.js' ? code.replace(/localStorage\.(get|set)Item\(STORAGE_KEY\b/g, '') : code;
    assert.doesNotMatch(code_, /localStorage|document\.cookie/, `${name}: the join code lives in sessionStorage only`);
  }
});

test('CSS loads nothing from outside', () => {
  for (const f of files(webDir, ['.css'])) {
    const css = fs.readFileSync(f, 'utf8');
    assert.doesNotMatch(css, /@import|url\(\s*['"]?(https?:)?\/\//i, path.relative(webDir, f));
  }
});
