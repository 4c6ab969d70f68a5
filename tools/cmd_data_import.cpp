// logp data import: CSV, NPY or IDX files -> one logp dataset file.
//
// The inputs are streamed. Opening them reads their headers (a CSV is parsed once here), so N
// and D are known and checked first (the same D in every split, one label per example); then the
// examples are read a block at a time, checked (values integral and in range for binary/
// categorical data, finite for real data) and written straight into the output, which is made on
// disk in space reserved for it up front (DatasetWriter's streaming mode). Memory stays at a few
// blocks of BLOCK_BYTES whatever the size of the data, plus 8 bytes per label and 1 byte per
// example carved from train (a Fortran-order .npy is the exception: npy.hpp). The output is
// written under a temporary name and renamed into place, so a failure never leaves a file behind.
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/data/importers/split_carving.hpp"
#include "logp/data/importers/table_reader.hpp"
#include "logp/data/importers/table_stream.hpp"
#include "logp/io/model_file.hpp"

namespace logp::cli {
namespace {

struct ImportOptions {
  std::string format;
  std::string kind;
  int levels = 0;                 // categorical only: values 0..levels-1
  std::string shape;              // "H,W,C" or "H,W"
  std::string train, valid, test;
  std::string train_labels, valid_labels, test_labels;
  std::string label_column;       // first | last | NAME | 0-based INDEX
  std::string header = "auto";    // CSV: auto | yes | no
  std::string separator = ",";    // CSV: one character, tab, or space (runs of whitespace)
  long skip_rows = 0;             // CSV: lines dropped at the top of every input file
  double valid_fraction = 0.0;    // carve valid from train when --valid is not given
  double test_fraction = 0.0;     // carve test from train when --test is not given
  std::uint64_t seed = 0;
  std::string out;
};

// One input split as given on the command line.
struct InputFile {
  std::string split;     // train | valid | test
  std::string examples;  // --train, --valid or --test
  std::string labels;    // --*-labels, or empty
};

// The splits given as files, train first.
std::vector<InputFile> input_files(const ImportOptions& o) {
  std::vector<InputFile> files = {{"train", o.train, o.train_labels}};
  if (!o.valid.empty()) files.push_back({"valid", o.valid, o.valid_labels});
  if (!o.test.empty()) files.push_back({"test", o.test, o.test_labels});
  return files;
}

std::string absolute(const std::string& path) { return std::filesystem::absolute(path).lexically_normal().string(); }

CsvOptions csv_options(const ImportOptions& o) {
  return CsvOptions{parse_csv_header(o.header), static_cast<Index>(o.skip_rows), parse_csv_separator(o.separator)};
}

// Checks that CLI11 cannot express; a failure here is a usage error (exit code 2).
void check_usage(const ImportOptions& o, const CLI::App& cmd) {
  const bool categorical = o.kind == "categorical";
  if (categorical && cmd.count("--levels") == 0)
    throw CLI::ValidationError("--levels", "--kind categorical needs --levels K (values 0..K-1, K in 2..256)");
  if (!categorical && cmd.count("--levels") > 0 && !(o.kind == "binary" && o.levels == 2))
    throw CLI::ValidationError("--levels", "--levels is for --kind categorical only");
  if (o.format != "csv" && (cmd.count("--header") + cmd.count("--skip-rows") + cmd.count("--separator") > 0))
    throw CLI::ValidationError("--header/--skip-rows/--separator", "these options are for --format csv only");
  try {
    parse_csv_separator(o.separator);
  } catch (const Error& e) {
    throw CLI::ValidationError("--separator", e.what());
  }
  const bool any_labels = !o.train_labels.empty() || !o.valid_labels.empty() || !o.test_labels.empty();
  if (any_labels && (o.train_labels.empty() || (!o.valid.empty() && o.valid_labels.empty()) ||
                     (!o.test.empty() && o.test_labels.empty())))
    throw CLI::ValidationError("--*-labels", "give a labels file for every input split or for none");
  if (o.valid_fraction + o.test_fraction >= 1.0)
    throw CLI::ValidationError("--valid-fraction/--test-fraction", "together they must leave some examples for train");
}

// Values per block read from an input: its D values as doubles take at most this many bytes.
constexpr Index kBlockBytes = Index{1} << 20;

// One input split: the stream of its examples, and its labels when they come from a labels file.
struct Input {
  InputFile file;
  std::unique_ptr<TableStream> stream;
  ImportedTable shape;                // the stream's header, less the label column if one is taken
  std::vector<std::int64_t> labels;   // from --*-labels, else empty
};

Input open_input(const ImportOptions& o, TableFormat format, const InputFile& file) {
  Input input{file, open_table(format, file.examples, csv_options(o)), {}, {}};
  input.shape = input.stream->header();
  if (!o.label_column.empty()) {  // on the header alone: no examples yet
    const Index n = input.shape.n;
    input.shape.n = 0;
    take_label_column(input.shape, o.label_column);
    input.shape.n = n;
  }
  if (!file.labels.empty()) {
    input.labels = to_labels(read_table(format, file.labels, csv_options(o)));
    if (static_cast<Index>(input.labels.size()) != input.shape.n)
      throw Error(file.labels + ": has " + std::to_string(input.labels.size()) + " labels but " + file.examples +
                  " has " + std::to_string(input.shape.n) + " examples");
  }
  return input;
}

DataSpec make_spec(const ImportOptions& o, const ImportedTable& train) {
  DataSpec spec;
  spec.kind = parse_data_kind(o.kind);
  spec.levels = spec.kind == DataKind::binary ? 2 : spec.kind == DataKind::categorical ? o.levels : 0;
  spec.dim = train.d;
  if (!o.shape.empty())
    spec.shape = parse_shape(o.shape, spec.dim);
  else if (train.item_shape.size() == 2)  // (N, H, W) images: one channel
    spec.shape = {train.item_shape[0], train.item_shape[1], 1};
  return spec;
}

// One split of the output: its size, how much of it is written, and its labels as they come.
struct OutputSplit {
  std::string name;  // train | valid | test
  Index n = 0;
  bool has_labels = false;
  std::uint64_t written = 0;
  std::vector<std::int64_t> labels;
};

// The output splits (train, those given as files, then those carved out of train) and the output
// of each train example when some are carved (else empty); rule is the provenance's split rule.
struct SplitPlan {
  std::vector<OutputSplit> outputs;
  std::vector<std::uint8_t> train_route;
  std::string rule;
};

// 0.1 -> "10%", 0.125 -> "12.5%".
std::string percent(double fraction) {
  std::string text = fixed(100.0 * fraction, 2);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text + "%";
}

// Carves the splits missing from the input out of train (split_carving.hpp): the rows of each
// part are known from N alone, before any example is read.
SplitPlan plan_splits(const ImportOptions& o, const std::vector<Input>& inputs) {
  SplitPlan plan;
  const bool labelled = !o.label_column.empty() || !o.train_labels.empty();
  for (const Input& input : inputs) plan.outputs.push_back({input.file.split, input.shape.n, labelled, 0, {}});
  std::string given;  // "; test = /abs/test.csv" for the splits given as files
  for (size_t k = 1; k < inputs.size(); ++k) given += "; " + inputs[k].file.split + " = " + absolute(inputs[k].file.examples);
  const std::string train_file = inputs.front().file.examples;
  const Index n = inputs.front().shape.n;
  const Index n_valid = o.valid_fraction > 0 ? carved_count(o.valid_fraction, n) : 0;
  const Index n_test = o.test_fraction > 0 ? carved_count(o.test_fraction, n) : 0;
  if (n_valid == 0 && n_test == 0) {
    plan.rule = "train = " + absolute(train_file) + given + " (as given)";
    return plan;
  }
  if (n_valid + n_test >= n)
    throw Error(train_file + ": carving " + std::to_string(n_valid + n_test) + " of its " + std::to_string(n) +
                " examples would leave none for train");

  const CarvedRows rows = carve_rows(n, n_valid, n_test, o.seed);
  plan.train_route.assign(static_cast<size_t>(n), 0);
  plan.outputs.front().n = static_cast<Index>(rows.train.size());
  std::string rule = "train = " + absolute(train_file) + " minus the carved examples (" +
                     std::to_string(rows.train.size()) + " of " + std::to_string(n) + " remain)" + given;
  std::string carved;  // "valid = 18 (10%), test = 36 (20%)"
  const auto carve = [&](const char* name, const std::vector<Index>& part) {
    for (Index r : part) plan.train_route[static_cast<size_t>(r)] = static_cast<std::uint8_t>(plan.outputs.size());
    plan.outputs.push_back({name, static_cast<Index>(part.size()), labelled, 0, {}});
  };
  if (n_valid > 0) {
    carve("valid", rows.valid);
    carved += "valid = " + std::to_string(n_valid) + " (" + percent(o.valid_fraction) + ")";
  }
  if (n_test > 0) {
    carve("test", rows.test);
    carved += carved.empty() ? "" : ", ";
    carved += "test = " + std::to_string(n_test) + " (" + percent(o.test_fraction) + ")";
  }
  rule += "; " + carved + " of those " + std::to_string(n) + " examples, drawn by a Fisher-Yates shuffle with " +
          "logp::Rng seed " + std::to_string(o.seed) + " (test takes the first " + std::to_string(n_test) +
          " shuffled, valid the next " + std::to_string(n_valid) + "); every split keeps file order";
  plan.rule = rule;
  return plan;
}

// "train: /abs/a.csv (labels: /abs/b.csv); test: /abs/c.csv"
std::string source_files(const ImportOptions& o) {
  std::string source;
  for (const InputFile& input : input_files(o)) {
    source += (source.empty() ? "" : "; ") + input.split + ": " + absolute(input.examples);
    if (!input.labels.empty()) source += " (labels: " + absolute(input.labels) + ")";
  }
  return source;
}

std::map<std::string, std::string> provenance(const ImportOptions& o, const DataSpec& spec,
                                              const std::string& split_rule) {
  std::string format = o.format;
  if (o.format == "csv") {
    format += " (separator '" + o.separator + "', header: " + o.header;
    if (o.skip_rows > 0) format += ", first " + std::to_string(o.skip_rows) + " line(s) skipped";
    format += ")";
  }
  std::map<std::string, std::string> out = {
      {"source", source_files(o)},
      {"source_format", format},
      {"value_rule", spec.is_discrete() ? "input values must be integers in 0.." + std::to_string(spec.levels - 1) +
                                              ", stored as uint8 unchanged"
                                        : "input values must be finite, stored as float32"},
      {"split_rule", split_rule},
      {"command", command_line()},
      {"created", utc_now_iso8601()},
  };
  if (!o.label_column.empty())
    out["label_rule"] = "labels = column '" + o.label_column + "' of each input file, removed from x";
  else if (!o.train_labels.empty())
    out["label_rule"] = "labels from the --*-labels files";
  return out;
}

// Writes a block of examples (first.. of an input) to the outputs: all to outputs[own], or, for
// train with carved splits, each to outputs[route[example]], in file order within each output.
template <typename T>
void route_block(const std::vector<T>& values, const std::vector<std::int64_t>& labels, Index first, Index d,
                 const std::vector<std::uint8_t>& route, size_t own, std::vector<OutputSplit>& outputs,
                 DatasetWriter& writer) {
  const Index n = static_cast<Index>(values.size()) / d;
  std::vector<std::vector<T>> parts(outputs.size());
  for (Index i = 0; i < n; ++i) {
    const size_t to = route.empty() ? own : route[static_cast<size_t>(first + i)];
    parts[to].insert(parts[to].end(), values.begin() + i * d, values.begin() + (i + 1) * d);
    if (!labels.empty()) outputs[to].labels.push_back(labels[static_cast<size_t>(i)]);
  }
  for (size_t k = 0; k < outputs.size(); ++k) {
    if (parts[k].empty()) continue;
    writer.write_rows(outputs[k].name, outputs[k].written, parts[k]);
    outputs[k].written += parts[k].size() / static_cast<size_t>(d);
  }
}

// Reads one input a block at a time, checks its values and writes them to their outputs.
void stream_input(const ImportOptions& o, Input& input, const DataSpec& spec, const std::vector<std::uint8_t>& route,
                  size_t own, std::vector<OutputSplit>& outputs, DatasetWriter& writer) {
  const Index block_rows = std::max<Index>(1, kBlockBytes / (8 * input.stream->header().d));
  ImportedTable block;
  std::vector<std::int64_t> labels;
  while (input.stream->next(block_rows, block)) {
    if (!o.label_column.empty()) take_label_column(block, o.label_column);
    if (!input.labels.empty())
      labels.assign(input.labels.begin() + block.first_example, input.labels.begin() + block.first_example + block.n);
    const std::vector<std::int64_t>& block_labels = o.label_column.empty() ? labels : block.labels;
    if (spec.is_discrete())
      route_block(to_discrete(block, spec), block_labels, block.first_example, spec.dim, route, own, outputs, writer);
    else
      route_block(to_real(block), block_labels, block.first_example, spec.dim, route, own, outputs, writer);
  }
  input.labels = {};
}

void report(const std::string& out, const DataSpec& spec, const std::vector<OutputSplit>& splits, bool json) {
  if (json) {
    nlohmann::json sizes = nlohmann::json::object();
    for (const OutputSplit& split : splits) sizes[split.name] = {{"n", split.n}, {"labels", split.has_labels}};
    std::cout << nlohmann::json{{"file", out}, {"data", spec.describe()}, {"splits", sizes}}.dump(2) << "\n";
    return;
  }
  std::cout << "wrote " << out << ": " << spec.describe() << "\n";
  for (const char* name : {"train", "valid", "test"})
    for (const OutputSplit& split : splits)
      if (split.name == name)
        std::cout << "  /" << name << "  N=" << split.n << (split.has_labels ? "  with labels" : "") << "\n";
}

void run_import(const ImportOptions& o, const GlobalOptions& global) {
  refuse_outputs_over_inputs({{"--train", o.train},
                              {"--valid", o.valid},
                              {"--test", o.test},
                              {"--train-labels", o.train_labels},
                              {"--valid-labels", o.valid_labels},
                              {"--test-labels", o.test_labels}},
                             {{"--out", o.out}});
  const TableFormat format = parse_table_format(o.format);
  std::vector<Input> inputs;
  for (const InputFile& file : input_files(o)) {
    inputs.push_back(open_input(o, format, file));
    const ImportedTable& shape = inputs.back().shape;
    if (inputs.size() > 1 && shape.d != inputs.front().shape.d)
      throw Error(shape.source + ": examples have D=" + std::to_string(shape.d) + " but " + o.train + " has D=" +
                  std::to_string(inputs.front().shape.d));
  }
  const DataSpec spec = make_spec(o, inputs.front().shape);
  SplitPlan plan = plan_splits(o, inputs);
  Index examples = 0;
  for (const Input& input : inputs) examples += input.shape.n;
  DatasetWriter writer(o.out, spec, provenance(o, spec, plan.rule), static_cast<std::uint64_t>(examples));
  for (const char* name : {"train", "valid", "test"})
    for (const OutputSplit& split : plan.outputs)
      if (split.name == name) writer.begin_split(name, static_cast<std::uint64_t>(split.n));
  for (size_t k = 0; k < inputs.size(); ++k)
    stream_input(o, inputs[k], spec, k == 0 ? plan.train_route : std::vector<std::uint8_t>{}, k, plan.outputs, writer);
  for (OutputSplit& split : plan.outputs) writer.end_split(split.name, split.labels);
  writer.commit();
  report(o.out, spec, plan.outputs, global.json);
}

}  // namespace

void add_data_import_command(CLI::App& data, Commands& commands, const GlobalOptions& global) {
  auto o = std::make_shared<ImportOptions>();
  CLI::App* cmd =
      data.add_subcommand("import", "CSV, NPY or IDX files -> a logp dataset file (nothing is written on error)");
  cmd->add_option("--format", o->format, "input format")->required()->check(CLI::IsMember({"idx", "csv", "npy"}));
  cmd->add_option("--kind", o->kind, "binary (0/1), categorical (0..K-1, with --levels) or real")
      ->required()
      ->check(CLI::IsMember({"binary", "categorical", "real"}));
  cmd->add_option("--levels", o->levels, "categorical: number of values K (2..256)")->check(CLI::Range(2, 256));
  cmd->add_option("--shape", o->shape, "image shape H,W[,C] of each example (default: from (N, H, W) inputs)");
  cmd->add_option("--train", o->train, "examples of the train split")->required();
  CLI::Option* valid = cmd->add_option("--valid", o->valid, "examples of the valid split");
  CLI::Option* test = cmd->add_option("--test", o->test, "examples of the test split");
  CLI::Option* train_labels = cmd->add_option("--train-labels", o->train_labels, "labels of train (one per example)");
  CLI::Option* valid_labels = cmd->add_option("--valid-labels", o->valid_labels, "labels of valid")->needs(valid);
  CLI::Option* test_labels = cmd->add_option("--test-labels", o->test_labels, "labels of test")->needs(test);
  cmd->add_option("--label-column", o->label_column,
                  "take labels from this column of every input (first, last, a header NAME or a 0-based INDEX) "
                  "and drop it from x")
      ->excludes(train_labels)
      ->excludes(valid_labels)
      ->excludes(test_labels);
  cmd->add_option("--header", o->header,
                  "CSV: is the first line a header? auto: yes iff none of its fields is a number")
      ->check(CLI::IsMember({"auto", "yes", "no"}))
      ->capture_default_str();
  cmd->add_option("--separator", o->separator,
                  "CSV: field separator, one character, tab, or space (runs of whitespace)")
      ->capture_default_str();
  cmd->add_option("--skip-rows", o->skip_rows,
                  "CSV: drop this many lines at the top of every input first (1 for scikit-learn's 'N,D,names' line)")
      ->check(non_negative_integer());
  cmd->add_option("--valid-fraction", o->valid_fraction, "carve this fraction of train out as valid (when no --valid)")
      ->check(number_between(0.0, 1.0))
      ->excludes(valid);
  cmd->add_option("--test-fraction", o->test_fraction, "carve this fraction of train out as test (when no --test)")
      ->check(number_between(0.0, 1.0))
      ->excludes(test);
  cmd->add_option("--seed", o->seed, "seed of the shuffle that carves valid/test")->capture_default_str();
  cmd->add_option("--out", o->out, "dataset file to write")->required();
  cmd->callback([o, cmd] { check_usage(*o, *cmd); });
  commands.push_back({cmd, [o, &global] { run_import(*o, global); }});
}

}  // namespace logp::cli
