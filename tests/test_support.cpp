#include "test_support.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ashiato::test {

std::filesystem::path corpora() {
  const char* env = std::getenv("ASHIATO_CORPORA");
  std::filesystem::path root = env != nullptr && *env != '\0' ? env : ASHIATO_CORPORA;
  if (!std::filesystem::is_directory(root)) {
    ADD_FAILURE() << "test corpora missing at " << root
                  << " (set ASHIATO_CORPORA or -DASHIATO_CORPORA=...; see README)";
    throw std::runtime_error("corpora missing");
  }
  return root;
}

std::filesystem::path corpus(const std::string& relative) {
  auto p = corpora() / relative;
  if (!std::filesystem::exists(p)) {
    ADD_FAILURE() << "corpus file missing: " << p;
    throw std::runtime_error("corpus file missing");
  }
  return p;
}

std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir, const std::string& extension) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && (extension.empty() || e.path().extension() == extension)) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> rita_missing_host_connection_logs() {
  std::vector<std::string> files;
  for (const auto& f : files_under(corpus("network/rita/test_data/missing_host"), ".gz")) {
    const std::string name = f.filename().string();
    if (name.starts_with("conn.") || name.starts_with("http.") || name.starts_with("ssl.")) files.push_back(f.string());
  }
  return files;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::filesystem::path temp_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  auto dir = std::filesystem::temp_directory_path() /
             ("ashiato-test-" + std::string(info->test_suite_name()) + "-" + info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

int run_command(const std::string& command, std::string& output) {
  output.clear();
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 65536> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) output.append(buf.data(), n);
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace ashiato::test
