// RepairXml: rewrites a document that is not well-formed into one that is.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "parse/ascii.h"
#include "parse/xml_prep.h"
#include "parse/xml_prep_internal.h"

namespace newsd::parse {
namespace {

class Repairer {
 public:
  explicit Repairer(std::string_view doc) : doc_(doc) {}

  std::string Run(std::string* cut_off) {
    out_.reserve(doc_.size() + 64);
    while (pos_ < doc_.size()) {
      size_t lt = doc_.find('<', pos_);
      if (lt == std::string_view::npos) lt = doc_.size();
      AppendText(doc_.substr(pos_, lt - pos_));
      pos_ = lt;
      if (pos_ < doc_.size()) Markup();
    }
    // Elements still open here were cut off by the end of the document (a truncated
    // response): mark the entries among them, innermost first so earlier offsets stay valid.
    if (cut_off != nullptr) cut_off->clear();
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      const std::string_view local = it->name.substr(it->name.rfind(':') + 1);
      if (local != "item" && local != "entry") continue;
      out_.insert(it->attributes_at, kCutOffAttribute);
      if (cut_off != nullptr && cut_off->empty()) *cut_off = std::string(it->name);
    }
    while (!stack_.empty()) CloseTop();
    return std::move(out_);
  }

 private:
  void AppendText(std::string_view text) {
    for (char c : text) {
      if (c == '>') {
        out_ += "&gt;";
      } else {
        out_.push_back(c);
      }
    }
  }

  void CloseTop() {
    out_ += "</";
    out_ += stack_.back().name;
    out_ += '>';
    stack_.pop_back();
  }

  void Markup() {
    std::string_view rest = doc_.substr(pos_);
    if (rest.size() > 1 && (rest[1] == '!' || rest[1] == '?')) {
      std::string_view kind;
      size_t len = SpecialLength(doc_, pos_, &kind);
      if (len == std::string_view::npos) {
        if (kind == "cdata") {
          out_.append(rest);
          out_ += "]]>";
        } else if (kind == "comment") {
          out_.append(rest);
          out_ += "-->";
        }
        pos_ = doc_.size();
        return;
      }
      out_.append(rest.substr(0, len));
      pos_ += len;
      return;
    }
    if (rest.size() > 1 && rest[1] == '/') {
      EndTag();
    } else if (rest.size() > 1 && IsNameStart(rest[1])) {
      StartTag();
    } else {
      out_ += "&lt;";
      ++pos_;
    }
  }

  std::string_view Name(size_t* p) {
    size_t start = *p;
    while (*p < doc_.size() && IsNameChar(doc_[*p])) ++*p;
    return doc_.substr(start, *p - start);
  }

  void EndTag() {
    size_t p = pos_ + 2;
    std::string_view name = Name(&p);
    size_t gt = doc_.find('>', p);
    pos_ = gt == std::string_view::npos ? doc_.size() : gt + 1;
    // Look a bounded way down the stack so stray end tags cannot make this quadratic.
    auto last = stack_.rbegin() + static_cast<long>(std::min<size_t>(stack_.size(), 256));
    auto it = std::find_if(stack_.rbegin(), last, [&](const Open& o) { return o.name == name; });
    if (name.empty() || it == last) return;  // stray end tag: drop it
    while (stack_.back().name != name) CloseTop();
    CloseTop();
  }

  void StartTag() {
    size_t p = pos_ + 1;
    std::string_view name = Name(&p);
    std::string tag(1, '<');
    tag += name;
    std::vector<std::string_view> seen;
    bool self_close = false, closed = false;
    while (p < doc_.size()) {
      char c = doc_[p];
      if (c == '>') {
        ++p, closed = true;
        break;
      } else if (c == '/' && p + 1 < doc_.size() && doc_[p + 1] == '>') {
        p += 2, closed = self_close = true;
        break;
      } else if (c == '<') {
        closed = true;  // unterminated tag: end it here
        break;
      } else if (IsNameStart(c)) {
        std::string_view attr = Name(&p);
        while (p < doc_.size() && IsXmlSpace(doc_[p])) ++p;
        std::string value(attr);
        if (p < doc_.size() && doc_[p] == '=') {
          ++p;
          while (p < doc_.size() && IsXmlSpace(doc_[p])) ++p;
          value = AttrValue(&p);
        }
        if (std::find(seen.begin(), seen.end(), attr) != seen.end()) continue;
        if (attr == kCutOffAttributeName) continue;  // only the repair sets it
        seen.push_back(attr);
        tag += ' ';
        tag += attr;
        tag += "=\"";
        tag += value;
        tag += '"';
      } else {
        ++p;  // whitespace, or junk inside the tag
      }
    }
    pos_ = p;
    if (!closed) return;  // truncated document: drop the partial tag
    tag += self_close ? "/>" : ">";
    const size_t attributes_at = out_.size() + 1 + name.size();
    out_ += tag;
    if (!self_close) stack_.push_back(Open{name, attributes_at});
  }

  std::string AttrValue(size_t* p) {
    std::string v;
    if (*p < doc_.size() && (doc_[*p] == '"' || doc_[*p] == '\'')) {
      char q = doc_[(*p)++];
      while (*p < doc_.size() && doc_[*p] != q) AppendAttrChar(doc_[(*p)++], &v);
      if (*p < doc_.size()) ++*p;
    } else {
      while (*p < doc_.size() && !IsXmlSpace(doc_[*p]) && doc_[*p] != '>') {
        AppendAttrChar(doc_[(*p)++], &v);
      }
    }
    return v;
  }

  static void AppendAttrChar(char c, std::string* v) {
    if (c == '<') {
      *v += "&lt;";
    } else if (c == '"') {
      *v += "&quot;";
    } else {
      v->push_back(c);
    }
  }

  // An element opened and not yet closed: its name, and where its attributes go in out_.
  struct Open {
    std::string_view name;
    size_t attributes_at;
  };

  std::string_view doc_;
  size_t pos_ = 0;
  std::string out_;
  std::vector<Open> stack_;
};

}  // namespace

std::string RepairXml(std::string_view doc, std::string* cut_off) {
  return Repairer(doc).Run(cut_off);
}

}  // namespace newsd::parse
