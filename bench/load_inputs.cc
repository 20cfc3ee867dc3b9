// Loads inputs the way `claimdiff compare` does and stops: for measuring the memory of ingestion
// alone (the rest of the pipeline dominates the peak RSS of a whole run).
//
//   /usr/bin/time -v build/bench/load_inputs corpus.jsonl
//
// Prints the number of documents and errors and the bytes of document text held.
#include <iostream>
#include <string>
#include <vector>

#include "core/ingest.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: load_inputs PATH...\n";
    return 2;
  }
  const std::vector<std::string> paths(argv + 1, argv + argc);
  claimdiff::LocalFileSystem fs;
  const claimdiff::LoadedInputs in = claimdiff::LoadInputs(paths, fs);
  size_t text_bytes = 0;
  for (const claimdiff::Document& d : in.documents) text_bytes += d.text.size();
  std::cout << in.documents.size() << " documents, " << in.errors.size() << " errors, "
            << text_bytes << " bytes of text\n";
  return 0;
}
