#include "crash/power_cut.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace wangge::crash {
namespace {

namespace fs = std::filesystem;

unsigned long long inode_of(const fs::path& p) {
  struct stat st {};
  if (::lstat(p.c_str(), &st) != 0) throw std::runtime_error("stat " + p.string());
  return st.st_ino;
}

fs::path record(const fs::path& shadow, const char* kind, unsigned long long ino) {
  return shadow / (std::string(kind) + "-" + std::to_string(ino));
}

void baseline_dir(const fs::path& dir, const fs::path& shadow) {
  std::ofstream listing(record(shadow, "dir", inode_of(dir)));
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto ino = inode_of(e.path());
    const bool is_dir = e.is_directory();
    listing << ino << '\t' << (is_dir ? 'd' : 'f') << '\t' << e.path().filename().string() << '\n';
    if (is_dir) {
      baseline_dir(e.path(), shadow);
    } else {
      fs::copy_file(e.path(), record(shadow, "ino", ino), fs::copy_options::overwrite_existing);
    }
  }
}

// Builds `out` as the folder with inode `ino` would be after the cut.
void rebuild(unsigned long long ino, const fs::path& out, const fs::path& shadow) {
  fs::create_directory(out);
  std::ifstream listing(record(shadow, "dir", ino));
  std::string line;
  while (std::getline(listing, line)) {
    std::istringstream fields(line);
    unsigned long long child = 0;
    char type = 0;
    std::string name;
    fields >> child >> type;
    fields.get();  // the tab
    std::getline(fields, name);
    if (type == 'd') {
      rebuild(child, out / name, shadow);
    } else if (fs::exists(record(shadow, "ino", child))) {
      fs::copy_file(record(shadow, "ino", child), out / name);
    }  // else: a name whose content was never synced is not there
  }
}

}  // namespace

void power_baseline(const fs::path& folder, const fs::path& shadow) {
  fs::remove_all(shadow);
  fs::create_directories(shadow);
  baseline_dir(folder, shadow);
}

void power_cut(const fs::path& folder, const fs::path& shadow) {
  fs::path rebuilt = folder;
  rebuilt += ".cut";
  fs::remove_all(rebuilt);
  rebuild(inode_of(folder), rebuilt, shadow);
  fs::remove_all(folder);
  fs::rename(rebuilt, folder);
  power_baseline(folder, shadow);
}

}  // namespace wangge::crash
