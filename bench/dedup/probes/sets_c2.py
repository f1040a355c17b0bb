# Class 2: template siblings differing only in places / names (must stay apart); some sets also
# hold a real syndicated copy of one sibling (gold: joins that sibling) as a positive control.

FIRE_EN = (
    "A fire broke out in a five-storey residential building on {street} street in {city} on "
    "Tuesday morning, the press service of the city's emergency department said.\n\n"
    "Firefighters arrived at the scene within {m} minutes and extinguished the blaze, which "
    "covered an area of {area} square metres on the {floor} floor. {n} residents, including "
    "{kids} children, were evacuated from the building before the fire crews arrived.\n\n"
    "No one was injured. The cause of the fire is being established."
)

FIRE_RU = (
    "Сегодня в {t1} на пульт службы 112 поступило сообщение о пожаре в пятиэтажном жилом доме на "
    "улице {street} в {district} районе {city_gen}. Горела квартира на третьем этаже на площади "
    "{area} квадратных метров.\n\n"
    "До прибытия пожарных из дома самостоятельно эвакуировались {n} человек. Пожар ликвидирован в "
    "{t2}. Пострадавших нет. Причина пожара устанавливается, сообщили в департаменте по "
    "чрезвычайным ситуациям {city_gen2}."
)

FIRE_KK = (
    "{city_kk} қаласы {district_kk} ауданы {street_kk} көшесіндегі бес қабатты тұрғын үйдің үшінші "
    "қабатындағы пәтерде өрт шықты. Өрт {area} шаршы метр аумақта болды.\n\n"
    "Өрт сөндірушілер келгенге дейін үйден {n} адам өз бетінше шықты. Өрт толықтай сөндірілді. "
    "Зардап шеккендер жоқ. Өрттің шығу себебі анықталуда, деп хабарлады қалалық төтенше жағдайлар "
    "департаментінің баспасөз қызметі."
)

COURT_EN = (
    "A specialised inter-district criminal court in {city} has sentenced {name}, a former {role}, "
    "to {y} years in prison for taking a bribe on an especially large scale, the Anti-Corruption "
    "Agency said on Wednesday.\n\n"
    "According to investigators, in 2022 the official received {amount} million tenge from a "
    "businessman in exchange for signing acts of completed work without checks. The court also "
    "banned {pron} from holding positions in the civil service for life and ordered the "
    "confiscation of {pron2} property.\n\n"
    "The verdict has not yet entered into force."
)

COURT_RU = (
    "Специализированный межрайонный суд по уголовным делам {city_gen} приговорил бывшего {role} "
    "{name} к {y} годам лишения свободы за получение взятки в особо крупном размере, сообщает "
    "пресс-служба Антикоррупционной службы.\n\n"
    "Как установило следствие, в 2022 году чиновник получил от предпринимателя {amount} млн тенге "
    "за беспрепятственное подписание актов выполненных работ. Суд также пожизненно лишил его права "
    "занимать должности на государственной службе и назначил конфискацию имущества.\n\n"
    "Приговор не вступил в законную силу."
)

COURT_KK = (
    "{city_kk} қаласының мамандандырылған ауданаралық қылмыстық соты {role_kk} {name_kk} аса ірі "
    "мөлшерде пара алғаны үшін {y} жылға бас бостандығынан айырды. Бұл туралы Сыбайлас жемқорлыққа "
    "қарсы қызметтің баспасөз қызметі хабарлады.\n\n"
    "Тергеу деректеріне сәйкес, 2022 жылы шенеунік кәсіпкерден орындалған жұмыстар актілеріне "
    "кедергісіз қол қойғаны үшін {amount} миллион теңге алған. Сот сондай-ақ оны мемлекеттік "
    "қызметте лауазым атқару құқығынан өмір бойы айырып, мүлкін тәркілеуге үкім етті.\n\n"
    "Үкім заңды күшіне енген жоқ."
)

DTP_RU = (
    "На {km}-м километре трассы {road} в {district} районе {region} области произошло "
    "лобовое столкновение легкового автомобиля {car} и грузовика {truck}.\n\n"
    "В результате аварии {dead} человека погибли на месте, еще {inj} пассажира с травмами "
    "различной степени тяжести госпитализированы в районную больницу. По предварительным данным, "
    "водитель легкового автомобиля выехал на полосу встречного движения при обгоне.\n\n"
    "По факту ДТП начато досудебное расследование, сообщили в департаменте полиции {region} области."
)

DTP_EN = (
    "{dead} people were killed and {inj} injured in a head-on collision between a {car} car and a "
    "{truck} truck on the {road} highway in {region} region on Saturday, the regional police "
    "department said.\n\n"
    "According to preliminary information, the driver of the car lost control and veered into "
    "oncoming traffic while overtaking. The injured were taken to hospital in {town}.\n\n"
    "Police have opened a criminal investigation into the accident."
)

DTP_KK = (
    "{region_kk} облысында {road_kk} тас жолында жеңіл көлік пен жүк көлігі соқтығысты. Жол-көлік "
    "оқиғасы салдарынан {dead} адам оқиға орнында көз жұмды, тағы {inj} адам ауруханаға жеткізілді.\n\n"
    "Алдын ала деректер бойынша, жеңіл көлік жүргізушісі басып озу кезінде қарсы жолға шығып кеткен. "
    "Оқиға бойынша сотқа дейінгі тергеп-тексеру басталды, деп хабарлады облыстық полиция "
    "департаменті."
)


def f(t, **kw):
    return t.format(**kw)


SETS = {
    # Same numbers, only street/city differ; plus a real copy of the Almaty item.
    "c2_en_fire_same_numbers": [
        ("almaty", "A", "kaz-en-1", "Fire in residential building on Abay street in Almaty",
         f(FIRE_EN, street="Abay", city="Almaty", m=7, area=40, floor="third", n=15, kids=4),
         "2024-03-19T05:10:00Z"),
        ("astana", "B", "kaz-en-1", "Fire in residential building on Kenesary street in Astana",
         f(FIRE_EN, street="Kenesary", city="Astana", m=7, area=40, floor="third", n=15, kids=4),
         "2024-03-19T07:40:00Z"),
        ("almaty_copy", "A", "kaz-en-2", "Almaty: residents evacuated as fire hits apartment block",
         "ALMATY (KazTAG) - " + f(FIRE_EN, street="Abay", city="Almaty", m=7, area=40, floor="third",
                                  n=15, kids=4) + "\n\nFollow KazTAG on Telegram.",
         "2024-03-19T06:00:00Z"),
    ],
    "c2_en_fire_diff_numbers": [
        ("almaty", "A", "kaz-en-1", "Fire in residential building on Abay street in Almaty",
         f(FIRE_EN, street="Abay", city="Almaty", m=7, area=40, floor="third", n=15, kids=4),
         "2024-03-20T05:10:00Z"),
        ("shymkent", "B", "kaz-en-1", "Fire in residential building on Tauke Khan avenue in Shymkent",
         f(FIRE_EN, street="Tauke Khan", city="Shymkent", m=9, area=25, floor="fourth", n=22, kids=6),
         "2024-03-20T09:40:00Z"),
        ("karaganda", "C", "kaz-en-1", "Fire in residential building on Bukhar Zhyrau street in Karaganda",
         f(FIRE_EN, street="Bukhar Zhyrau", city="Karaganda", m=7, area=30, floor="second", n=15, kids=3),
         "2024-03-20T12:00:00Z"),
    ],
    "c2_ru_fire": [
        ("almaty", "A", "ru-dchs", "В Алматы на улице Абая загорелась квартира",
         f(FIRE_RU, t1="10:15", street="Абая", district="Алмалинском", city_gen="Алматы", area=20,
           n=15, t2="10:48", city_gen2="города Алматы"),
         "2024-03-21T05:20:00Z"),
        ("karaganda", "B", "ru-dchs", "В Караганде на улице Ерубаева загорелась квартира",
         f(FIRE_RU, t1="10:15", street="Ерубаева", district="Казыбекбийском", city_gen="Караганды",
           area=20, n=15, t2="10:48", city_gen2="Карагандинской области"),
         "2024-03-21T05:25:00Z"),
        ("pavlodar", "C", "ru-dchs", "В Павлодаре на улице Торайгырова загорелась квартира",
         f(FIRE_RU, t1="14:05", street="Торайгырова", district="Северном", city_gen="Павлодара",
           area=35, n=9, t2="14:31", city_gen2="Павлодарской области"),
         "2024-03-21T09:10:00Z"),
        ("almaty_copy", "A", "ru-outlet-3", "Пожар в многоэтажке на Абая: эвакуированы 15 человек",
         "АЛМАТЫ, 21 марта. /КазТАГ/. " + f(FIRE_RU, t1="10:15", street="Абая", district="Алмалинском",
                                              city_gen="Алматы", area=20, n=15, t2="10:48",
                                              city_gen2="города Алматы")
         + "\n\nПодписывайтесь на наш канал в Telegram.",
         "2024-03-21T05:50:00Z"),
    ],
    "c2_kk_fire": [
        ("almaty", "A", "kk-tzhd", "Алматыда Абай көшесіндегі тұрғын үйде өрт шықты",
         f(FIRE_KK, city_kk="Алматы", district_kk="Әуезов", street_kk="Абай", area=20, n=15),
         "2024-03-22T05:00:00Z"),
        ("astana", "B", "kk-tzhd", "Астанада Кенесары көшесіндегі тұрғын үйде өрт шықты",
         f(FIRE_KK, city_kk="Астана", district_kk="Алматы", street_kk="Кенесары", area=20, n=15),
         "2024-03-22T08:00:00Z"),
        ("taraz", "C", "kk-tzhd", "Таразда Төле би көшесіндегі тұрғын үйде өрт шықты",
         f(FIRE_KK, city_kk="Тараз", district_kk="Жамбыл", street_kk="Төле би", area=30, n=8),
         "2024-03-22T11:00:00Z"),
    ],
    "c2_en_court_same_numbers": [
        ("a", "A", "kaz-en-legal", "Former akimat official sentenced to 8 years for bribery",
         f(COURT_EN, city="Almaty", name="Nurlan Abenov", role="deputy head of the city's "
           "construction department", y=8, amount=45, pron="him", pron2="his"),
         "2024-03-25T06:00:00Z"),
        ("b", "B", "kaz-en-legal", "Former roads official sentenced to 8 years for bribery",
         f(COURT_EN, city="Kostanay", name="Saule Temirbekova", role="head of the regional "
           "passenger transport and roads department", y=8, amount=45, pron="her", pron2="her"),
         "2024-03-25T11:00:00Z"),
    ],
    "c2_ru_court": [
        ("a", "A", "ru-legal-kz", "Бывший замакима осужден на 8 лет за взятку",
         f(COURT_RU, city_gen="Алматы", role="заместителя акима Медеуского района", name="Н. Абенова",
           y=8, amount=45),
         "2024-03-26T06:00:00Z"),
        ("b", "B", "ru-legal-kz", "Бывший руководитель управления дорог осужден на 8 лет",
         f(COURT_RU, city_gen="Костаная", role="руководителя управления пассажирского транспорта и "
           "автомобильных дорог", name="С. Темирбекова", y=8, amount=45),
         "2024-03-26T10:00:00Z"),
        ("c", "C", "ru-legal-kz", "Экс-директор ТОО осужден на 6 лет",
         f(COURT_RU, city_gen="Шымкента", role="директора коммунального предприятия «Тазалык»",
           name="А. Жумабаева", y=6, amount=12),
         "2024-03-26T12:00:00Z"),
    ],
    "c2_kk_court": [
        ("a", "A", "kk-legal", "Аудан әкімінің бұрынғы орынбасары 8 жылға сотталды",
         f(COURT_KK, city_kk="Алматы", role_kk="Медеу ауданы әкімінің бұрынғы орынбасарын",
           name_kk="Н. Әбеновты", y=8, amount=45),
         "2024-03-27T06:00:00Z"),
        ("b", "B", "kk-legal", "Жол басқармасының бұрынғы басшысы 8 жылға сотталды",
         f(COURT_KK, city_kk="Қостанай", role_kk="облыстық жолаушылар көлігі және автомобиль жолдары "
           "басқармасының бұрынғы басшысын", name_kk="С. Темірбекованы", y=8, amount=45),
         "2024-03-27T10:00:00Z"),
    ],
    "c2_ru_dtp": [
        ("akm", "A", "ru-police-kz", "Два человека погибли в ДТП в Акмолинской области",
         f(DTP_RU, km=112, road="Астана – Щучинск", district="Бурабайском", region="Акмолинской",
           car="Toyota Camry", truck="MAN", dead=2, inj=3),
         "2024-03-30T08:00:00Z"),
        ("zhambyl", "B", "ru-police-kz", "Два человека погибли в ДТП в Жамбылской области",
         f(DTP_RU, km=112, road="Алматы – Ташкент", district="Кордайском", region="Жамбылской",
           car="Lada Priora", truck="КамАЗ", dead=2, inj=3),
         "2024-03-30T13:00:00Z"),
        ("kost", "C", "ru-police-kz", "Три человека погибли в ДТП в Костанайской области",
         f(DTP_RU, km=47, road="Костанай – Рудный", district="Костанайском", region="Костанайской",
           car="Hyundai Accent", truck="Volvo", dead=3, inj=2),
         "2024-03-30T16:00:00Z"),
    ],
    "c2_en_dtp": [
        ("akm", "A", "kaz-en-1", "Two killed in head-on crash in Akmola region",
         f(DTP_EN, dead="Two", inj="three", car="Toyota Camry", truck="MAN", road="Astana-Shchuchinsk",
           region="Akmola", town="Shchuchinsk"),
         "2024-03-30T08:30:00Z"),
        ("zhambyl", "B", "kaz-en-1", "Two killed in head-on crash in Zhambyl region",
         f(DTP_EN, dead="Two", inj="three", car="Lada Priora", truck="KamAZ", road="Almaty-Tashkent",
           region="Zhambyl", town="Kordai"),
         "2024-03-30T13:30:00Z"),
    ],
    "c2_kk_dtp": [
        ("akm", "A", "kk-police", "Ақмола облысында жол апатынан екі адам қаза тапты",
         f(DTP_KK, region_kk="Ақмола", road_kk="Астана – Щучинск", dead="Екі", inj="үш"),
         "2024-03-31T08:00:00Z"),
        ("zhambyl", "B", "kk-police", "Жамбыл облысында жол апатынан екі адам қаза тапты",
         f(DTP_KK, region_kk="Жамбыл", road_kk="Алматы – Ташкент", dead="Екі", inj="үш"),
         "2024-03-31T12:00:00Z"),
        ("akm_copy", "A", "kk-outlet-2", "Щучинск тас жолында апат: екі адам көз жұмды",
         "Көкшетау. ҚазАқпарат - " + f(DTP_KK, region_kk="Ақмола", road_kk="Астана – Щучинск",
                                      dead="Екі", inj="үш"),
         "2024-03-31T09:00:00Z"),
    ],
}

# Siblings that differ in place names and in ONE figure only (all other figures agree).
SETS["c2_en_fire_one_figure_differs"] = [
    ("almaty", "A", "kaz-en-1", "Fire in residential building on Abay street in Almaty",
     f(FIRE_EN, street="Abay", city="Almaty", m=7, area=40, floor="third", n=15, kids=4),
     "2024-03-23T05:10:00Z"),
    ("astana", "B", "kaz-en-1", "Fire in residential building on Kenesary street in Astana",
     f(FIRE_EN, street="Kenesary", city="Astana", m=7, area=40, floor="third", n=11, kids=4),
     "2024-03-23T07:40:00Z"),
]
SETS["c2_ru_fire_one_figure_differs"] = [
    ("almaty", "A", "ru-dchs", "В Алматы на улице Абая загорелась квартира",
     f(FIRE_RU, t1="10:15", street="Абая", district="Алмалинском", city_gen="Алматы", area=20,
       n=15, t2="10:48", city_gen2="города Алматы"), "2024-03-24T05:20:00Z"),
    ("karaganda", "B", "ru-dchs", "В Караганде на улице Ерубаева загорелась квартира",
     f(FIRE_RU, t1="11:40", street="Ерубаева", district="Казыбекбийском", city_gen="Караганды",
       area=20, n=15, t2="10:48", city_gen2="Карагандинской области").replace("в 10:48", "в 12:05"),
     "2024-03-24T07:25:00Z"),
]

# Storm warnings for other regions, word for word (Kazhydromet's daily wording): the region
# alone differs, the service's and the agency's names agree. Plus a copy of one of them.
STORM_EN = (
    "A storm warning has been issued for {region} region for December 6, Kazhydromet said. Fog "
    "and black ice are expected at night and in the morning, and in the afternoon the wind will "
    "strengthen to 15-20 metres per second.\n\n"
    "Forecasters urged drivers to take care on the roads and asked residents to follow the "
    "messages of the Emergency Situations Ministry."
)
STORM_RU = (
    "Штормовое предупреждение объявлено в {region} области на 6 декабря. По данным РГП "
    "«Казгидромет», ночью и утром ожидается туман, гололед, днем – усиление ветра до 15-20 "
    "метров в секунду.\n\n"
    "Синоптики просят водителей соблюдать осторожность на дорогах, а жителей – следить за "
    "сообщениями МЧС."
)
STORM_KK = (
    "{region} облысында 6 желтоқсанға дауылды ескерту жарияланды. «Қазгидромет» РМК мәліметінше, "
    "түнде және таңертең тұман, көктайғақ, күндіз желдің секундына 15-20 метрге дейін күшеюі "
    "күтіледі.\n\n"
    "Синоптиктер жүргізушілерді жолда абай болуға, тұрғындарды ТЖМ хабарламаларын қадағалауға "
    "шақырады."
)
SETS["c2_en_storm_regions"] = [
    ("almaty", "A", "kazhydromet-en", "Storm warning issued for Almaty region",
     STORM_EN.format(region="Almaty"), "2024-12-05T09:00:00Z"),
    ("zhambyl", "B", "kazhydromet-en", "Storm warning issued for Zhambyl region",
     STORM_EN.format(region="Zhambyl"), "2024-12-05T09:05:00Z"),
    ("almaty_copy", "A", "kaz-en-2", "Storm warning in Almaty region",
     "ALMATY (KazTAG) - " + STORM_EN.format(region="Almaty"), "2024-12-05T09:40:00Z"),
]
SETS["c2_ru_storm_regions"] = [
    ("almaty", "A", "kazhydromet-ru", "Штормовое предупреждение в Алматинской области",
     STORM_RU.format(region="Алматинской"), "2024-12-06T09:00:00Z"),
    ("zhambyl", "B", "kazhydromet-ru", "Штормовое предупреждение в Жамбылской области",
     STORM_RU.format(region="Жамбылской"), "2024-12-06T09:05:00Z"),
]
SETS["c2_kk_storm_regions"] = [
    ("almaty", "A", "kazhydromet-kk", "Алматы облысында дауылды ескерту",
     STORM_KK.format(region="Алматы"), "2024-12-07T09:00:00Z"),
    ("zhambyl", "B", "kazhydromet-kk", "Жамбыл облысында дауылды ескерту",
     STORM_KK.format(region="Жамбыл"), "2024-12-07T09:05:00Z"),
]
