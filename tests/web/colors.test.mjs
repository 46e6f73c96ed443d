// web/colors.js, the pure part: a state's colour is derived from its code alone, so that every
// page and participant sees the same one (paintState and stateChip set it on elements and are
// covered by the browser tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isChair, stateHue, stateLight } from '../../web/colors.js';

test('the text as tabled (a bracket\'s TABLED alternative) is nobody\'s colour', () => {
  assert.equal(stateHue('TABLED'), null);
  assert.equal(stateLight('TABLED'), null);
  assert.equal(isChair('TABLED'), false, 'not the chair either');
});

test('the chair, observers and no code get the neutral colour', async (t) => {
  const cases = [
    { name: 'CHAIR', code: 'CHAIR', chair: true },
    { name: 'chair in lower case', code: 'chair', chair: true },
    { name: 'OBSERVER', code: 'OBSERVER', chair: true },
    { name: 'no code', code: null, chair: false },
    { name: 'a delegation', code: 'CHN', chair: false },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      assert.equal(isChair(c.code), c.chair);
      if (c.chair || !c.code) {
        assert.equal(stateHue(c.code), null);
        assert.equal(stateLight(c.code), null);
      }
    });
  }
});

test('a delegation\'s colour: one of 24 hues 15° apart, a light or a deeper tint', async (t) => {
  const cases = ['CHN', 'USA', 'FRA', 'GBR', 'RUS', 'G77', 'EU27ABCD'].map((code) => ({ name: code, code }));
  for (const c of cases) {
    await t.test(c.name, () => {
      const hue = stateHue(c.code);
      assert.ok(Number.isInteger(hue) && hue >= 0 && hue < 360, `hue ${hue}`);
      assert.equal((hue - 5 + 360) % 15, 0, `hue ${hue} is 5° past a multiple of 15°`);
      assert.ok([80, 90].includes(stateLight(c.code)));
      assert.equal(stateHue(c.code.toLowerCase()), hue, 'the code\'s case does not matter');
      assert.equal(stateHue(c.code), hue, 'the same code always gives the same hue');
    });
  }
});

test('the codes of one committee spread over several hues', () => {
  const hues = new Set(['CHN', 'USA', 'FRA', 'GBR', 'RUS', 'DEU', 'JPN', 'BRA', 'IND', 'ZAF'].map(stateHue));
  assert.ok(hues.size >= 6, `${hues.size} distinct hues for 10 codes`);
});
