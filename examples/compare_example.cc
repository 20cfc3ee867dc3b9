// Documents in, report out: claimdiff as a library.
#include <iostream>

#include "core/ingest.h"
#include "report/render.h"
#include "report/report.h"

int main(int argc, char** argv) {
  claimdiff::LocalFileSystem fs;
  claimdiff::LoadedInputs in = claimdiff::LoadInputs({argc > 1 ? argv[1] : "."}, fs);
  claimdiff::CompareOptions options;  // options.threshold = 0.5f; for fewer, surer clusters
  auto report = claimdiff::BuildReport(std::move(in.documents), options, std::move(in.errors));
  if (!report.ok()) return 3;
  for (const claimdiff::Cluster& c : report->clusters) {
    if (c.documents > 1) std::cout << c.id << ": " << c.members.size() << " spans\n";
  }
  std::cout << claimdiff::RenderJson(*report).size() << " bytes of JSON\n";
}
