// plenary-grow: grows an existing draft to many commits directly through the storage library
// (plenary::storage::draft::amend_all), not over the socket, for the history and open
// benchmarks.
//
//   plenary-grow --repo DATA/drafts/<slug>.git --commits N [--batch 64] [--seed 1]
//                [--fsync off] [--moves 2]
//
// Each batch amends distinct clauses (so every `base` is the clause's current rev): a
// replace changes one or two words of the clause's text, as a delegation would; `--moves`
// percent of the amendments move a clause instead. Authors cycle through twelve states.
// Prints one JSON object: commits written, seconds, commits per second.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "storage/draft.hpp"

namespace st = plenary::storage;

namespace {

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "plenary-grow: %s\n", why.c_str());
  std::exit(2);
}

const std::vector<st::actor>& states() {
  static const std::vector<st::actor> v = {{"CHN", "China"},         {"RUS", "Russian Federation"},
                                           {"TJK", "Tajikistan"},    {"UZB", "Uzbekistan"},
                                           {"USA", "United States"}, {"GBR", "United Kingdom"},
                                           {"FRA", "France"},        {"DEU", "Germany"},
                                           {"IND", "India"},         {"BRA", "Brazil"},
                                           {"ZAF", "South Africa"},  {"EST", "Estonia"}};
  return v;
}

const std::vector<std::string>& vocabulary() {
  static const std::vector<std::string> v = {
      "States",        "shall",       "should",         "may",          "cooperate",
      "promptly",      "information", "security",       "networks",     "peaceful",
      "international", "law",         "sovereignty",    "rights",       "freedoms",
      "measures",      "appropriate", "national",       "regional",     "global",
      "capacity",      "building",    "confidence",     "transparency", "exchange",
      "assistance",    "critical",    "infrastructure", "incidents",    "responsible",
      "behaviour",     "norms",       "voluntary",      "non-binding",  "consultations",
      "dialogue"};
  return v;
}

std::vector<std::string> words_of(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string join_words(const std::vector<std::string>& w) {
  std::string s;
  for (const auto& x : w) {
    if (!s.empty()) s += ' ';
    s += x;
  }
  return s;
}

// One or two word-level edits, keeping the text between 12 and 60 words.
std::string edit(const std::string& text, std::mt19937_64& rng) {
  auto w = words_of(text);
  const auto& vocab = vocabulary();
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const int edits = 1 + static_cast<int>(rng() % 2);
  for (int e = 0; e < edits; ++e) {
    const int kind = static_cast<int>(rng() % 3);
    if ((kind == 0 && w.size() < 60) || w.size() < 12) {
      w.insert(w.begin() + static_cast<std::ptrdiff_t>(pick(w.size() + 1)),
               vocab[pick(vocab.size())]);
    } else if (kind == 1 && w.size() > 12) {
      w.erase(w.begin() + static_cast<std::ptrdiff_t>(pick(w.size())));
    } else {
      w[pick(w.size())] = vocab[pick(vocab.size())];
    }
  }
  std::string out = join_words(w);
  if (out == text) out += " " + vocab[pick(vocab.size())];
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> opt;
  for (int i = 1; i + 1 < argc; i += 2) opt[std::string(argv[i]).substr(2)] = argv[i + 1];
  if (!opt.count("repo") || !opt.count("commits")) {
    die("usage: plenary-grow --repo DIR.git --commits N [--batch 64] [--seed 1] [--fsync off]");
  }
  const long target = std::stol(opt["commits"]);
  const std::size_t batch_max = opt.count("batch") ? std::stoul(opt["batch"]) : 64;
  const int move_percent = opt.count("moves") ? std::stoi(opt["moves"]) : 2;
  std::mt19937_64 rng(opt.count("seed") ? std::stoull(opt["seed"]) : 1);
  st::library lib({.fsync = opt.count("fsync") && opt["fsync"] == "on"});

  const auto t_open = std::chrono::steady_clock::now();
  auto opened = st::draft::open(opt["repo"]);
  const double open_secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_open).count();
  if (!opened) die(opened.err().message);
  st::draft& d = **opened;
  std::int64_t at = 1795774500;  // 2026-11-27T10:15:00Z, one second per amendment after
  long written = 0;
  long state_turn = 0;
  const auto t0 = std::chrono::steady_clock::now();
  while (written < target) {
    const auto& clauses = d.head().clauses;
    std::vector<std::size_t> order(clauses.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    const std::size_t n = std::min<std::size_t>(
        {batch_max, clauses.size(), static_cast<std::size_t>(target - written)});
    std::vector<st::request> reqs;
    bool moved = false;
    for (std::size_t k = 0; k < n; ++k) {
      const st::clause& c = clauses[order[k]];
      st::request r;
      r.by = states()[static_cast<std::size_t>(state_turn++ % 12)];
      r.at = ++at;
      // At most one move per batch, so that every position named is still right.
      if (!moved && static_cast<int>(rng() % 100) < move_percent && clauses.size() > 2) {
        moved = true;
        r.change.op = st::op_kind::move;
        r.change.clause = c.id;
        const st::clause& after = clauses[(order[k] + 2) % clauses.size()];
        if (after.id == c.id) continue;
        r.change.after = after.id;
        r.change.note = "Moved for a better reading order.";
      } else {
        r.change.op = st::op_kind::replace;
        r.change.clause = c.id;
        r.change.base = c.rev;
        r.change.text = edit(c.text, rng);
        if (rng() % 4 == 0) r.change.note = "Wording agreed in informal consultations.";
      }
      reqs.push_back(std::move(r));
    }
    auto results = d.amend_all(reqs);
    for (auto& res : results) {
      if (res) {
        ++written;
      } else if (res.err().kind != st::error_kind::invalid) {
        die("amendment refused: " + res.err().message);
      }
    }
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "{\"tool\": \"grow\", \"commits\": %ld, \"seconds\": %.2f, \"per_second\": %.1f, "
      "\"open_seconds\": %.3f, \"head\": \"%s\"}\n",
      written, secs, static_cast<double>(written) / secs, open_secs, d.head().head.c_str());
  return 0;
}
