// Private to storage: the commit message and the author identity of an amendment
// (protocol.md, "Storage layout"), written and read back.
//
//   <summary line>\n
//   \n
//   <note>\n            (this paragraph only when the note is not empty; may hold blank lines)
//   \n
//   Op: <op>\n
//   Clause: <id>\n      (not for `open`)
//   State: <code>\n
//   Stage: <stage>\n     (op stage only)
//   Proposal: <n>\n      (an adopted proposal, or a proposal's own commit)
//   Adopted: friendly|vote\n
//   Vote: <yes>-<no>-<abstain>\n
//
// and the commits of the branch `procedure` (procedure.md, "Audit trail"):
//
//   <summary line>\n\n[<note>\n\n]Act: <act>\nProposal: <n>\nState: <code>\n[Choice: <choice>\n]
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/model.hpp"

namespace plenary::storage::message {

// The trailers of procedure.md that follow `State:`, each on the commits it describes.
struct procedure_trailers {
  std::optional<draft_stage> stage;
  std::optional<int> proposal;
  std::optional<adoption_kind> adopted;
  std::optional<vote_count> vote;
};

struct parts {
  std::string summary;
  std::string note;
  std::optional<op_kind> op;  // nullopt when there is no readable `Op:` trailer
  std::string clause;
  std::string state;
  procedure_trailers procedure;  // those that are there and readable
};

std::string compose(std::string_view summary, std::string_view note, op_kind op,
                    std::string_view clause, std::string_view state);
std::string compose(std::string_view summary, std::string_view note, op_kind op,
                    std::string_view clause, std::string_view state,
                    const procedure_trailers& procedure);

// A commit of the branch `procedure`. `state` empty leaves out `State:`; `choice` is for a vote.
std::string compose_act(std::string_view summary, std::string_view note, std::string_view act,
                        int proposal, std::string_view state,
                        std::optional<vote_choice> choice = std::nullopt);

// Reads back what `compose` wrote, the note byte for byte. Messages written by other tools
// are read leniently: no trailers gives op nullopt and the body as the note.
parts parse(std::string_view message);

// "operative clause 3", "preambular paragraph 2", "heading" (or "heading 2" when the draft
// has several): how a person names clauses[index] in the document `clauses`.
std::string clause_label(const std::vector<clause>& clauses, std::size_t index);

// The one-line summaries.
std::string open_summary(std::string_view title);
std::string replace_summary(const std::vector<clause>& clauses, std::size_t index);
std::string insert_summary(const std::vector<clause>& after_insert, std::size_t index);
std::string delete_summary(const std::vector<clause>& before_delete, std::size_t index);
std::string move_summary(const std::vector<clause>& before, std::size_t from,
                         const std::vector<clause>& after, std::size_t to);
// "Bracket wording in operative clause 3", "Add an alternative to a bracket in ...".
std::string bracket_summary(const std::vector<clause>& clauses, std::size_t index, bool added);
// "Resolve a bracket in operative clause 3".
std::string resolve_summary(const std::vector<clause>& clauses, std::size_t index);
// "Move the draft to the formal stage", "Adopt the draft".
std::string stage_summary(draft_stage stage);
// "Set the sponsors: CHN, RUS", "Clear the sponsors".
std::string sponsors_summary(const std::vector<std::string>& sponsors);

// The author e-mail of a state: `rus@delegations.invalid`.
std::string author_email(std::string_view state);
// The state code of an author e-mail written by `author_email`; empty when it is not one.
std::string state_from_email(std::string_view email);

}  // namespace plenary::storage::message
