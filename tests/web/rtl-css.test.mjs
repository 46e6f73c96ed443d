// web/*.css for both directions (issue 18): one stylesheet serves ltr and rtl pages because the
// layout is written with logical properties (margin-inline-start, padding-inline-end,
// inset-inline-start, border-inline-start, text-align: start, float: inline-start) and never
// with left/right. A physical property fails here, naming the file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const webDir = fileURLToPath(new URL('../../web/', import.meta.url));
// Stylesheets of pages not converted yet (the organizer console and the debrief: branch
// i18nplus); remove a line when its stylesheet is converted.
const NOT_YET_CONVERTED = new Set(['organize.css', 'debrief.css']);

const PHYSICAL = [
  { name: 'margin/padding/border left or right', re: /(?<![-\w])(margin|padding|border)-(left|right)\b/ },
  { name: 'left/right offset', re: /(?:^|[{;\s])(left|right)\s*:/ },
  { name: 'text-align left/right', re: /text-align\s*:\s*(left|right)\b/ },
  { name: 'float/clear left/right', re: /(float|clear)\s*:\s*(left|right)\b/ },
  { name: 'corner radius by side', re: /border-(top|bottom)-(left|right)-radius/ },
  // margin: top right bottom left with right ≠ left
  { name: 'four-value margin/padding', re: /(?<![-\w])(margin|padding)\s*:\s*([^\s;}]+)\s+([^\s;}]+)\s+([^\s;}]+)\s+([^\s;}!]+)\s*(!important)?\s*[;}]/, check: (m) => m[3] !== m[5] },
];

test('stylesheets use logical properties only', async (t) => {
  for (const name of readdirSync(webDir).filter((f) => f.endsWith('.css') && !NOT_YET_CONVERTED.has(f)).sort()) {
    await t.test(name, () => {
      const lines = readFileSync(join(webDir, name), 'utf8').replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).split('\n');
      const found = [];
      lines.forEach((raw, i) => {
        const line = raw.replace(/\([^()]*\)/g, '(…)'); // clamp(1rem, 4vw, 2rem) is one value
        for (const p of PHYSICAL) {
          const m = line.match(p.re);
          if (m && (!p.check || p.check(m))) found.push(`${name}:${i + 1}: ${p.name}: ${line.trim()}`);
        }
      });
      assert.deepEqual(found, []);
    });
  }
});
