#include <iostream>
#include "core/ingest.h"
#include "core/normalize.h"
#include "report/report.h"
#include "similarity/shingle.h"
#include "similarity/tfidf.h"
using namespace claimdiff;
int main(int argc, char** argv) {
  if (argc < 3) return 2;
  LocalFileSystem fs;
  auto in = LoadInputs({argv[1]}, fs);
  CompareOptions o;
  o.threshold = 0.99f;
  auto r = BuildReport(std::move(in.documents), o);
  auto n = *Normalizer::Create();
  std::vector<std::vector<Shingle>> sh;
  for (auto& s : r->spans)
    sh.push_back(ShingleText(n.Normalize(SpanText(r->documents[s.doc], s)).text));
  std::vector<uint8_t> el;
  for (auto& s : r->spans) el.push_back(!s.boilerplate);
  auto m = BuildTfidf(sh, el);
  float min = std::stof(argv[2]);
  for (size_t i = 0; i < r->spans.size(); ++i)
    for (size_t j = i + 1; j < r->spans.size(); ++j) {
      if (r->spans[i].doc == r->spans[j].doc) continue;
      float c = Cosine(m.rows, i, j);
      if (c >= min)
        std::cout << c << "\t" << r->documents[r->spans[i].doc].id.substr(0, 3) << "#"
                  << r->spans[i].index << " "
                  << SpanText(r->documents[r->spans[i].doc], r->spans[i]).substr(0, 120) << "\n\t"
                  << r->documents[r->spans[j].doc].id.substr(0, 3) << "#" << r->spans[j].index
                  << " " << SpanText(r->documents[r->spans[j].doc], r->spans[j]).substr(0, 120)
                  << "\n";
    }
}
