# Class 6: a new outlet's first items, short stories that all end with the outlet's long footer
# (copyright, registration, "subscribe" lines) before the engine has learned it (boilerplate is
# learned from a source's third item). Gold: every story apart; positive controls: the outlet's
# copy of an agency story joins the agency's item.
# Each item: (id, gold, source, title, text, published)

FOOTER_EN = (
    "Copyright 2024 Steppe Herald LLC. All rights reserved. Any use of our materials is allowed "
    "only with a hyperlink to steppeherald.kz. The media outlet is registered with the Ministry of "
    "Information under certificate No. 17234-IA. Follow Steppe Herald on Telegram and Instagram to "
    "get the most important news of Kazakhstan first."
)

FOOTER_RU = (
    "Все права защищены. Использование материалов сайта допускается только с гиперссылкой на "
    "источник. Свидетельство о постановке на учёт СМИ № 17234-ИА выдано Министерством информации "
    "и общественного развития. Подписывайтесь на наш Telegram-канал и первыми узнавайте главные "
    "новости страны."
)

FOOTER_KK = (
    "Барлық құқықтар қорғалған. Сайт материалдарын пайдалану тек дереккөзге гиперсілтеме "
    "болғанда ғана рұқсат етіледі. Бұқаралық ақпарат құралын есепке қою туралы № 17234-АА куәлігін "
    "Ақпарат және қоғамдық даму министрлігі берген. Біздің Telegram-арнаға жазылып, еліміздің ең "
    "маңызды жаңалықтарын бірінші болып біліңіз."
)

STORIES_EN = [
    ("Almaty opens new metro station",
     "A new metro station opened in Almaty on Monday on the extension of the first line towards "
     "the Kalkaman district. Trains will run every eight minutes."),
    ("Wheat harvest starts in Kostanay region",
     "Farmers in the Kostanay region began harvesting spring wheat this week, about ten days "
     "earlier than last year, the regional agriculture department said."),
    ("Snow leopard filmed in Ile-Alatau park",
     "Camera traps in the Ile-Alatau national park have filmed a female snow leopard with two cubs "
     "near a tourist trail, the park's press service said."),
    ("Astana airport adds flights to Seoul",
     "Astana's international airport will add three weekly flights to Seoul from next month as "
     "demand for travel to South Korea grows, the airport said."),
]

STORIES_RU = [
    ("В Алматы открылась новая станция метро",
     "В понедельник в Алматы открылась новая станция метро на продолжении первой линии в сторону "
     "микрорайона Калкаман. Поезда будут ходить каждые восемь минут."),
    ("В Костанайской области начали уборку пшеницы",
     "Аграрии Костанайской области на этой неделе приступили к уборке яровой пшеницы, примерно на "
     "десять дней раньше, чем в прошлом году, сообщили в управлении сельского хозяйства."),
    ("В Иле-Алатауском парке сняли снежного барса",
     "Фотоловушки в Иле-Алатауском национальном парке сняли самку снежного барса с двумя котятами "
     "рядом с туристической тропой, сообщила пресс-служба парка."),
    ("Аэропорт Астаны добавит рейсы в Сеул",
     "Международный аэропорт Астаны со следующего месяца добавит три еженедельных рейса в Сеул на "
     "фоне растущего спроса на поездки в Южную Корею, сообщили в аэропорту."),
]

STORIES_KK = [
    ("Алматыда жаңа метро бекеті ашылды",
     "Дүйсенбі күні Алматыда бірінші желінің Қалқаман шағынауданына қарай жалғасында жаңа метро "
     "бекеті ашылды. Пойыздар әр сегіз минут сайын жүреді."),
    ("Қостанай облысында бидай орағы басталды",
     "Қостанай облысының диқандары осы аптада жаздық бидайды жинауға кірісті, бұл былтырғыдан он "
     "күн ерте, деп хабарлады облыстық ауыл шаруашылығы басқармасы."),
    ("Іле-Алатау паркінде қар барысы түсірілді",
     "Іле-Алатау ұлттық паркіндегі фотоқақпандар туристік соқпақтың жанынан екі күшігі бар ұрғашы "
     "қар барысын түсіріп алды, деп хабарлады парктің баспасөз қызметі."),
    ("Астана әуежайы Сеулге рейстер қосады",
     "Астананың халықаралық әуежайы келесі айдан бастап Оңтүстік Кореяға сапарларға сұраныстың "
     "өсуіне байланысты Сеулге аптасына үш рейс қосады, деп хабарлады әуежай."),
]

# Agency stories the new outlet copies (positive controls): the agency's item first, then the
# outlet's copy with its footer, among the outlet's first items.
AGENCY = {
    "en": ("Tokayev signs law on digital assets",
           "President Kassym-Jomart Tokayev on Tuesday signed a law regulating digital assets and "
           "crypto exchanges, which requires platforms to obtain a licence from the Astana "
           "Financial Services Authority and to keep client funds separate from their own."),
    "ru": ("Токаев подписал закон о цифровых активах",
           "Президент Касым-Жомарт Токаев во вторник подписал закон о регулировании цифровых "
           "активов и криптобирж, который обязывает площадки получать лицензию Комитета по "
           "регулированию финансовых услуг МФЦА и хранить средства клиентов отдельно от своих."),
    "kk": ("Тоқаев цифрлық активтер туралы заңға қол қойды",
           "Президент Қасым-Жомарт Тоқаев сейсенбі күні цифрлық активтер мен криптобиржаларды "
           "реттейтін заңға қол қойды, ол алаңдардан Астана қаржылық қызметтер агенттігінен "
           "лицензия алуды және клиенттердің қаражатын өз қаражатынан бөлек сақтауды талап етеді."),
}

# Navigation and slogan lines some outlets put above every story.
HEADER = {
    "en": "Steppe Herald. News of Kazakhstan and the world around the clock\n\n"
          "Home / News / Society / Regions / Economy",
    "ru": "Степной вестник. Новости Казахстана и мира круглые сутки\n\n"
          "Главная / Новости / Общество / Регионы / Экономика",
    "kk": "Дала хабаршысы. Қазақстан мен әлем жаңалықтары тәулік бойы\n\n"
          "Басты бет / Жаңалықтар / Қоғам / Өңірлер / Экономика",
}

SETS = {}
for lang, stories, footer in (("en", STORIES_EN, FOOTER_EN), ("ru", STORIES_RU, FOOTER_RU),
                              ("kk", STORIES_KK, FOOTER_KK)):
    outlet = f"{lang}-new-outlet"
    # Four different stories in a row, each with the footer: all apart.
    SETS[f"c6_{lang}_footer_only"] = [
        (chr(ord("a") + i), chr(ord("A") + i), outlet, title, text + "\n\n" + footer,
         f"2024-05-06T{8 + i:02d}:00:00Z") for i, (title, text) in enumerate(stories)
    ]
    # The outlet's second item copies an agency story: the copy joins the agency's item, the
    # outlet's other items stay apart.
    title, text = AGENCY[lang]
    SETS[f"c6_{lang}_footer_and_copy"] = [
        ("agency", "W", f"{lang}-agency", title, text, "2024-05-07T07:30:00Z"),
        ("a", "A", outlet, stories[0][0], stories[0][1] + "\n\n" + footer, "2024-05-07T08:00:00Z"),
        ("copy", "W", outlet, title, text + "\n\n" + footer, "2024-05-07T09:00:00Z"),
        ("b", "B", outlet, stories[1][0], stories[1][1] + "\n\n" + footer, "2024-05-07T10:00:00Z"),
    ]
    # The same outlet with a header above each story as well.
    SETS[f"c6_{lang}_header_and_footer"] = [
        (chr(ord("a") + i), chr(ord("A") + i), outlet + "-2", title,
         HEADER[lang] + "\n\n" + text + "\n\n" + footer, f"2024-05-08T{8 + i:02d}:00:00Z")
        for i, (title, text) in enumerate(stories)
    ]
