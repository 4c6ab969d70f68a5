// The PixelRNN model (include/logp/models/pixelrnn/pixelrnn.hpp).
#include "logp/models/pixelrnn/pixelrnn.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"
#include "logp/train/training_tape.hpp"

namespace logp {

namespace {

const DataSpec& checked(const DataSpec& spec) {
  require(spec.is_discrete() && spec.is_image() && spec.shape[2] == 1,
          "pixelrnn: needs binary or categorical images with one channel, got " + spec.describe());
  return spec;
}

}  // namespace

PixelRnnModel::PixelRnnModel(DataSpec spec, PixelRnnOptions options)
    : TrainableDensity(std::move(spec)), options_(options) {
  const DataSpec& s = checked(data_spec());
  require(options_.eval_chunk > 0, "pixelrnn: eval_chunk must be positive, got " + std::to_string(options_.eval_chunk));
  network_ = PixelRnnNetwork::add_to(parameters_, options_.layer, s.shape[0], s.shape[1], s.levels, options_.hidden,
                                     options_.layers);
}

std::string PixelRnnModel::hyperparameters() const {
  std::ostringstream out;
  out << "layer=" << to_string(options_.layer) << ", layers=" << options_.layers << ", hidden=" << options_.hidden;
  return out.str();
}

void PixelRnnModel::initialize(Rng& rng) { network_.initialize(parameters_, rng); }

double PixelRnnModel::objective_and_grad(ConstMatrixRef x, Rng& /*rng*/, std::span<float> grad) const {
  require(x.rows() == dim(), "pixelrnn objective_and_grad: examples have D=" + std::to_string(x.rows()) +
                                 " but the model expects D=" + std::to_string(dim()));
  ad::Tape& tape = training_tape();
  const ad::Var loss = network_.negative_log_likelihood<float>(tape, x, parameters().blocks(), parameters().values(),
                                                               grad);
  tape.backward(loss);
  return static_cast<double>(loss.value()(0, 0));
}

Vector PixelRnnModel::log_prob_impl(ConstMatrixRef x) const {
  Vector out(x.cols());
  // One tape per thread, kept between calls: a fresh tape's first pass spends most of its time
  // allocating and faulting in node storage (hundreds of MB for a 28x28 Diagonal BiLSTM batch).
  thread_local ad::Tape tape;
  std::vector<float> unused(static_cast<std::size_t>(parameters().size()));  // no backward() here
  for (Index first = 0; first < x.cols(); first += options_.eval_chunk) {
    const Index count = std::min(options_.eval_chunk, x.cols() - first);
    tape.clear();
    const ad::Var l = network_.logits<float>(tape, x.middleCols(first, count), parameters().blocks(),
                                             parameters().values(), unused);
    out.segment(first, count) = pixelrnn_log_prob(l.value(), x.middleCols(first, count), network_.levels);
  }
  return out;
}

Matrix PixelRnnModel::sample(Index n, Rng& rng) const {
  const int levels = network_.levels;
  const Index height = network_.height, width = network_.width;
  // One uniform per pixel, drawn up front column by column: the samples do not depend on
  // eval_chunk.
  MatrixD u(dim(), n);
  for (Index e = 0; e < n; ++e)
    for (Index p = 0; p < dim(); ++p) u(p, e) = rng.uniform();
  Matrix x = Matrix::Zero(dim(), n);
  ad::Tape tape;
  std::vector<float> unused(static_cast<std::size_t>(parameters().size()));
  // Row i's logits depend only on rows 0..i (every layer is causal from the top), so row i runs
  // the network on the image cropped to its first i+1 rows: about half the work of full passes.
  // The cropped network has the same blocks (no shape depends on the height).
  std::vector<PixelRnnNetwork> cropped;
  for (Index rows = 1; rows <= height; ++rows) {
    ParameterStore layout;
    cropped.push_back(PixelRnnNetwork::add_to(layout, options_.layer, rows, width, levels, options_.hidden,
                                              options_.layers));
    require(layout.size() == parameters().size(), "pixelrnn sample: the cropped network's parameters differ");
  }
  for (Index first = 0; first < n; first += options_.eval_chunk) {
    const Index count = std::min(options_.eval_chunk, n - first);
    for (Index p = 0; p < dim(); ++p) {  // pixel p depends only on pixels < p, already drawn
      const Index rows = p / width + 1;
      tape.clear();
      const Matrix top = x.block(0, first, rows * width, count);
      const Matrix& l = cropped[static_cast<std::size_t>(rows - 1)]
                            .logits<float>(tape, top, parameters().blocks(), parameters().values(), unused)
                            .value();
      for (Index e = 0; e < count; ++e) {
        if (levels == 2) {
          const double p1 = 1.0 / (1.0 + std::exp(-static_cast<double>(l(p, e))));
          x(p, first + e) = u(p, first + e) < p1 ? 1.0f : 0.0f;
        } else {
          const Eigen::VectorXd z = l.col(e).segment(p * levels, levels).cast<double>();
          const Eigen::VectorXd w = (z.array() - z.maxCoeff()).exp();
          double v = u(p, first + e) * w.sum();
          int level = 0;
          while (level + 1 < levels && v >= w(level)) v -= w(level++);
          x(p, first + e) = static_cast<float>(level);
        }
      }
    }
  }
  return x;
}

void PixelRnnModel::save(const H5Group& g) const {
  g.set_attr("layer", std::string(to_string(options_.layer)));
  g.set_attr("layers", static_cast<std::int64_t>(options_.layers));
  g.set_attr("hidden", static_cast<std::int64_t>(options_.hidden));
  parameters_.save(g.create_group("parameters"));
}

std::unique_ptr<Model> PixelRnnModel::load(const H5Group& g, const DataSpec& spec) {
  PixelRnnOptions options;
  options.layer = parse_pixelrnn_layer(g.attr_string("layer"));
  options.layers = read_int_attr(g, "layers", 1, INT64_MAX);  // sizes are checked against the stored blocks
  options.hidden = read_int_attr(g, "hidden", 1, INT64_MAX);
  auto model = std::make_unique<PixelRnnModel>(spec, options);
  model->parameters_.load(g.group("parameters"));
  return model;
}

}  // namespace logp
