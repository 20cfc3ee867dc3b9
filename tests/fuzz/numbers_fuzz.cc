// The number and quote extractors. Properties: number mentions come in token order, never
// overlap, lie inside the tokens, have low <= high (never NaN); Allowed and Compatible accept
// every mention; the facts of a span point at bytes inside it.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "core/facts.h"
#include "core/normalize.h"
#include "core/numbers.h"
#include "core/tokenize.h"
#include "core/utf8.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (claimdiff::FindInvalidUtf8(input)) return 0;
  static const claimdiff::Normalizer normalizer = *claimdiff::Normalizer::Create();
  const claimdiff::NormalizedText n = normalizer.Normalize(input);
  const std::vector<claimdiff::Token> tokens = claimdiff::Tokenize(n.text);
  for (size_t i = 0; i < tokens.size(); ++i) {
    FUZZ_CHECK(tokens[i].begin < tokens[i].end && tokens[i].end <= n.text.size());
    if (i > 0) FUZZ_CHECK(tokens[i - 1].end <= tokens[i].begin);
  }
  const std::vector<claimdiff::NumberMention> numbers = claimdiff::FindNumbers(n.text, tokens);
  size_t last_end = 0;
  for (const claimdiff::NumberMention& m : numbers) {
    FUZZ_CHECK(m.qualifier_token >= last_end);
    FUZZ_CHECK(m.qualifier_token <= m.first_token);
    FUZZ_CHECK(m.first_token < m.end_token);
    FUZZ_CHECK(m.end_token <= tokens.size());
    FUZZ_CHECK(!std::isnan(m.low) && !std::isnan(m.high));
    FUZZ_CHECK(m.low <= m.high);
    FUZZ_CHECK(!claimdiff::FindInvalidUtf8(m.unit).has_value());
    const claimdiff::Interval allowed = claimdiff::Allowed(m);
    FUZZ_CHECK(!std::isnan(allowed.low) && !std::isnan(allowed.high));
    FUZZ_CHECK(allowed.low <= allowed.high);
    FUZZ_CHECK(claimdiff::Compatible(m, m));
    last_end = m.end_token;
  }

  // Facts of the input as one span of a document, with a previous span's facts to inherit.
  if (input.empty()) return 0;
  claimdiff::Document doc;
  doc.text = std::string(input);
  claimdiff::Span span;
  span.begin = 0;
  span.end = static_cast<uint32_t>(input.size());
  const claimdiff::FactExtractor facts(normalizer);
  const claimdiff::SpanFacts first = facts.Extract(doc, span, nullptr);
  const claimdiff::SpanFacts second = facts.Extract(doc, span, &first);
  for (const claimdiff::SpanFacts* f : {&first, &second}) {
    for (const claimdiff::NumberFact& nf : f->numbers) {
      FUZZ_CHECK(nf.begin < nf.end && nf.end <= input.size());
    }
    for (const claimdiff::QuoteFact& q : f->quotes) {
      FUZZ_CHECK(q.begin <= q.end && q.end <= input.size());
      FUZZ_CHECK(!claimdiff::FindInvalidUtf8(q.speaker).has_value());
    }
  }
  return 0;
}
