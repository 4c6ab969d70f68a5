#pragma once
// Whether two paths name one file, so that no output is written over an input.
#include <string>

namespace logp {

// True when a and b are one file: the same inode where both exist (so hard links, symlinks and
// "./x" vs "x" are caught), otherwise the same absolute path once "." and ".." and the symlinks
// of the existing part are resolved. An empty path is never the same as anything.
bool same_file(const std::string& a, const std::string& b);

}  // namespace logp
