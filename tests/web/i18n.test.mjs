// web/i18n.js in Node: the language chosen, messages with placeholders, plurals by each language's
// Intl.PluralRules, selects, numbers, the English fallback, error sentences and the chair's name.
// Table-driven, named cases; the catalogs are small ones made here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chooseLanguage, useCatalog, t, tn, messageArguments, errorText, localizeActors, hasMessage, formatList,
} from '../../web/i18n.js';

test('chooseLanguage: ?lang= > this tab > remembered > the browser > English', async (tt) => {
  const cases = [
    { name: 'nothing known: English', args: {}, lang: 'en' },
    { name: 'the browser’s first language we speak', args: { preferred: ['de-DE', 'fr-CA', 'es'] }, lang: 'fr' },
    { name: 'a region is dropped', args: { preferred: ['zh-TW'] }, lang: 'zh' },
    { name: 'remembered beats the browser', args: { stored: 'ru', preferred: ['fr'] }, lang: 'ru' },
    { name: 'the tab beats remembered', args: { tab: 'es', stored: 'ru' }, lang: 'es' },
    { name: '?lang= beats all', args: { search: '?lang=ar', tab: 'es', stored: 'ru', preferred: ['fr'] }, lang: 'ar' },
    { name: '?lang= is case-insensitive', args: { search: '?x=1&lang=ZH' }, lang: 'zh' },
    { name: 'an unknown ?lang= is ignored', args: { search: '?lang=xx', stored: 'fr' }, lang: 'fr' },
    { name: 'an unknown remembered value is ignored', args: { stored: 'klingon', preferred: ['es-MX'] }, lang: 'es' },
  ];
  for (const c of cases) await tt.test(c.name, () => assert.equal(chooseLanguage(c.args), c.lang));
});

const EN = {
  'x.hello': 'Hello {name}',
  'x.count': '{count, plural, =0 {no clause} one {# clause} other {# clauses}}',
  'x.role': 'You are {role, select, chair {the Chair} other {a delegation}}.',
  'x.nested': '{n, plural, one {# vote: {who}} other {# votes: {who}}}',
  'x.only': 'only in English',
  'error.forbidden': 'Not allowed here.',
  'term.chair': 'Chair',
  'term.observer': 'Observer',
};
const RU = {
  'x.hello': 'Здравствуйте, {name}',
  'x.count': '{count, plural, one {# пункт} few {# пункта} many {# пунктов} other {# пункта}}',
  'x.role': 'Вы — {role, select, chair {Председатель} other {делегация}}.',
  'x.nested': '{n, plural, one {# голос: {who}} few {# голоса: {who}} many {# голосов: {who}} other {# голоса: {who}}}',
  'error.forbidden': 'Здесь это не разрешено.',
  'term.chair': 'Председатель',
  'term.observer': 'Наблюдатель',
};
const AR = {
  'x.count': '{count, plural, zero {لا فقرات} one {فقرة واحدة} two {فقرتان} few {# فقرات} many {# فقرة} other {# فقرة}}',
};

test('t: placeholders, plurals, selects, numbers, fallback', async (tt) => {
  const cases = [
    { name: 'a placeholder', lang: 'en', cat: EN, id: 'x.hello', params: { name: 'France' }, out: 'Hello France' },
    { name: 'a missing param stays visible', lang: 'en', cat: EN, id: 'x.hello', params: {}, out: 'Hello {name}' },
    { name: 'an unknown id is the id', lang: 'en', cat: EN, id: 'x.nope', params: {}, out: 'x.nope' },
    { name: 'plural =0', lang: 'en', cat: EN, id: 'x.count', params: { count: 0 }, out: 'no clause' },
    { name: 'plural one', lang: 'en', cat: EN, id: 'x.count', params: { count: 1 }, out: '1 clause' },
    { name: 'plural other, grouped', lang: 'en', cat: EN, id: 'x.count', params: { count: 1234 }, out: '1,234 clauses' },
    { name: 'Russian one (21)', lang: 'ru', cat: RU, id: 'x.count', params: { count: 21 }, out: '21 пункт' },
    { name: 'Russian few (3)', lang: 'ru', cat: RU, id: 'x.count', params: { count: 3 }, out: '3 пункта' },
    { name: 'Russian many (5)', lang: 'ru', cat: RU, id: 'x.count', params: { count: 5 }, out: '5 пунктов' },
    { name: 'Arabic two', lang: 'ar', cat: AR, id: 'x.count', params: { count: 2 }, out: 'فقرتان' },
    { name: 'Arabic few, Latin digits', lang: 'ar', cat: AR, id: 'x.count', params: { count: 3 }, out: '3 فقرات' },
    { name: 'Arabic many', lang: 'ar', cat: AR, id: 'x.count', params: { count: 11 }, out: '11 فقرة' },
    { name: 'select', lang: 'en', cat: EN, id: 'x.role', params: { role: 'chair' }, out: 'You are the Chair.' },
    { name: 'select other', lang: 'en', cat: EN, id: 'x.role', params: { role: 'observer' }, out: 'You are a delegation.' },
    { name: 'a placeholder inside a plural', lang: 'ru', cat: RU, id: 'x.nested', params: { n: 2, who: 'CHN' }, out: '2 голоса: CHN' },
    { name: 'a key missing in a catalog falls back to English', lang: 'ru', cat: RU, id: 'x.only', params: {}, out: 'only in English' },
    { name: 'French groups thousands with a narrow space', lang: 'fr', cat: EN, id: 'x.count', params: { count: 1234 }, out: '1\u202f234 clauses' },
  ];
  for (const c of cases) {
    await tt.test(c.name, () => {
      useCatalog(c.lang, c.cat, EN);
      assert.equal(t(c.id, c.params), c.out);
    });
  }
});

test('tn keeps nodes given as params, in their place', () => {
  useCatalog('en', EN, EN);
  const node = { textContent: 'FRA' }; // any object stands for a node in Node.js
  assert.deepEqual(tn('x.hello', { name: node }), ['Hello ', node]);
});

test('messageArguments: the arguments a message uses, inside plurals and selects too', async (tt) => {
  const cases = [
    { name: 'plain', text: 'Hello {name}', args: ['name'] },
    { name: 'plural with a nested placeholder', text: EN['x.nested'], args: ['n', 'who'] },
    { name: 'select branches are not arguments', text: EN['x.role'], args: ['role'] },
    { name: 'no argument', text: 'Nothing here.', args: [] },
  ];
  for (const c of cases) await tt.test(c.name, () => assert.deepEqual([...messageArguments(c.text)].sort(), c.args));
  await tt.test('an unbalanced message is refused', () => assert.throws(() => messageArguments('{n, plural, one {x}')));
  await tt.test('a plural without other is refused', () => assert.throws(() => messageArguments('{n, plural, one {x}}')));
});

test('errorText: the server’s sentence in English, the catalog’s for its code elsewhere', async (tt) => {
  const err = { code: 'forbidden', message: 'Only the chair may open a vote.' };
  const cases = [
    { name: 'English: the server’s own sentence', lang: 'en', cat: EN, err, out: 'Only the chair may open a vote.' },
    { name: 'Russian: the catalog’s sentence for the code', lang: 'ru', cat: RU, err, out: 'Здесь это не разрешено.' },
    { name: 'a code without a sentence: the message', lang: 'ru', cat: RU, err: { code: 'teapot', message: 'short and stout' }, out: 'short and stout' },
    { name: 'our own (local) error is already translated', lang: 'ru', cat: RU, err: { code: 'forbidden', local: true, message: 'свой текст' }, out: 'свой текст' },
  ];
  for (const c of cases) {
    await tt.test(c.name, () => {
      useCatalog(c.lang, c.cat, EN);
      assert.equal(errorText(c.err), c.out);
    });
  }
});

test('localizeActors names the chair and observers in the page’s language, nothing else', () => {
  useCatalog('ru', RU, EN);
  const msg = { type: 'amended', by: { state: 'CHAIR', name: 'Chair' }, present: [{ state: 'OBSERVER', name: 'Observer' }, { state: 'FRA', name: 'France' }] };
  localizeActors(msg);
  assert.deepEqual(msg, { type: 'amended', by: { state: 'CHAIR', name: 'Председатель' }, present: [{ state: 'OBSERVER', name: 'Наблюдатель' }, { state: 'FRA', name: 'France' }] });
});

test('hasMessage and formatList follow the current language', () => {
  useCatalog('fr', {}, EN);
  assert.equal(hasMessage('x.hello'), true);
  assert.equal(hasMessage('x.nope'), false);
  assert.equal(formatList(['Chili', 'Kenya', 'France']), 'Chili, Kenya et France');
});
