// RenderJson: the claimdiff/report-v1 document.
#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/parallel.h"
#include "rapidjson/prettywriter.h"
#include "report/internal/json_writer.h"
#include "report/internal/view.h"
#include "report/render.h"

namespace claimdiff {
namespace {

using internal::Key;
using internal::Number;
using internal::OptionalString;
using internal::String;
using internal::WriteFirstAndPassages;

// A RapidJSON output stream over internal::Output: appends to its string, which goes to the
// output's stream (if any) every kChunk bytes, so a report of hundreds of megabytes is never
// held whole.
struct Sink {
  using Ch = char;
  static constexpr size_t kChunk = size_t{64} << 10;
  internal::Output* out;
  bool streaming;
  void Put(char c) {
    out->text.push_back(c);
    if (streaming && out->text.size() >= kChunk) out->Finish();
  }
  void Flush() {}
};

using Writer = rapidjson::PrettyWriter<Sink>;

void WriteFacts(Writer& w, const Document& doc, const SpanFacts& f) {
  const std::string_view text = doc.text;
  Key(w, "numbers");
  w.StartArray();
  for (const NumberFact& n : f.numbers) {
    const NumberMention& m = n.mention;
    w.StartObject();
    Key(w, "text");
    String(w, text.substr(n.begin, n.end - n.begin));
    Key(w, "start");
    w.Uint(n.begin);
    Key(w, "end");
    w.Uint(n.end);
    if (!m.is_range()) {
      Key(w, "value");
      w.Double(m.low);
    }
    Key(w, "low");
    w.Double(m.low);
    Key(w, "high");
    w.Double(m.high);
    Key(w, "qualifier");
    String(w, QualifierName(m.qualifier));
    Key(w, "kind");
    String(w, NumberKindName(m.kind));
    if (!m.unit.empty()) {
      Key(w, "unit");
      String(w, m.unit);
    }
    w.EndObject();
  }
  w.EndArray();
  Key(w, "quotes");
  w.StartArray();
  for (const QuoteFact& q : f.quotes) {
    w.StartObject();
    Key(w, "text");
    String(w, text.substr(q.begin, q.end - q.begin));
    Key(w, "start");
    w.Uint(q.begin);
    Key(w, "end");
    w.Uint(q.end);
    Key(w, "speaker");
    if (q.speaker.empty()) {
      w.Null();
    } else {
      String(w, q.speaker);
    }
    w.EndObject();
  }
  w.EndArray();
  if (!f.negations.empty()) {
    Key(w, "negations");
    w.StartArray();
    for (const std::string& c : f.negations) String(w, c);
    w.EndArray();
  }
}

void WriteSpanRef(Writer& w, const Report& r, uint32_t span) {
  w.StartObject();
  Key(w, "doc");
  String(w, r.documents[r.spans[span].doc].id);
  Key(w, "span");
  w.Uint(r.spans[span].index);
  w.EndObject();
}

void WriteConflict(Writer& w, const Report& r, const Conflict& c, bool with_similarity) {
  w.StartObject();
  Key(w, "kind");
  String(w, ConflictKindName(c.kind));
  Key(w, "detail");
  String(w, c.detail);
  Key(w, "members");
  w.StartArray();
  for (uint32_t s : c.spans) WriteSpanRef(w, r, s);
  w.EndArray();
  if (with_similarity) {
    Key(w, "similarity");
    Number(w, c.similarity);
  }
  w.EndObject();
}

void WriteDocument(Writer& w, const Report& r, uint32_t d, const std::vector<uint8_t>& shown) {
  const Document& doc = r.documents[d];
  w.StartObject();
  Key(w, "id");
  String(w, doc.id);
  Key(w, "title");
  String(w, doc.title);
  OptionalString(w, "outlet", doc.outlet);
  OptionalString(w, "url", doc.url);
  OptionalString(w, "published", doc.published);
  Key(w, "source");
  String(w, doc.source);
  if (doc.line > 0) {
    Key(w, "line");
    w.Int64(doc.line);
  }
  Key(w, "spans");
  w.StartArray();
  for (uint32_t i = r.first_span[d]; i < r.first_span[d + 1]; ++i) {
    const Span& s = r.spans[i];
    w.StartObject();
    Key(w, "id");
    w.Uint(s.index);
    Key(w, "start");
    w.Uint(s.begin);
    Key(w, "end");
    w.Uint(s.end);
    Key(w, "kind");
    String(w, SpanKindName(s.kind));
    Key(w, "text");
    String(w, SpanText(doc, s));
    Key(w, "boilerplate");
    w.Bool(s.boilerplate);
    if (s.IsRepeat()) {
      Key(w, "repeat_of");
      w.Uint(s.repeat_of);
    }
    if (r.cluster_of[i] >= 0 && shown[static_cast<size_t>(r.cluster_of[i])]) {
      Key(w, "cluster");
      String(w, r.clusters[static_cast<size_t>(r.cluster_of[i])].id);
    }
    WriteFacts(w, doc, r.facts[i]);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

// An array of `count` elements at depth two (root object, array), written by all threads in
// rounds of `per_thread` elements a thread: `write(writer, k)` writes element k as a root value,
// then every line break of it gets the four more spaces of that depth (a JSON string holds
// none). With single-line arrays the elements are joined by ", " inside "[" and "]". Each block
// of a round renders into one string with one writer, reset between elements. The bytes are
// those one writer would give.
template <typename WriteElement>
void WriteArrayInParallel(Writer& w, size_t count, int threads, size_t per_thread,
                          internal::Output& out, bool streaming, const WriteElement& write) {
  w.RawValue("[", 1, rapidjson::kArrayType);  // the writer's own prefix (": "), then "["
  const size_t round = per_thread * static_cast<size_t>(ThreadCount(threads));
  std::vector<std::string> parts;  // a block's text at the index of its first element
  for (size_t first = 0; first < count; first += round) {
    const size_t size = std::min(round, count - first);
    parts.assign(size, std::string());
    ParallelFor(size, threads, [&](size_t begin, size_t end) {
      internal::Output one;
      Sink sink{&one, false};
      Writer ew(sink);
      ew.SetIndent(' ', 2);
      ew.SetFormatOptions(rapidjson::kFormatSingleLineArray);
      std::string& part = parts[begin];
      for (size_t k = begin; k < end; ++k) {
        one.text.clear();
        ew.Reset(sink);
        write(ew, first + k);
        if (first + k > 0) part.append(", ");
        for (size_t at = 0;;) {
          const size_t line_end = one.text.find('\n', at);
          if (line_end == std::string::npos) {
            part.append(one.text, at, std::string::npos);
            break;
          }
          part.append(one.text, at, line_end + 1 - at);
          part.append(4, ' ');
          at = line_end + 1;
        }
      }
    });
    for (const std::string& part : parts) {
      out.text.append(part);
      if (streaming && out.text.size() >= Sink::kChunk) out.Finish();
    }
  }
  out.text.push_back(']');
}

void WriteCluster(Writer& w, const Report& r, const Cluster& c) {
  w.StartObject();
  Key(w, "id");
  String(w, c.id);
  Key(w, "verdict");
  String(w, VerdictName(c.verdict));
  Key(w, "documents");
  w.Uint(c.documents);
  Key(w, "reference");
  WriteSpanRef(w, r, c.reference);
  Key(w, "members");
  w.StartArray();
  for (const ClusterMember& m : c.members) {
    const Span& s = r.spans[m.span];
    w.StartObject();
    Key(w, "doc");
    String(w, r.documents[s.doc].id);
    Key(w, "span");
    w.Uint(s.index);
    Key(w, "similarity");
    Number(w, m.similarity);
    w.EndObject();
  }
  w.EndArray();
  Key(w, "conflicts");
  w.StartArray();
  for (const Conflict& k : c.conflicts) WriteConflict(w, r, k, false);
  w.EndArray();
  w.EndObject();
}

void WriteDocumentPair(Writer& w, const Report& r, const DocumentPair& p) {
  w.StartObject();
  Key(w, "a");
  String(w, r.documents[p.a].id);
  Key(w, "b");
  String(w, r.documents[p.b].id);
  Key(w, "shared_spans");
  w.Uint(p.shared_spans);
  Key(w, "a_in_b");
  Number(w, p.a_in_b);
  Key(w, "b_in_a");
  Number(w, p.b_in_a);
  if (p.label) {
    Key(w, "label");
    String(w, ReuseLabelName(*p.label));
    WriteFirstAndPassages(w, r.documents, p.first, p.passages);
  }
  w.EndObject();
}

void WriteJson(const Report& r, const RenderOptions& options, internal::Output& out,
               bool streaming) {
  const std::vector<uint32_t> selected = internal::SelectClusters(r, options);
  std::vector<uint8_t> shown(r.clusters.size(), 0);
  for (uint32_t c : selected) shown[c] = 1;
  Sink sink{&out, streaming};
  Writer w(sink);
  w.SetIndent(' ', 2);
  w.SetFormatOptions(rapidjson::kFormatSingleLineArray);
  w.StartObject();
  Key(w, "schema");
  String(w, kReportSchema);
  Key(w, "generator");
  w.StartObject();
  Key(w, "name");
  String(w, "claimdiff");
  Key(w, "version");
  String(w, kVersion);
  w.EndObject();
  Key(w, "options");
  w.StartObject();
  Key(w, "threshold");
  Number(w, r.options.threshold);
  Key(w, "min_link");
  Number(w, r.options.min_link);
  Key(w, "max_sentence_words");
  w.Int(r.options.segment.max_sentence_words);
  w.EndObject();

  // The arrays, most of a report's bytes, on all threads.
  const int threads = r.options.threads;
  Key(w, "documents");
  // Documents are large (all their spans): fewer at a time than the other arrays' elements.
  WriteArrayInParallel(
      w, r.documents.size(), threads, 64, out, streaming,
      [&](Writer& ew, size_t d) { WriteDocument(ew, r, static_cast<uint32_t>(d), shown); });

  Key(w, "clusters");
  WriteArrayInParallel(w, selected.size(), threads, 4096, out, streaming,
                       [&](Writer& ew, size_t k) { WriteCluster(ew, r, r.clusters[selected[k]]); });
  Key(w, "conflicts");
  WriteArrayInParallel(w, r.conflicts.size(), threads, 4096, out, streaming,
                       [&](Writer& ew, size_t k) { WriteConflict(ew, r, r.conflicts[k], true); });
  Key(w, "document_pairs");
  WriteArrayInParallel(
      w, r.document_pairs.size(), threads, 4096, out, streaming,
      [&](Writer& ew, size_t k) { WriteDocumentPair(ew, r, r.document_pairs[k]); });

  Key(w, "errors");
  w.StartArray();
  for (const InputError& e : r.errors) {
    w.StartObject();
    Key(w, "source");
    String(w, e.source);
    if (e.line > 0) {
      Key(w, "line");
      w.Int64(e.line);
    }
    if (e.offset >= 0) {
      Key(w, "offset");
      w.Int64(e.offset);
    }
    Key(w, "message");
    String(w, e.message);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  out.text.push_back('\n');
  out.Finish();
}

}  // namespace

std::string RenderJson(const Report& report, const RenderOptions& options) {
  internal::Output out;
  out.text.reserve(report.documents.size() * 4096 + 4096);
  WriteJson(report, options, out, /*streaming=*/false);
  return std::move(out.text);
}

void RenderJson(const Report& report, const RenderOptions& options, std::ostream& stream) {
  internal::Output out(&stream);
  out.text.reserve(Sink::kChunk + 1);
  WriteJson(report, options, out, /*streaming=*/true);
}

}  // namespace claimdiff
