// The saved index (storage/index_cache.hpp): used when its commit is still on main, read on
// top of by the commits made since (by plenary or by plain git), ignored when damaged or when
// main's history was rewritten, and never written by a reader.
#include "storage/index_cache.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "storage/draft.hpp"
#include "storage_fixture.hpp"

namespace plenary::storage::testing {
namespace {

class index_cache_test : public storage_test {
 protected:
  fs::path cache_path() const { return repo_path() / index_cache::file_name; }
  std::string commits() const { return git(repo_path(), "rev-list --count main").out; }

  // A draft with about `n` amendments of every kind after its open commit, closed again.
  void grow(int n = 300) {
    auto d = make();
    ASSERT_TRUE(d);
    const actor* who[] = {&rus, &fra, &chn};
    for (int i = 0; i < n; ++i) {
      const snapshot& h = d->head();
      const clause& c = h.clauses[static_cast<std::size_t>(i) % h.clauses.size()];
      request r;
      if (i % 37 == 5) {
        r = insert_req(*who[i % 3], c.id, clause_kind::operative, "Inserted " + std::to_string(i));
      } else if (i % 41 == 7 && h.clauses.size() > 4) {
        r = remove_req(*who[i % 3], c.id, c.rev);
      } else if (i % 23 == 3) {
        r = move_req(*who[i % 3], c.id, std::nullopt);
      } else {
        r = replace_req(*who[i % 3], c.id, c.rev, c.text + " w" + std::to_string(i),
                        i % 2 ? "note " + std::to_string(i) : "");
      }
      auto a = d->amend(r);
      if (!a) {
        ASSERT_EQ(a.err().kind, error_kind::invalid) << a.err().message;  // a no-op move
      }
    }
  }

  // Everything a draft answers from its index, as text.
  static std::string describe(draft& d) {
    std::string out;
    for (const log_entry& e : d.log()) {
      out += e.commit + " " + e.parent + " " + e.by.state + "/" + e.by.name + " " +
             std::to_string(e.at) + " " + to_string(e.op) + " " + e.clause + " [" + e.note + "]\n";
    }
    for (const clause& c : d.head().clauses) {
      out += c.id + " " + c.rev + " " + c.by + " " + c.text + "\n";
      auto h = d.history(c.id);
      if (!h) return out + "history failed: " + h.err().message;
      for (const history_entry& x : *h)
        out += "  " + x.entry.commit + " " + x.text.value_or("-") + "\n";
      auto b = d.blame(c.id);
      if (!b) return out + "blame failed: " + b.err().message;
      for (const blame_segment& s : *b) out += "  [" + s.text + "|" + s.state + "]";
      out += "\n";
    }
    return out;
  }

  std::string described_without_cache() {
    std::error_code ec;
    fs::rename(cache_path(), cache_path().string() + ".aside", ec);
    auto d = draft::open(repo_path(), {.repair = false});
    EXPECT_TRUE(d.ok());
    std::string s = d.ok() ? describe(**d) : "";
    fs::rename(cache_path().string() + ".aside", cache_path(), ec);
    return s;
  }
};

TEST_F(index_cache_test, closing_after_many_commits_saves_it_and_opening_uses_it) {
  grow();
  ASSERT_TRUE(fs::exists(cache_path()));
  auto saved = index_cache::read(repo_path());
  ASSERT_TRUE(saved);
  EXPECT_EQ(git::to_hex(saved->head), lines(git(repo_path(), "rev-parse main").out)[0]);
  EXPECT_EQ(std::to_string(saved->index.size()) + "\n", commits());
  const std::string walked = described_without_cache();
  auto d = reopen();
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), walked);
  // A snapshot of an old commit is built from the saved changes too.
  const std::string old = d->log()[200].commit;
  auto at = d->at(old);
  ASSERT_OK(at);
  EXPECT_EQ(at->head, old);
}

TEST_F(index_cache_test, commits_made_after_it_by_plain_git_are_read_from_git) {
  grow();
  const std::string before = commits();
  ASSERT_EQ(commit_with_plain_git(
                repo_path(),
                "blob=$(printf 'Rewritten with plain git;\\n' | git hash-object -w --stdin); "
                "git update-index --cacheinfo 100644,$blob,clauses/c3.txt; "
                "printf '0 0000000000000000000000000000000000000000\\tclauses/c4.txt\\n' | "
                "git update-index --index-info",
                "-m 'Edit by hand' -m 'State: CHAIR'"),
            0);
  ASSERT_NE(commits(), before);
  auto d = draft::open(repo_path(), {.repair = false});
  ASSERT_OK(d);
  EXPECT_EQ(std::to_string((*d)->log().size()) + "\n", commits());
  auto h = (*d)->history("c3");
  ASSERT_OK(h);
  EXPECT_EQ(h->back().text, "Rewritten with plain git;");
  EXPECT_EQ(h->back().entry.by.state, "CHAIR");
  auto h4 = (*d)->history("c4");
  ASSERT_OK(h4);
  EXPECT_FALSE(h4->back().text.has_value());  // deleted by that commit
  EXPECT_EQ(describe(**d), described_without_cache());
}

TEST_F(index_cache_test, a_damaged_or_foreign_file_is_ignored) {
  grow();
  std::string bytes;
  {
    std::ifstream in(cache_path(), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_GT(bytes.size(), 1000u);
  const std::string walked = described_without_cache();
  for (const std::string& damaged :
       {bytes.substr(0, bytes.size() / 2),  // cut short
        std::string(bytes).replace(bytes.size() / 2, 1, 1,
                                   static_cast<char>(bytes[bytes.size() / 2] ^ 1)),
        std::string("not an index at all"), std::string()}) {
    std::ofstream(cache_path(), std::ios::binary | std::ios::trunc) << damaged;
    EXPECT_FALSE(index_cache::read(repo_path()));
    auto d = draft::open(repo_path(), {.repair = false});
    ASSERT_OK(d);
    EXPECT_EQ(describe(**d), walked);
  }
  // The writer replaces it with a good one when it had to read everything again.
  auto d = reopen();
  ASSERT_TRUE(d);
  EXPECT_TRUE(index_cache::read(repo_path()));
}

TEST_F(index_cache_test, it_is_ignored_when_main_was_rewound_past_it) {
  grow();
  const std::string earlier = lines(git(repo_path(), "rev-parse main~250").out)[0];
  ASSERT_EQ(git(repo_path(), "update-ref refs/heads/main " + earlier).status, 0);
  auto d = reopen();
  ASSERT_TRUE(d);
  EXPECT_EQ(std::to_string(d->log().size()) + "\n", commits());
  EXPECT_EQ(d->head().head, earlier);
  ASSERT_OK(d->amend(replace_req(rus, "c3", find(d->head(), "c3")->rev, "After the rewind.")));
}

TEST_F(index_cache_test, a_reader_never_writes_it_and_small_drafts_do_without) {
  grow(20);
  EXPECT_FALSE(fs::exists(cache_path()));  // 20 commits: not worth a file
  {
    auto d = reopen();
    ASSERT_TRUE(d);
  }
  EXPECT_FALSE(fs::exists(cache_path()));
  {
    auto d = draft::open(repo_path(), {.repair = false});
    ASSERT_OK(d);
    for (int i = 0; i < 300; ++i) {
      ASSERT_OK((*d)->amend(replace_req(rus, "c5", find((*d)->head(), "c5")->rev,
                                        "Reader round " + std::to_string(i))));
    }
  }
  EXPECT_FALSE(fs::exists(cache_path()));
}

}  // namespace
}  // namespace plenary::storage::testing
