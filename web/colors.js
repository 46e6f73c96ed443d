// A stable colour per state, derived only from its code, so that every page and every
// participant sees the same colour for the same delegation.
import { h } from './dom.js';

// 24 hues 15° apart; neighbouring slots also differ in lightness (a light and a deeper tint),
// so that two states whose hues are close still look different. Used as tints (light
// backgrounds behind dark text) and as dark borders, so text contrast never depends on the hue.
const SLOTS = 24;

function hash(str) {
  // FNV-1a with a final avalanche step, so that codes differing in one letter spread apart.
  let h = (0x811c9dc5 ^ 1) >>> 0;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  return h >>> 0;
}

function slotOf(code) {
  return hash(String(code).toUpperCase()) % SLOTS;
}

/** The chair (and observers, who are no state) get a neutral colour. */
export function isChair(code) {
  const c = String(code ?? '').toUpperCase();
  return c === 'CHAIR' || c === 'OBSERVER';
}

/** The text as tabled (a bracket's `TABLED` alternative, docs/extensions.md) is nobody's colour. */
function isTabled(code) {
  return String(code ?? '').toUpperCase() === 'TABLED';
}

/** The hue for a state code, or null for the chair and the text as tabled (neutral). */
export function stateHue(code) {
  if (!code || isChair(code) || isTabled(code)) return null;
  return (slotOf(code) * 15 + 5) % 360;
}

/** Lightness of the state's tint, in percent (alternates between neighbouring hues). */
export function stateLight(code) {
  if (!code || isChair(code) || isTabled(code)) return null;
  return slotOf(code) % 2 ? 80 : 90;
}

/**
 * The state's colours as CSS strings for drawings (the debrief's charts): its hue a shade deeper
 * than the room's tints (bars are thin, on white) and the dark border the chips use. The chair
 * and the tabled text are neutral greys, told apart by lightness.
 */
export function stateColors(code) {
  if (code === null || code === undefined || code === '') return { fill: '#d6d6d2', stroke: '#6b6b68' };
  const hue = stateHue(code);
  if (hue === null) return { fill: '#8a8a86', stroke: '#3a3a38' };
  return { fill: `hsl(${hue} 65% ${stateLight(code) - 22}%)`, stroke: `hsl(${hue} 55% 30%)` };
}

/** Sets the CSS custom properties that colour an element for a state. */
export function paintState(el, code) {
  const hue = stateHue(code);
  if (hue === null) {
    el.classList.add('state--neutral');
    el.style.removeProperty('--state-hue');
    el.style.removeProperty('--state-light');
  } else {
    el.classList.remove('state--neutral');
    el.style.setProperty('--state-hue', String(hue));
    el.style.setProperty('--state-light', `${stateLight(code)}%`);
  }
  return el;
}

/** A chip: the state code on its colour, the name for hover and screen readers. */
export function stateChip(code, name, extra = {}) {
  const label = name && name !== code ? `${name} (${code})` : String(code ?? '?');
  const chip = h('span', {
    class: ['chip', extra.class],
    title: extra.title ?? label,
    dataset: { state: code ?? '' },
  }, h('span', { 'aria-hidden': 'true' }, code ?? '?'), h('span', { class: 'visually-hidden' }, label));
  return paintState(chip, code);
}
