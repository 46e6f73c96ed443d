// Imported first by the tests of modules that name things (labels.js, room/state.js): the English
// catalog as the current language, as a page in English has it after `startI18n()`.
import { readFileSync } from 'node:fs';
import { useCatalog } from '../../web/i18n.js';

useCatalog('en', JSON.parse(readFileSync(new URL('../../web/i18n/en.json', import.meta.url), 'utf8')));
