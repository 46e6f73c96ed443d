// plenary-git2loop: the naive use of libgit2 as a baseline. One commit per amendment, each
// written as loose objects (a blob, the clauses/ tree, the root tree, the commit) and the
// branch moved by git_commit_create's update_ref, in a fresh bare repository shaped like a
// plenary draft (draft.json and clauses/<id>.txt).
//
//   plenary-git2loop --repo DIR.git --commits 200 --clauses 40 --fsync on|off
//
// Prints one JSON object: commits, seconds, commits per second.
#include <git2.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace {

[[noreturn]] void die(const std::string& why) {
  const git_error* e = git_error_last();
  std::fprintf(stderr, "plenary-git2loop: %s%s%s\n", why.c_str(), e ? ": " : "",
               e ? e->message : "");
  std::exit(2);
}

void check(int rc, const char* what) {
  if (rc < 0) die(what);
}

std::string clause_text(long n, int clause) {
  return "Each State shall cooperate to prevent the misuse of information technologies, clause " +
         std::to_string(clause) + ", revision " + std::to_string(n) + ".\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> opt;
  for (int i = 1; i + 1 < argc; i += 2) opt[std::string(argv[i]).substr(2)] = argv[i + 1];
  if (!opt.count("repo")) die("usage: plenary-git2loop --repo DIR.git [--commits 200]");
  const long commits = opt.count("commits") ? std::stol(opt["commits"]) : 200;
  const int clauses = opt.count("clauses") ? std::stoi(opt["clauses"]) : 40;
  const bool fsync = opt.count("fsync") && opt["fsync"] == "on";

  git_libgit2_init();
  git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, fsync ? 1 : 0);
  git_repository* repo = nullptr;
  check(git_repository_init(&repo, opt["repo"].c_str(), 1), "init");
  git_signature* sig = nullptr;
  check(git_signature_now(&sig, "Russian Federation", "rus@delegations.invalid"), "signature");

  // The first commit: draft.json and every clause.
  git_treebuilder* clauses_tb = nullptr;
  check(git_treebuilder_new(&clauses_tb, repo, nullptr), "treebuilder");
  std::string json = "{\"title\": \"Bench\", \"clauses\": [";
  for (int c = 1; c <= clauses; ++c) {
    git_oid blob;
    const std::string text = clause_text(0, c);
    check(git_blob_create_from_buffer(&blob, repo, text.data(), text.size()), "blob");
    const std::string name = "c" + std::to_string(c) + ".txt";
    check(git_treebuilder_insert(nullptr, clauses_tb, name.c_str(), &blob, GIT_FILEMODE_BLOB),
          "insert");
    json += std::string(c > 1 ? ", " : "") + "{\"id\": \"c" + std::to_string(c) +
            "\", \"kind\": \"operative\"}";
  }
  json += "]}\n";
  git_oid clauses_tree, json_blob, root_tree, head;
  check(git_treebuilder_write(&clauses_tree, clauses_tb), "tree");
  check(git_blob_create_from_buffer(&json_blob, repo, json.data(), json.size()), "blob");
  git_treebuilder* root_tb = nullptr;
  check(git_treebuilder_new(&root_tb, repo, nullptr), "treebuilder");
  check(git_treebuilder_insert(nullptr, root_tb, "draft.json", &json_blob, GIT_FILEMODE_BLOB),
        "insert");
  check(git_treebuilder_insert(nullptr, root_tb, "clauses", &clauses_tree, GIT_FILEMODE_TREE),
        "insert");
  check(git_treebuilder_write(&root_tree, root_tb), "tree");
  git_tree* tree = nullptr;
  check(git_tree_lookup(&tree, repo, &root_tree), "lookup");
  check(git_commit_create(&head, repo, "refs/heads/main", sig, sig, nullptr, "Open\n", tree, 0,
                          nullptr),
        "commit");
  git_tree_free(tree);

  const auto t0 = std::chrono::steady_clock::now();
  for (long n = 1; n <= commits; ++n) {
    const int c = static_cast<int>(n % clauses) + 1;
    const std::string text = clause_text(n, c);
    git_oid blob;
    check(git_blob_create_from_buffer(&blob, repo, text.data(), text.size()), "blob");
    const std::string name = "c" + std::to_string(c) + ".txt";
    check(git_treebuilder_insert(nullptr, clauses_tb, name.c_str(), &blob, GIT_FILEMODE_BLOB),
          "insert");
    check(git_treebuilder_write(&clauses_tree, clauses_tb), "tree");
    check(git_treebuilder_insert(nullptr, root_tb, "clauses", &clauses_tree, GIT_FILEMODE_TREE),
          "insert");
    check(git_treebuilder_write(&root_tree, root_tb), "tree");
    check(git_tree_lookup(&tree, repo, &root_tree), "lookup");
    git_commit* parent = nullptr;
    check(git_commit_lookup(&parent, repo, &head), "lookup");
    const git_commit* parents[] = {parent};
    const std::string message = "Replace operative clause " + std::to_string(c) +
                                "\n\nOp: replace\nClause: c" + std::to_string(c) + "\nState: RUS\n";
    check(git_commit_create(&head, repo, "refs/heads/main", sig, sig, nullptr, message.c_str(),
                            tree, 1, parents),
          "commit");
    git_commit_free(parent);
    git_tree_free(tree);
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "{\"tool\": \"git2loop\", \"fsync\": %s, \"commits\": %ld, \"seconds\": %.3f, "
      "\"per_second\": %.1f}\n",
      fsync ? "true" : "false", commits, secs, static_cast<double>(commits) / secs);
  git_treebuilder_free(root_tb);
  git_treebuilder_free(clauses_tb);
  git_signature_free(sig);
  git_repository_free(repo);
  git_libgit2_shutdown();
  return 0;
}
