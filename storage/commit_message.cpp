#include "storage/commit_message.hpp"

#include <cctype>
#include <charconv>

#include "storage/text.hpp"

namespace plenary::storage::message {
namespace {

constexpr std::string_view email_domain = "@delegations.invalid";

bool is_trailer_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

// A decimal number of 1 to 9 digits, nothing else.
std::optional<int> read_number(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  int n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || n < 0) return std::nullopt;
  return n;
}

// "8-4-0"
std::optional<vote_count> read_vote(std::string_view s) {
  const std::size_t a = s.find('-');
  const std::size_t b = a == std::string_view::npos ? a : s.find('-', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  auto yes = read_number(s.substr(0, a));
  auto no = read_number(s.substr(a + 1, b - a - 1));
  auto abstain = read_number(s.substr(b + 1));
  if (!yes || !no || !abstain) return std::nullopt;
  return vote_count{*yes, *no, *abstain};
}

void read_procedure_trailer(std::string_view key, std::string_view value, parts& found) {
  procedure_trailers& p = found.procedure;
  if (key == "Stage") {
    p.stage = parse_stage(value);
  } else if (key == "Proposal") {
    if (auto n = read_number(value); n && *n > 0) p.proposal = *n;
  } else if (key == "Adopted") {
    if (value == "friendly") p.adopted = adoption_kind::friendly;
    if (value == "vote") p.adopted = adoption_kind::vote;
  } else if (key == "Vote") {
    p.vote = read_vote(value);
  }
}

// Reads "Key: value" lines; false when some line is not a trailer.
bool read_trailers(std::string_view block, parts& out) {
  if (block.empty()) return false;
  parts found;
  bool any = false;
  while (!block.empty()) {
    const std::size_t nl = block.find('\n');
    const std::string_view line = block.substr(0, nl);
    block = nl == std::string_view::npos ? std::string_view() : block.substr(nl + 1);
    const std::size_t colon = line.find(": ");
    if (colon == std::string_view::npos || !is_trailer_key(line.substr(0, colon))) return false;
    const std::string_view key = line.substr(0, colon);
    const std::string_view value = line.substr(colon + 2);
    any = true;
    if (key == "Op") {
      found.op = parse_op(value);
    } else if (key == "Clause") {
      found.clause = std::string(value);
    } else if (key == "State") {
      found.state = std::string(value);
    } else {
      read_procedure_trailer(key, value, found);
    }
  }
  if (!any) return false;
  out.op = found.op;
  out.clause = std::move(found.clause);
  out.state = std::move(found.state);
  out.procedure = found.procedure;
  return true;
}

// Position of `index` among the clauses of its kind, 1-based, and how many there are.
std::pair<std::size_t, std::size_t> ordinal(const std::vector<clause>& clauses, std::size_t index) {
  std::size_t position = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    if (clauses[i].kind != clauses[index].kind) continue;
    ++count;
    if (i <= index) ++position;
  }
  return {position, count};
}

std::string kind_noun(clause_kind kind) {
  switch (kind) {
    case clause_kind::heading:
      return "heading";
    case clause_kind::preamble:
      return "preambular paragraph";
    case clause_kind::operative:
      return "operative clause";
  }
  return "clause";
}

}  // namespace

std::string compose(std::string_view summary, std::string_view note, op_kind op,
                    std::string_view clause, std::string_view state) {
  return compose(summary, note, op, clause, state, procedure_trailers{});
}

std::string compose(std::string_view summary, std::string_view note, op_kind op,
                    std::string_view clause, std::string_view state,
                    const procedure_trailers& procedure) {
  std::string m;
  m.reserve(summary.size() + note.size() + 64);
  m.append(summary);
  m.append("\n\n");
  if (!note.empty()) {
    m.append(note);
    m.append("\n\n");
  }
  m.append("Op: ").append(to_string(op)).append("\n");
  if (!clause.empty()) m.append("Clause: ").append(clause).append("\n");
  m.append("State: ").append(state).append("\n");
  if (procedure.stage) m.append("Stage: ").append(to_string(*procedure.stage)).append("\n");
  if (procedure.proposal)
    m.append("Proposal: ").append(std::to_string(*procedure.proposal)) += '\n';
  if (procedure.adopted) m.append("Adopted: ").append(to_string(*procedure.adopted)) += '\n';
  if (procedure.vote) {
    const vote_count& v = *procedure.vote;
    m.append("Vote: ")
        .append(std::to_string(v.yes) + "-" + std::to_string(v.no) + "-" +
                std::to_string(v.abstain))
        .append("\n");
  }
  return m;
}

std::string compose_act(std::string_view summary, std::string_view note, std::string_view act,
                        int proposal, std::string_view state, std::optional<vote_choice> choice) {
  std::string m;
  m.reserve(summary.size() + note.size() + 64);
  m.append(summary).append("\n\n");
  if (!note.empty()) m.append(note).append("\n\n");
  m.append("Act: ").append(act).append("\n");
  m.append("Proposal: ").append(std::to_string(proposal)).append("\n");
  if (!state.empty()) m.append("State: ").append(state).append("\n");
  if (choice) m.append("Choice: ").append(to_string(*choice)).append("\n");
  return m;
}

parts parse(std::string_view message) {
  parts out;
  const std::size_t nl = message.find('\n');
  out.summary = std::string(message.substr(0, nl));
  if (nl == std::string_view::npos) return out;
  std::string_view rest = message.substr(nl + 1);
  if (!rest.empty() && rest.front() == '\n') rest.remove_prefix(1);
  if (!rest.empty() && rest.back() == '\n') rest.remove_suffix(1);
  // The trailers are the last paragraph; they hold no blank line, the note may.
  const std::size_t gap = rest.rfind("\n\n");
  const std::string_view block = gap == std::string_view::npos ? rest : rest.substr(gap + 2);
  if (read_trailers(block, out)) {
    out.note = gap == std::string_view::npos ? std::string() : std::string(rest.substr(0, gap));
  } else {
    out.note = std::string(rest);
  }
  return out;
}

std::string clause_label(const std::vector<clause>& clauses, std::size_t index) {
  const clause& c = clauses[index];
  if (c.kind == clause_kind::operative && c.number) {
    return "operative clause " + std::to_string(*c.number);
  }
  const auto [position, count] = ordinal(clauses, index);
  if (c.kind == clause_kind::heading && count == 1) return "heading";
  return kind_noun(c.kind) + " " + std::to_string(position);
}

std::string open_summary(std::string_view title) { return "Open draft: " + std::string(title); }

std::string replace_summary(const std::vector<clause>& clauses, std::size_t index) {
  return "Replace " + clause_label(clauses, index);
}

std::string insert_summary(const std::vector<clause>& after_insert, std::size_t index) {
  return "Insert " + clause_label(after_insert, index);
}

std::string delete_summary(const std::vector<clause>& before_delete, std::size_t index) {
  return "Delete " + clause_label(before_delete, index);
}

std::string move_summary(const std::vector<clause>& before, std::size_t from,
                         const std::vector<clause>& after, std::size_t to) {
  const std::string label = clause_label(before, from);
  const std::size_t old_position = ordinal(before, from).first;
  const std::size_t new_position = ordinal(after, to).first;
  if (old_position != new_position) {
    return "Move " + label + " to " + std::to_string(new_position);
  }
  if (to == 0) return "Move " + label + " to the top";
  return "Move " + label + " after " + clause_label(after, to - 1);
}

std::string bracket_summary(const std::vector<clause>& clauses, std::size_t index, bool added) {
  return (added ? "Add an alternative to a bracket in " : "Bracket wording in ") +
         clause_label(clauses, index);
}

std::string resolve_summary(const std::vector<clause>& clauses, std::size_t index) {
  return "Resolve a bracket in " + clause_label(clauses, index);
}

std::string stage_summary(draft_stage stage) {
  switch (stage) {
    case draft_stage::working:
      return "Move the draft back to the working stage";
    case draft_stage::formal:
      return "Move the draft to the formal stage";
    case draft_stage::adopted:
      return "Adopt the draft";
  }
  return "Change the stage";
}

std::string sponsors_summary(const std::vector<std::string>& sponsors) {
  if (sponsors.empty()) return "Clear the sponsors";
  std::string s = "Set the sponsors: ";
  for (std::size_t i = 0; i < sponsors.size(); ++i) {
    if (i > 0) s += ", ";
    s += sponsors[i];
  }
  // A summary is one line of reasonable length; the full list is in draft.json.
  if (s.size() > 120) s = "Set the sponsors (" + std::to_string(sponsors.size()) + " states)";
  return s;
}

std::string author_email(std::string_view state) {
  std::string email;
  for (char c : state) email += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  email.append(email_domain);
  return email;
}

std::string state_from_email(std::string_view email) {
  if (email.size() <= email_domain.size() ||
      email.substr(email.size() - email_domain.size()) != email_domain) {
    return {};
  }
  std::string state;
  for (char c : email.substr(0, email.size() - email_domain.size())) {
    state += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return is_valid_state_code(state) ? state : std::string();
}

}  // namespace plenary::storage::message
