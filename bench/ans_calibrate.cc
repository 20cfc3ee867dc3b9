// Same-claim rates on labelled sentence pairs (the ANS stance corpus: s1,s2,stance with stance
// agree / disagree / other), for calibrating the similarity threshold on text we did not write.
//
//   claimdiff_ans_calibrate ../shared/data/ans-stance/dev.csv
//
// Every sentence of the file is one span of one corpus (so document frequencies come from the
// whole file, as they would in a `compare` run over a day's articles); a pair is "same claim" at
// threshold t when its cosine reaches t and the short-span substitution veto does not fire.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "core/normalize.h"
#include "report/report.h"
#include "similarity/align.h"
#include "similarity/shingle.h"
#include "similarity/tfidf.h"

namespace {

// One CSV record: fields separated by commas, optionally quoted with "" escapes.
std::vector<std::string> ParseCsvLine(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back().push_back(c);
    }
  }
  return fields;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: claimdiff_ans_calibrate FILE.csv [THRESHOLD...]\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "cannot open " << argv[1] << "\n";
    return 1;
  }
  std::vector<float> thresholds;
  for (int i = 2; i < argc; ++i) thresholds.push_back(std::stof(argv[i]));
  if (thresholds.empty()) thresholds = {0.2f, 0.25f, 0.3f, 0.35f, 0.4f, 0.45f, 0.5f};

  const claimdiff::Normalizer normalizer = *claimdiff::Normalizer::Create();
  const claimdiff::CompareOptions options;
  std::vector<std::string> stance;
  std::vector<std::vector<claimdiff::Shingle>> shingles;
  std::vector<claimdiff::ContentSequence> content;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const std::vector<std::string> f = ParseCsvLine(line);
    if (f.size() != 3) continue;
    for (int k = 0; k < 2; ++k) {
      const std::string norm = normalizer.Normalize(f[static_cast<size_t>(k)]).text;
      shingles.push_back(claimdiff::ShingleText(norm, options.shingle));
      content.push_back(claimdiff::ContentWords(norm));
    }
    stance.push_back(f[2]);
  }
  const claimdiff::TfidfMatrix m = claimdiff::BuildTfidf(shingles, {}, options.tfidf);
  std::map<std::string, size_t> total;
  for (const std::string& s : stance) ++total[s];
  std::printf("%zu pairs:", stance.size());
  for (const auto& [s, n] : total) std::printf(" %s %zu", s.c_str(), n);
  std::printf("\nshare judged the same claim, by label\nthreshold");
  for (const auto& [s, n] : total) std::printf("  %9s", s.c_str());
  std::printf("\n");
  for (float t : thresholds) {
    std::map<std::string, size_t> same;
    for (size_t i = 0; i < stance.size(); ++i) {
      const auto a = static_cast<uint32_t>(2 * i);
      const auto b = a + 1;
      const size_t words = std::min(content[a].keys.size(), content[b].keys.size());
      const bool veto = words <= static_cast<size_t>(options.substitution_check_words) &&
                        claimdiff::HasEnclosedSubstitution(content[a], content[b]);
      if (claimdiff::Cosine(m.rows, a, b) >= t && !veto) ++same[stance[i]];
    }
    std::printf("%9.2f", static_cast<double>(t));
    for (const auto& [s, n] : total) {
      std::printf("  %9.3f", static_cast<double>(same[s]) / static_cast<double>(n));
    }
    std::printf("\n");
  }
  return 0;
}
