// The branch `procedure`: an act's commit, a batch of acts published in the order that a crash
// can be repaired from, and that repair (storage/procedure.hpp). The acts themselves:
// proposal_acts.cpp; records as JSON: proposal_records.cpp; tags: tags.cpp.
#include "storage/procedure.hpp"

#include "storage/commit_message.hpp"
#include "storage/git/pack_writer.hpp"
#include "storage/git/side_branch.hpp"

namespace plenary::storage {

status write_act_commit(repo& r, proposal_book& book, const proposal_record& rec,
                        const act_message& m, std::vector<git_oid>& objects) {
  const side_commit c{.folder = "proposals",
                      .name = std::to_string(rec.n) + ".json",
                      .content = write_record(rec),
                      .author = m.by,
                      .at = m.at,
                      .message = message::compose_act(m.summary, m.note, m.act, rec.n,
                                                      m.by ? m.by->state : std::string(), m.choice),
                      .what = "the act"};
  auto written = write_side_commit(r, side_tip{book.tip, book.root_tree}, c);
  if (!written) return std::move(written).err();
  objects.insert(objects.end(), written->objects.begin(), written->objects.end());
  book.tip = written->tip.commit;
  book.root_tree = written->tip.tree;
  return ok_status();
}

std::string proposal_ref(int n) { return "refs/proposals/" + std::to_string(n); }

// ---- publishing and repairing -----------------------------------------------------------------

status publish_acts(repo& r, act_batch& ab, const git_oid& main_head, const git_oid& before) {
  std::vector<git_oid> objects = ab.objects;
  objects.insert(objects.end(), ab.main.objects.begin(), ab.main.objects.end());
  if (status s = pack_writer::write(r, objects); !s) return s;
  // 1. The records (the truth), 2. main, 3. the proposals' refs: see the top of procedure.hpp.
  if (status s =
          r.update_ref(procedure_ref, ab.book.tip, git_oid_is_zero(&before) ? nullptr : &before);
      !s) {
    return s;
  }
  if (!ab.main.commits.empty()) {
    if (status s = r.update_main(ab.main.t.commit, &main_head); !s) return s;
  }
  for (const auto& [n, oid] : ab.tabled) {
    (void)r.force_ref(proposal_ref(n), oid);  // a failure here is repaired by reconcile
  }
  r.discard_memory();
  return ok_status();
}

result<bool> reconcile(repo& r, const draft_index& index, const tip& head, proposal_book& book,
                       std::int64_t at) {
  // A tabled proposal whose ref was not written (crash after main, or a failed write).
  for (const proposal_record& rec : book.records) {
    auto ref = r.ref_target(proposal_ref(rec.n));
    if (ref) continue;
    if (ref.err().kind != error_kind::not_found) return std::move(ref).err();
    git_oid oid;
    if (!git::from_hex(rec.commit, &oid)) continue;
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, r.get(), &oid) < 0) {
      git_error_clear();
      continue;  // the commit is gone too: nothing to point at
    }
    git_commit_free(raw);
    if (status s = r.force_ref(proposal_ref(rec.n), oid); !s) return std::move(s).err();
  }
  // Adopting commits that main lacks (crash between the updates of procedure and main).
  std::vector<std::pair<int, git_oid>> missing;
  for (const proposal_record& rec : book.records) {
    if (rec.status != proposal_status::adopted || !rec.result || rec.result->commit.empty()) {
      continue;
    }
    if (index.find_commit(rec.result->commit)) continue;
    git_oid oid{};
    (void)git::from_hex(rec.result->commit, &oid);
    missing.emplace_back(rec.n, oid);
  }
  if (missing.empty()) return false;
  for (const auto& [n, candidate] : missing) {
    bool follows = git_graph_descendant_of(r.get(), &candidate, &head.commit) == 1;
    for (const auto& [m, other] : missing) {
      if (!follows) break;
      if (!git_oid_equal(&candidate, &other)) {
        follows = git_graph_descendant_of(r.get(), &candidate, &other) == 1;
      }
    }
    git_error_clear();
    if (!follows) continue;
    if (status s = r.update_main(candidate, &head.commit); !s) return std::move(s).err();
    return true;
  }
  // Main went elsewhere (moved by someone else): the adoptions cannot be finished.
  proposal_book next = book;
  std::vector<git_oid> objects;
  for (const auto& [n, oid] : missing) {
    proposal_record& rec = next.records[static_cast<std::size_t>(n) - 1];
    rec.status = proposal_status::conflict;
    rec.result = proposal_result{proposal_outcome::conflict, {}};
    act_message m{"Reconcile proposal " + std::to_string(n) + ": its adopting commit " +
                      git::to_hex(oid).substr(0, 7) + " is not on main",
                  {},
                  "reconcile",
                  std::nullopt,
                  {},
                  at};
    if (status s = write_act_commit(r, next, rec, m, objects); !s) {
      r.discard_memory();
      return std::move(s).err();
    }
  }
  status s = pack_writer::write(r, objects);
  if (s) s = r.update_ref(procedure_ref, next.tip, &book.tip);
  r.discard_memory();
  if (!s) return std::move(s).err();
  book = std::move(next);
  return false;
}

}  // namespace plenary::storage
