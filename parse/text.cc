#include "parse/text.h"

#include "parse/entities.h"

namespace newsd::parse {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }
bool IsAlpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

std::string LowerName(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (!IsAlpha(c) && !(c >= '0' && c <= '9')) break;
    out.push_back(static_cast<char>(c | 0x20));
  }
  return out;
}

bool IsBlock(std::string_view tag) {
  static constexpr std::string_view kBlocks[] = {
      "p",  "br", "div", "li", "h1",  "h2",    "h3",      "h4",      "h5", "h6", "blockquote",
      "ul", "ol", "tr",  "hr", "pre", "table", "section", "article", "dd", "dt"};
  for (auto b : kBlocks) {
    if (tag == b) return true;
  }
  return false;
}

// Accumulates text with whitespace collapsed and paragraph breaks merged.
class TextSink {
 public:
  void Text(std::string_view decoded) {
    for (char c : decoded) {
      if (IsSpace(c)) {
        pending_space_ = true;
        continue;
      }
      if (pending_break_ && !out_.empty()) {
        out_ += "\n\n";
      } else if (pending_space_ && !out_.empty()) {
        out_ += ' ';
      }
      pending_break_ = pending_space_ = false;
      out_.push_back(c);
    }
  }
  void Break() { pending_break_ = true; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
  bool pending_space_ = false;
  bool pending_break_ = false;
};

}  // namespace

std::string HtmlToText(std::string_view html) {
  TextSink sink;
  std::string decoded;
  size_t pos = 0;
  while (pos < html.size()) {
    size_t lt = html.find('<', pos);
    size_t text_end = lt == std::string_view::npos ? html.size() : lt;
    if (text_end > pos) {
      decoded.clear();
      AppendHtmlUnescaped(html.substr(pos, text_end - pos), &decoded);
      sink.Text(decoded);
    }
    if (lt == std::string_view::npos) break;
    std::string_view rest = html.substr(lt);
    if (rest.substr(0, 4) == "<!--") {
      size_t end = html.find("-->", lt + 4);
      pos = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    bool closing = rest.size() > 1 && rest[1] == '/';
    size_t name_at = closing ? 2 : 1;
    if (rest.size() <= name_at ||
        (!IsAlpha(rest[name_at]) && rest[name_at] != '!' && rest[name_at] != '?')) {
      sink.Text("<");  // a lone '<' is text
      pos = lt + 1;
      continue;
    }
    size_t gt = html.find('>', lt);
    if (gt == std::string_view::npos) break;
    std::string name = LowerName(rest.substr(name_at));
    pos = gt + 1;
    if (!closing && (name == "script" || name == "style")) {
      size_t end = pos;
      while (true) {
        end = html.find("</", end);
        if (end == std::string_view::npos || LowerName(html.substr(end + 2)) == name) break;
        end += 2;
      }
      size_t gt2 = end == std::string_view::npos ? end : html.find('>', end);
      pos = gt2 == std::string_view::npos ? html.size() : gt2 + 1;
      continue;
    }
    if (IsBlock(name)) sink.Break();
  }
  return sink.Take();
}

}  // namespace newsd::parse
