#include "logp/data/importers/table_stream.hpp"

#include <algorithm>

#include "logp/core/error.hpp"

namespace logp {

bool TableStream::next(Index max_rows, ImportedTable& block) {
  require(max_rows >= 1, header_.source + ": a block needs at least one example");
  if (next_ >= header_.n) return false;
  block.source = header_.source;
  block.first_example = next_;
  block.n = std::min(max_rows, header_.n - next_);
  block.d = header_.d;
  block.is_bytes = header_.is_bytes;
  block.column_names = header_.column_names;
  block.item_shape = header_.item_shape;
  block.bytes.clear();
  block.numbers.clear();
  block.lines.clear();
  block.labels.clear();
  read_block(block);
  next_ += block.n;
  return true;
}

ImportedTable read_whole(TableStream& stream) {
  ImportedTable table;
  stream.next(stream.header().n, table);
  return table;
}

}  // namespace logp
