#!/usr/bin/env python3
"""Builds the bundled demo feeds in demo/feeds/ from the DKnews.kz sample story.

Usage: demo/make_feeds.py [SAMPLE]   (default: ../shared/corpus/samples/dknews-kazakhstan-morocco.txt)

Five outlets carry copies of the one agency story the way real outlets do (another headline, an
agency prefix, an attribution, a site footer, HTML markup, an RSS snippet), next to unrelated
stories of their own. The generated files are committed, so the demo needs no ../shared.
"""
import html
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SAMPLE = os.path.join(HERE, "..", "..", "shared", "corpus", "samples",
                              "dknews-kazakhstan-morocco.txt")


def story_paragraphs(path):
    """The sample's body paragraphs: without the photo credit, counter and site footer."""
    with open(path, encoding="utf-8") as f:
        paras = [p.strip() for p in f.read().split("\n\n") if p.strip()]
    title = paras[0]
    body = [p for p in paras[1:] if not p.isdigit() and not p.startswith("Photo by")]
    end = next(i for i, p in enumerate(body) if p.startswith("DKNews International"))
    return title, body[:end], body[end:]


UNRELATED = {
    "dknews": [
        ("Astana hosts regional water management conference",
         "Delegations from five Central Asian countries met in Astana on Thursday to discuss "
         "the shared use of the Syr Darya and Amu Darya rivers. The ministers agreed to "
         "exchange hydrological data every week during the irrigation season and to set up a "
         "joint working group on the modernisation of canals and reservoirs before spring."),
    ],
    "kazinform": [
        ("Almaty metro to open two new stations in December",
         "Two new stations of the Almaty metro will open to passengers in December, the city "
         "administration said. The extension adds 2.8 kilometres to the line and is expected "
         "to carry up to 40 thousand passengers a day. Trains will run every seven minutes "
         "during rush hours, and fares will stay at the current level until the end of the year."),
        ("Kazakh wheat exports reach record in October",
         "Kazakhstan exported 1.2 million tonnes of wheat in October, the highest monthly "
         "figure in a decade, according to the Ministry of Agriculture. Most of the grain went "
         "to Uzbekistan, Afghanistan and China, while shipments through the Caspian ports to "
         "Iran and Azerbaijan doubled compared with the same month last year."),
    ],
    "astanatimes": [
        ("National Museum opens exhibition of Saka gold",
         "The National Museum of Kazakhstan opened an exhibition of more than 300 gold "
         "artefacts of the Saka period found in the Eleke Sazy burial ground in the East "
         "Kazakhstan region. The exhibition will run until March and then travel to museums "
         "in Turkey and South Korea."),
    ],
    "regionnews": [
        ("Курс тенге укрепился на торгах KASE",
         "По итогам дневной сессии на Казахстанской фондовой бирже средневзвешенный курс "
         "тенге укрепился до 492,15 за доллар США. Объём торгов составил 187 миллионов "
         "долларов, что на 12 процентов больше, чем накануне. Аналитики связывают укрепление "
         "национальной валюты с ростом цен на нефть и налоговым периодом."),
        ("В Караганде открылся новый детский сад на 320 мест",
         "В Караганде открылся новый детский сад на 320 мест. Здание построено в рамках "
         "государственно-частного партнёрства, в нём работают бассейн, спортивный зал и "
         "логопедический кабинет. Очередь в дошкольные учреждения города сократилась до "
         "полутора тысяч детей, сообщили в акимате."),
    ],
}


def rss(path, title, link, items, encoding="utf-8"):
    out = ['<?xml version="1.0" encoding="%s"?>' % encoding,
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
           "<channel>", "<title>%s</title>" % html.escape(title),
           "<link>%s</link>" % link, "<description>%s</description>" % html.escape(title)]
    for it in items:
        out += ["<item>", "<title>%s</title>" % html.escape(it["title"]),
                "<link>%s</link>" % it["link"], "<guid>%s</guid>" % it["link"],
                "<pubDate>%s</pubDate>" % it["date"],
                "<description>%s</description>" % html.escape(it["text"])]
        if "content" in it:
            out.append("<content:encoded><![CDATA[%s]]></content:encoded>" % it["content"])
        out.append("</item>")
    out += ["</channel>", "</rss>", ""]
    with open(path, "wb") as f:
        f.write("\n".join(out).encode(encoding, errors="xmlcharrefreplace"))


def atom(path, title, link, entries):
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom">',
           "<title>%s</title>" % html.escape(title), '<link href="%s"/>' % link,
           "<id>%s</id>" % link, "<updated>%s</updated>" % entries[0]["date"]]
    for e in entries:
        out += ["<entry>", "<title>%s</title>" % html.escape(e["title"]),
                '<link rel="alternate" href="%s"/>' % e["link"], "<id>%s</id>" % e["link"],
                "<published>%s</published>" % e["date"], "<updated>%s</updated>" % e["date"],
                '<content type="html">%s</content>' % html.escape(e["text"]), "</entry>"]
    out += ["</feed>", ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def paras_html(paras):
    return "".join("<p>%s</p>" % html.escape(p) for p in paras)


def main():
    sample = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SAMPLE
    title, body, footer = story_paragraphs(sample)
    out = os.path.join(HERE, "feeds")
    os.makedirs(out, exist_ok=True)
    plain = "\n\n".join(body)

    # 1. The agency itself: full text with its Kazakh attribution and its site footer.
    rss(os.path.join(out, "dknews.xml"), "DKnews.kz", "https://dknews.kz/en", [
        {"title": title, "link": "https://dknews.kz/en/politics/kazakhstan-morocco",
         "date": "Thu, 27 Nov 2026 08:05:00 +0500", "text": body[0],
         "content": paras_html(body + footer)},
    ] + [{"title": t, "link": "https://dknews.kz/en/n/%d" % i,
          "date": "Thu, 27 Nov 2026 0%d:30:00 +0500" % (6 + i), "text": x}
         for i, (t, x) in enumerate(UNRELATED["dknews"])])

    # 2. A national agency: its own headline and dateline prefix, attribution dropped, one
    #    paragraph cut, its own footer. Atom.
    kz_body = ["ASTANA. KAZINFORM - " + body[1]] + body[2:7] + body[8:]
    kz_text = paras_html(kz_body + ["Follow Kazinform on Telegram for the latest news."])
    atom(os.path.join(out, "kazinform.xml"), "Kazinform", "https://www.inform.kz/en", [
        {"title": "Nurtleu, Bourita discuss strategic partnership in Rabat",
         "link": "https://www.inform.kz/en/nurtleu-bourita-rabat",
         "date": "2026-11-27T05:40:00Z", "text": kz_text},
    ] + [{"title": t, "link": "https://www.inform.kz/en/n%d" % i,
          "date": "2026-11-27T0%d:10:00Z" % (2 + i), "text": x}
         for i, (t, x) in enumerate(UNRELATED["kazinform"])])

    # 3. An English daily that only carries an RSS snippet: the first two paragraphs.
    snippet = " ".join(body[1:3])[:600].rsplit(" ", 1)[0] + "… Read more"
    rss(os.path.join(out, "astanatimes.xml"), "The Astana Times", "https://astanatimes.com", [
        {"title": "Kazakhstan, Morocco take first steps towards strategic partnership",
         "link": "https://astanatimes.com/2026/11/kazakhstan-morocco", "date":
         "Thu, 27 Nov 2026 07:15:00 GMT", "text": snippet},
    ] + [{"title": t, "link": "https://astanatimes.com/2026/11/museum-%d" % i,
          "date": "Wed, 26 Nov 2026 1%d:00:00 GMT" % i, "text": x}
         for i, (t, x) in enumerate(UNRELATED["astanatimes"])])

    # 4. A regional portal in windows-1251: Russian news of its own, and the wire story
    #    republished in English with an added headline prefix and a portal footer.
    rn_text = "\n\n".join(body) + "\n\nПодписывайтесь на наш Telegram-канал. Ctrl+Enter — сообщить об ошибке."
    rss(os.path.join(out, "regionnews.xml"), "RegionNews.kz", "https://regionnews.kz", [
        {"title": "Срочно: Kazakh FM in Morocco", "link": "https://regionnews.kz/n/77001",
         "date": "Thu, 27 Nov 2026 14:20:00 +0500", "text": rn_text},
    ] + [{"title": t, "link": "https://regionnews.kz/n/7700%d" % (2 + i),
          "date": "Thu, 27 Nov 2026 1%d:00:00 +0500" % (0 + i), "text": x}
         for i, (t, x) in enumerate(UNRELATED["regionnews"])], encoding="windows-1251")

    print("wrote", ", ".join(sorted(os.listdir(out))), "to", out)


if __name__ == "__main__":
    main()
