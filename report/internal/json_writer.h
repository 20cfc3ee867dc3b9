// What the JSON renderers (report-v1 and syndication-v1) write the same way, over any RapidJSON
// writer: keys and strings from string views, similarities at four decimals, optional strings,
// and reuse passages with the document that came first.
//
// Internal to the report module's renderers.
#ifndef CLAIMDIFF_REPORT_INTERNAL_JSON_WRITER_H_
#define CLAIMDIFF_REPORT_INTERNAL_JSON_WRITER_H_

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "rapidjson/rapidjson.h"
#include "similarity/syndication.h"

namespace claimdiff::internal {

template <typename Writer>
void String(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

template <typename Writer>
void Key(Writer& w, std::string_view s) {
  w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// Four decimals are plenty for a similarity and keep the output stable. Similarities are finite
// by construction; a non-finite value is written as 0 rather than producing invalid JSON.
template <typename Writer>
void Number(Writer& w, double x) {
  w.Double(std::isfinite(x) ? std::round(x * 10000.0) / 10000.0 : 0.0);
}

template <typename Writer>
void OptionalString(Writer& w, std::string_view key, const std::optional<std::string>& value) {
  Key(w, key);
  if (value) {
    String(w, *value);
  } else {
    w.Null();
  }
}

// "first": the id of the document published first (null when unknown), then "passages".
template <typename Writer>
void WriteFirstAndPassages(Writer& w, const std::vector<Document>& documents,
                           std::optional<uint32_t> first, const std::vector<Passage>& passages) {
  Key(w, "first");
  if (first) {
    String(w, documents[*first].id);
  } else {
    w.Null();
  }
  Key(w, "passages");
  w.StartArray();
  for (const Passage& s : passages) {
    w.StartObject();
    Key(w, "a_start");
    w.Uint(s.a_start);
    Key(w, "a_end");
    w.Uint(s.a_end);
    Key(w, "b_start");
    w.Uint(s.b_start);
    Key(w, "b_end");
    w.Uint(s.b_end);
    Key(w, "similarity");
    Number(w, s.similarity);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace claimdiff::internal

#endif  // CLAIMDIFF_REPORT_INTERNAL_JSON_WRITER_H_
