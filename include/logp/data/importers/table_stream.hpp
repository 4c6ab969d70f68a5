#pragma once
// An input table read a block of examples at a time, so that importing holds one block in
// memory whatever N is. Opening a stream reads (and checks) the file's header: N, D and the
// item shape are known before any value is read. CSV has no header that says N, so its stream
// reads the file twice: a first pass parses every line (all parse errors come from opening),
// the second hands out the blocks.
//
// The whole-table readers (read_npy, read_csv, read_table) are one block of N examples: the
// values and error messages are the same either way.
#include <memory>
#include <string>

#include "logp/data/importers/imported_table.hpp"

namespace logp {

class TableStream {
 public:
  virtual ~TableStream() = default;

  // What every block shares (source, n = all examples, d, is_bytes, column_names, item_shape),
  // without values.
  const ImportedTable& header() const { return header_; }

  // The next block of at most max_rows (>= 1) examples, with first_example set, values and (CSV)
  // lines; false after the last example. Errors (a value that cannot be read, a truncated file,
  // data after the last value) name the file as the whole-table readers do.
  bool next(Index max_rows, ImportedTable& block);

 protected:
  // Fills block's values (and lines) for block.n examples from block.first_example on.
  virtual void read_block(ImportedTable& block) = 0;
  ImportedTable header_;

 private:
  Index next_ = 0;
};

// The whole table of a stream (one block of all N examples).
ImportedTable read_whole(TableStream& stream);

}  // namespace logp
