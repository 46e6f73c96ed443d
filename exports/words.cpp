#include "exports/words.hpp"

namespace plenary::exports {
namespace {

// The category index of words::after.
constexpr std::size_t index(plural p) { return static_cast<std::size_t>(p); }

// One row per language, in the order of `language`. French puts a no-break space (U+00A0)
// before a colon and a semicolon, as the UN's French documents do; Chinese and Arabic use
// their own comma, semicolon and full stop (，；。 and ، ؛). Numbers, codes and dates stay in
// Latin digits in every language, as in the UN's documents.
constexpr std::array<words, 6> table = {{
    // Arabic. Counted nouns follow the number: 1 and 2 say it in the noun (إيداع واحد,
    // إيداعين), 3-10 take the plural, 11-99 the singular accusative, 100 and up the singular.
    {.draft = "المشروع {slug}",
     .version = "، الصيغة {version}",
     .commit = "، الإيداع {commit}",
     .date = " بتاريخ {date}",
     .end = ".",
     .sponsors = "مقدِّمو المشروع: {list}",
     .list_separator = "، ",
     .exported = "صدّره plenary من المشروع {slug} عند الإيداع {commit}",
     .after = {"، بعد {n} إيداع؛ آخرها من {author} بتاريخ {date}",
               "، بعد إيداع واحد؛ من {author} بتاريخ {date}",
               "، بعد إيداعين؛ آخرهما من {author} بتاريخ {date}",
               "، بعد {n} إيداعات؛ آخرها من {author} بتاريخ {date}",
               "، بعد {n} إيداعًا؛ آخرها من {author} بتاريخ {date}",
               "، بعد {n} إيداع؛ آخرها من {author} بتاريخ {date}"},
     .history = ". السجل الكامل محفوظ في مستودع git الخاص بالمشروع.",
     .chair = "الرئيس",
     .deletion = "(حذف)",
     .as_tabled = "كما قُدّم",
     .as_tabled_list = "كما قُدّم: {list}",
     .tabled = "النص كما قُدّم",
     .note = "ملاحظة {n} ({author}{on}{place}): {text}",
     .on_words = "، على الكلمات «{quote}»",
     .on_proposal = "، على الاقتراح {n}",
     .words_changed = "؛ تغيّرت هذه الكلمات منذ ذلك الحين",
     .words_gone = "؛ لم تعد هذه الكلمات في النص",
     .clause_gone = "؛ البند ليس في هذا النص",
     .reply = "رد من {author}: {text}",
     .other_notes = "ملاحظات أخرى"},
    // Chinese: no plural forms (CLDR: other only).
    {.draft = "草案 {slug}",
     .version = "，版本 {version}",
     .commit = "，提交 {commit}",
     .date = "，{date}",
     .end = "。",
     .sponsors = "提案国：{list}",
     .list_separator = "、",
     .exported = "由 plenary 从草案 {slug} 的提交 {commit} 导出",
     .after = {"", "", "", "", "", "，共 {n} 次提交；最后一次由 {author} 于 {date} 提交"},
     .history = "。完整历史记录保存在草案的 git 仓库中。",
     .chair = "主席",
     .deletion = "（删除）",
     .as_tabled = "提交时原文",
     .as_tabled_list = "提交时原文：{list}",
     .tabled = "提交时的案文",
     .note = "说明 {n}（{author}{on}{place}）：{text}",
     .on_words = "，针对词语“{quote}”",
     .on_proposal = "，针对第{n}号提案",
     .words_changed = "；这些词语此后已有改动",
     .words_gone = "；这些词语已不在文本中",
     .clause_gone = "；该条款不在本文本中",
     .reply = "{author} 回复：{text}",
     .other_notes = "其他说明"},
    // English: the words the exports had before --lang, unchanged.
    {.draft = "Draft {slug}",
     .version = ", version {version}",
     .commit = ", commit {commit}",
     .date = " of {date}",
     .end = ".",
     .sponsors = "Sponsors: {list}",
     .list_separator = ", ",
     .exported = "Exported by plenary from the draft {slug} at commit {commit}",
     .after = {"", ", after {n} commit; the last by {author} on {date}", "", "", "",
               ", after {n} commits; the last by {author} on {date}"},
     .history = ". The full history is in the draft's git repository.",
     .chair = "Chair",
     .deletion = "(delete)",
     .as_tabled = "as tabled",
     .as_tabled_list = "as tabled: {list}",
     .tabled = "The text as tabled",
     .note = "Note {n} ({author}{on}{place}): {text}",
     .on_words = ", on \u201C{quote}\u201D",
     .on_proposal = ", on proposal {n}",
     .words_changed = "; the words have changed since",
     .words_gone = "; the words are no longer in the text",
     .clause_gone = "; the clause is not in this text",
     .reply = "Reply by {author}: {text}",
     .other_notes = "Other notes"},
    // French.
    {.draft = "Projet {slug}",
     .version = ", version {version}",
     .commit = ", commit {commit}",
     .date = " du {date}",
     .end = ".",
     .sponsors = "Auteurs\u00a0: {list}",
     .list_separator = ", ",
     .exported = "Exporté par plenary depuis le projet {slug} au commit {commit}",
     .after = {"", ", après {n} commit\u00a0; le dernier par {author} le {date}", "", "",
               ", après {n} de commits\u00a0; le dernier par {author} le {date}",
               ", après {n} commits\u00a0; le dernier par {author} le {date}"},
     .history = ". L’historique complet se trouve dans le dépôt git du projet.",
     .chair = "Présidence",
     .deletion = "(supprimer)",
     .as_tabled = "tel que déposé",
     .as_tabled_list = "tel que déposé\u00a0: {list}",
     .tabled = "Le texte tel que déposé",
     .note = "Note {n} ({author}{on}{place})\u00a0: {text}",
     .on_words = ", sur les mots «\u00a0{quote}\u00a0»",
     .on_proposal = ", sur la proposition {n}",
     .words_changed = "\u00a0; ces mots ont changé depuis",
     .words_gone = "\u00a0; ces mots ne sont plus dans le texte",
     .clause_gone = "\u00a0; la clause n’est pas dans ce texte",
     .reply = "Réponse ({author})\u00a0: {text}",
     .other_notes = "Autres notes"},
    // Russian: после + genitive: 1, 21 коммита; 2-4 and 5-20 коммитов.
    {.draft = "Проект {slug}",
     .version = ", версия {version}",
     .commit = ", коммит {commit}",
     .date = " от {date}",
     .end = ".",
     .sponsors = "Авторы: {list}",
     .list_separator = ", ",
     .exported = "Экспортировано plenary из проекта {slug}, коммит {commit}",
     .after = {"", ", после {n} коммита; последний — {author}, {date}", "",
               ", после {n} коммитов; последний — {author}, {date}",
               ", после {n} коммитов; последний — {author}, {date}",
               ", после {n} коммита; последний — {author}, {date}"},
     .history = ". Полная история хранится в git-репозитории проекта.",
     .chair = "Председатель",
     .deletion = "(исключить)",
     .as_tabled = "как внесено",
     .as_tabled_list = "как внесено: {list}",
     .tabled = "Текст, как он был внесён",
     .note = "Пояснение {n} ({author}{on}{place}): {text}",
     .on_words = ", к словам «{quote}»",
     .on_proposal = ", к предложению {n}",
     .words_changed = "; с тех пор эти слова изменились",
     .words_gone = "; этих слов больше нет в тексте",
     .clause_gone = "; этого пункта нет в данном тексте",
     .reply = "Ответ ({author}): {text}",
     .other_notes = "Прочие пояснения"},
    // Spanish.
    {.draft = "Proyecto {slug}",
     .version = ", versión {version}",
     .commit = ", commit {commit}",
     .date = " del {date}",
     .end = ".",
     .sponsors = "Patrocinadores: {list}",
     .list_separator = ", ",
     .exported = "Exportado por plenary del proyecto {slug} en el commit {commit}",
     .after = {"", ", tras {n} commit; el último de {author} el {date}", "", "",
               ", tras {n} de commits; el último de {author} el {date}",
               ", tras {n} commits; el último de {author} el {date}"},
     .history = ". El historial completo está en el repositorio git del proyecto.",
     .chair = "Presidencia",
     .deletion = "(suprimir)",
     .as_tabled = "tal como se presentó",
     .as_tabled_list = "tal como se presentó: {list}",
     .tabled = "El texto tal como se presentó",
     .note = "Nota {n} ({author}{on}{place}): {text}",
     .on_words = ", sobre las palabras «{quote}»",
     .on_proposal = ", sobre la propuesta {n}",
     .words_changed = "; estas palabras han cambiado desde entonces",
     .words_gone = "; estas palabras ya no están en el texto",
     .clause_gone = "; la cláusula no figura en este texto",
     .reply = "Respuesta de {author}: {text}",
     .other_notes = "Otras notas"},
}};

struct codes {
  std::string_view two;
  std::string_view three;
};
constexpr std::array<codes, 6> code_table = {
    {{"ar", "ara"}, {"zh", "zho"}, {"en", "eng"}, {"fr", "fra"}, {"ru", "rus"}, {"es", "spa"}}};

}  // namespace

std::optional<language> parse_language(std::string_view s) noexcept {
  for (language l : all_languages) {
    if (s == language_code(l)) return l;
  }
  return std::nullopt;
}

std::string_view language_code(language l) noexcept {
  return code_table[static_cast<std::size_t>(l)].two;
}

std::string_view language_code3(language l) noexcept {
  return code_table[static_cast<std::size_t>(l)].three;
}

bool right_to_left(language l) noexcept { return l == language::ar; }

std::string_view language_choices() noexcept { return "ar, zh, en, fr, ru, es"; }

plural plural_of(language l, std::uint64_t n) noexcept {
  const std::uint64_t n10 = n % 10;
  const std::uint64_t n100 = n % 100;
  switch (l) {
    case language::ar:
      if (n == 0) return plural::zero;
      if (n == 1) return plural::one;
      if (n == 2) return plural::two;
      if (n100 >= 3 && n100 <= 10) return plural::few;
      if (n100 >= 11) return plural::many;
      return plural::other;
    case language::zh:
      return plural::other;
    case language::en:
      return n == 1 ? plural::one : plural::other;
    case language::fr:
      if (n <= 1) return plural::one;
      return n % 1000000 == 0 ? plural::many : plural::other;
    case language::ru:
      if (n10 == 1 && n100 != 11) return plural::one;
      if (n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14)) return plural::few;
      return plural::many;
    case language::es:
      if (n == 1) return plural::one;
      return n != 0 && n % 1000000 == 0 ? plural::many : plural::other;
  }
  return plural::other;
}

const words& words_of(language l) noexcept { return table[static_cast<std::size_t>(l)]; }

// In the order of `language`; the reasons are in words.hpp (number_format).
constexpr std::array<number_format, 6> number_formats = {{
    {.decimal = ".", .group = ",", .min_group_digits = 1, .percent = "{p}%"},             // ar
    {.decimal = ".", .group = ",", .min_group_digits = 1, .percent = "{p}%"},             // zh
    {.decimal = ".", .group = ",", .min_group_digits = 1, .percent = "{p}%"},             // en
    {.decimal = ",", .group = "\u202f", .min_group_digits = 1, .percent = "{p}\u00a0%"},  // fr
    {.decimal = ",", .group = "\u00a0", .min_group_digits = 1, .percent = "{p}\u00a0%"},  // ru
    {.decimal = ",", .group = ".", .min_group_digits = 2, .percent = "{p}\u00a0%"},       // es
}};

const number_format& number_format_of(language l) noexcept {
  return number_formats[static_cast<std::size_t>(l)];
}

std::string format_integer(language l, std::int64_t n) {
  const number_format& f = number_format_of(l);
  // The magnitude in unsigned arithmetic: -INT64_MIN does not fit an int64_t.
  const std::uint64_t magnitude =
      n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  const std::string digits = std::to_string(magnitude);
  std::string out = n < 0 ? "-" : "";
  // Grouped at all only when the first group would have min_group_digits digits (CLDR): with 2,
  // 1234 stays whole and 12345 is grouped, and then every group of three is.
  if (digits.size() < 3 + f.min_group_digits) return out + digits;
  const std::size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out += digits.substr(0, first);
  for (std::size_t i = first; i < digits.size(); i += 3) {
    out += f.group;
    out += digits.substr(i, 3);
  }
  return out;
}

std::string format_percent(language l, long tenths) {
  const number_format& f = number_format_of(l);
  const std::string p =
      format_integer(l, tenths / 10) + std::string(f.decimal) + std::to_string(tenths % 10);
  return fill(f.percent, {{"p", p}});
}

std::string fill(std::string_view tmpl,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  std::string out;
  out.reserve(tmpl.size() + 32);
  std::size_t pos = 0;
  while (pos < tmpl.size()) {
    const std::size_t open = tmpl.find('{', pos);
    const std::size_t close = open == std::string_view::npos ? open : tmpl.find('}', open);
    if (close == std::string_view::npos) break;
    out += tmpl.substr(pos, open - pos);
    const std::string_view name = tmpl.substr(open + 1, close - open - 1);
    bool found = false;
    for (const auto& [key, value] : values) {
      if (key == name) {
        out += value;
        found = true;
        break;
      }
    }
    if (!found) out += tmpl.substr(open, close - open + 1);
    pos = close + 1;
  }
  out += tmpl.substr(pos);
  return out;
}

}  // namespace plenary::exports
