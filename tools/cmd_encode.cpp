// logp encode: the latent representation of each example: the mean of q(z|x) for a vae, the code
// for an autoencoder. Writes .csv (index,z0,...) or .h5 (dataset z, N x L float32).
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/io/atomic_output.hpp"
#include "logp/io/h5.hpp"
#include "logp/io/model_file.hpp"

namespace logp::cli {
namespace {

struct EncodeOptions {
  std::string model;
  std::string data;
  std::string split = "test";
  std::string out;
  Index chunk = 4096;
};

bool has_suffix(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void run_encode(const EncodeOptions& options, const GlobalOptions& global) {
  const bool csv = has_suffix(options.out, ".csv");
  if (!csv && !has_suffix(options.out, ".h5") && !has_suffix(options.out, ".hdf5"))
    throw UsageError("--out " + options.out + ": give a .csv or .h5 file name");
  refuse_outputs_over_inputs({{"--model", options.model}, {"--data", options.data}}, {{"--out", options.out}});
  const std::unique_ptr<Model> model = load_model(options.model);
  const auto* encoder = dynamic_cast<const Encoder*>(model.get());
  if (!encoder)
    throw Error(options.model + ": a " + std::string(model->type()) +
                " model has no latent representation (encode takes a vae or an autoencoder)");
  const std::string what(encoder->encoding_name());
  const DatasetSplit data = DatasetSplit::open(options.data, options.split);
  model->data_spec().check_accepts(data.spec(), data.where());

  AtomicOutput output(options.out);
  std::ofstream stream;
  if (csv) {
    stream.open(output.temp_path());
    if (!stream) throw Error(options.out + ": cannot open for writing");
    stream << std::setprecision(9);
  }
  std::vector<float> all;  // N x L row-major (= L x N column-major), for .h5
  Index latent = 0;
  for_each_batch(data, options.chunk, [&](Index first, const Matrix& batch) {
    const Matrix z = encoder->encode(batch);  // [L, B]
    latent = z.rows();
    if (csv) {
      if (first == 0) {
        stream << "index";
        for (Index i = 0; i < latent; ++i) stream << ",z" << i;
        stream << "\n";
      }
      for (Index j = 0; j < z.cols(); ++j) {
        stream << first + j;
        for (Index i = 0; i < latent; ++i) stream << "," << z(i, j);
        stream << "\n";
      }
    } else {
      all.insert(all.end(), z.data(), z.data() + z.size());
    }
  });
  if (csv) {
    stream.close();
    if (!stream) throw Error(options.out + ": write failed (disk full?)");
  } else {
    const H5File file = H5File::create(output.temp_path());
    const H5Group root = file.root();
    root.write<float>("z", {static_cast<std::uint64_t>(data.size()), static_cast<std::uint64_t>(latent)}, all.data());
    root.set_attr("z", "content", what);
    root.set_attr("z", "model", options.model);
    root.set_attr("z", "data", data.where());
    file.flush();
  }
  output.commit();
  if (global.json)
    std::cout << nlohmann::json{{"model", options.model}, {"data", data.where()}, {"n", data.size()},
                                {"latent", latent}, {"content", what}, {"out", options.out}}.dump(2) << "\n";
  else
    std::cout << "encoded " << data.size() << " examples of " << data.where() << " into " << latent
              << " latent dimensions (" << what << ")\nwrote " << options.out << "\n";
}

}  // namespace

void add_encode_command(CLI::App& app, Commands& commands, const GlobalOptions& global) {
  auto options = std::make_shared<EncodeOptions>();
  CLI::App* encode = app.add_subcommand("encode", "latent representations: vae posterior means, autoencoder codes");
  encode->add_option("--model", options->model, "vae or autoencoder model file")->required();
  encode->add_option("--data", options->data, "logp dataset file")->required();
  encode->add_option("--split", options->split, "split to encode")->capture_default_str();
  encode->add_option("--out", options->out, ".csv (index,z0,z1,...) or .h5 (dataset z, N x L)")->required();
  encode->add_option("--chunk", options->chunk, "examples read from disk at a time")
      ->capture_default_str()
      ->check(positive_integer());
  commands.push_back({encode, [options, &global] { run_encode(*options, global); }});
}

}  // namespace logp::cli
