# Class 3: the same story, one copy spells numbers as words, the other in digits (should join).
# Texts use [[words|digits]] markers: W() picks the words, D() the digits.
import re

_M = re.compile(r"\[\[([^|\]]*)\|([^\]]*)\]\]")


def W(t):
    return _M.sub(lambda m: m.group(1), t)


def D(t):
    return _M.sub(lambda m: m.group(2), t)


BUS_EN = (
    "[[Three|3]] people were killed and [[twelve|12]] injured when a passenger bus collided with a "
    "truck on the Almaty-Bishkek highway on Sunday, police said. The bus, travelling from Almaty to "
    "Kordai, was carrying [[forty-two|42]] passengers.\n\n"
    "[[Two|2]] of the injured are in a serious condition and were flown to Almaty by an air "
    "ambulance, the regional health department said. The other [[ten|10]] were treated at the "
    "district hospital.\n\n"
    "The truck driver, a [[thirty-five|35]]-year-old local resident, was detained. Police said he "
    "may have fallen asleep at the wheel after driving for more than [[eleven|11]] hours."
)

AP_EN = (  # AP style: small numbers spelled out in one copy, digits in the other
    "Kazakhstan will open [[four|4]] new border crossings with China by the end of next year, the "
    "Ministry of Trade and Integration said on Monday, as freight traffic between the [[two|2]] "
    "countries continues to grow.\n\n"
    "The new crossings will be built in the Almaty and East Kazakhstan regions, bringing the total "
    "number of checkpoints on the border to [[nine|9]]. [[Three|3]] of them will handle rail freight "
    "only.\n\n"
    "Trade between the [[two|2]] neighbours rose [[eight|8]] percent last year, according to customs "
    "data, and officials expect the new crossings to cut waiting times for lorries from [[five|5]] "
    "days to [[one|1]]."
)

BUDGET_EN = (
    "The Almaty city akimat will spend [[two billion|2 billion]] tenge this year on repairing "
    "[[forty|40]] kilometres of roads in the Nauryzbay and Alatau districts, the city's roads "
    "department said.\n\n"
    "Work will start in April and is due to be finished by October. [[Fifteen|15]] contractors "
    "were selected through public tenders."
)

BUS_RU = (
    "[[Три|3]] человека погибли и [[двенадцать|12]] пострадали в результате столкновения "
    "пассажирского автобуса с грузовиком на трассе Алматы – Бишкек в воскресенье, сообщили в "
    "полиции. Автобус, следовавший из Алматы в Кордай, перевозил [[сорок два|42]] пассажира.\n\n"
    "[[Двое|2]] пострадавших находятся в тяжелом состоянии, их доставили в Алматы санавиацией, "
    "сообщили в управлении здравоохранения области. Остальные [[десять|10]] человек получают "
    "помощь в районной больнице.\n\n"
    "Водитель грузовика, [[тридцатипятилетний|35-летний]] местный житель, задержан. По данным "
    "полиции, он мог уснуть за рулем, проведя в пути более [[одиннадцати|11]] часов."
)

SCHOOL_RU = (
    "В Шымкенте до конца года построят [[пять|5]] новых школ на [[три тысячи|3 тысячи]] мест "
    "каждая, сообщили в акимате города. Еще [[две|2]] школы будут капитально отремонтированы.\n\n"
    "По словам заместителя акима, дефицит ученических мест в городе составляет около "
    "[[двадцати|20]] тысяч, а в [[семи|7]] школах занятия до сих пор проходят в [[три|3]] смены."
)

BUS_KK = (
    "Алматы – Бішкек тас жолында жолаушылар автобусы жүк көлігімен соқтығысып, [[үш|3]] адам қаза "
    "тапты, [[он екі|12]] адам жарақат алды. Бұл туралы облыстық полиция департаменті хабарлады. "
    "Алматыдан Қордайға бара жатқан автобуста [[қырық екі|42]] жолаушы болған.\n\n"
    "Жарақат алғандардың [[екеуінің|2-еуінің]] жағдайы ауыр, олар санавиациямен Алматыға жеткізілді. "
    "Қалған [[он|10]] адам аудандық ауруханада ем алуда.\n\n"
    "Жүк көлігінің жүргізушісі ұсталды. Полицияның мәліметінше, ол [[он бір|11]] сағаттан астам "
    "көлік жүргізген."
)

MONEY_KK = (
    "Биыл Шымкент қаласында [[бес|5]] жаңа мектеп салынады. Әр мектеп [[үш мың|3 мың]] орынға "
    "арналған. Құрылысқа республикалық бюджеттен [[жиырма бес|25]] миллиард теңге бөлінді.\n\n"
    "Қала әкімдігінің мәліметінше, қазір шаһарда оқушы орындарының тапшылығы шамамен [[жиырма|20]] "
    "мыңды құрайды, ал [[жеті|7]] мектепте сабақ әлі де [[үш|3]] ауысыммен өтеді."
)

SETS = {
    "c3_en_bus": [
        ("words", "A", "kaz-en-1", "Three killed, twelve injured in bus crash on Almaty-Bishkek highway",
         W(BUS_EN), "2024-04-02T06:00:00Z"),
        ("digits", "A", "kaz-en-2", "3 killed, 12 injured in bus crash near Kordai", D(BUS_EN),
         "2024-04-02T07:30:00Z"),
        ("digits_snip", "A", "kaz-en-3", "3 killed in bus crash near Kordai",
         D(BUS_EN).split("\n\n")[0] + " Read more", "2024-04-02T08:00:00Z"),
    ],
    "c3_en_ap_style": [
        ("words", "A", "wire-en", "Kazakhstan to open four new border crossings with China",
         W(AP_EN), "2024-04-03T06:00:00Z"),
        ("digits", "A", "kaz-en-2", "Kazakhstan to open 4 new border crossings with China",
         D(AP_EN), "2024-04-03T09:00:00Z"),
    ],
    "c3_en_short": [
        ("words", "A", "kaz-en-1", "Almaty to repair forty km of roads", W(BUDGET_EN),
         "2024-04-04T06:00:00Z"),
        ("digits", "A", "kaz-en-2", "Almaty to repair 40 km of roads", D(BUDGET_EN),
         "2024-04-04T08:00:00Z"),
    ],
    "c3_ru_bus": [
        ("words", "A", "ru-outlet-1", "Три человека погибли в ДТП с автобусом на трассе Алматы – Бишкек",
         W(BUS_RU), "2024-04-05T06:00:00Z"),
        ("digits", "A", "ru-outlet-2", "3 человека погибли в ДТП с автобусом под Кордаем",
         D(BUS_RU), "2024-04-05T07:00:00Z"),
    ],
    "c3_ru_school": [
        ("words", "A", "ru-outlet-1", "В Шымкенте построят пять школ", W(SCHOOL_RU),
         "2024-04-06T06:00:00Z"),
        ("digits", "A", "ru-outlet-2", "В Шымкенте построят 5 школ", D(SCHOOL_RU),
         "2024-04-06T08:00:00Z"),
    ],
    "c3_kk_bus": [
        ("words", "A", "kk-outlet-1", "Алматы – Бішкек тас жолындағы апаттан үш адам қаза тапты",
         W(BUS_KK), "2024-04-07T06:00:00Z"),
        ("digits", "A", "kk-outlet-2", "Қордай маңындағы апат: 3 адам қаза тапты", D(BUS_KK),
         "2024-04-07T07:00:00Z"),
    ],
    "c3_kk_school": [
        ("words", "A", "kk-outlet-1", "Шымкентте бес жаңа мектеп салынады", W(MONEY_KK),
         "2024-04-08T06:00:00Z"),
        ("digits", "A", "kk-outlet-2", "Шымкентте 5 жаңа мектеп салынады", D(MONEY_KK),
         "2024-04-08T08:00:00Z"),
        ("digits_full", "A", "kk-outlet-3", "Шымкентте 5 мектеп бой көтереді",
         D(MONEY_KK).replace("3 мың", "3000").replace("25 миллиард", "25 000 000 000").replace(
             "20 мыңды", "20 000-ды"), "2024-04-08T09:00:00Z"),
    ],
}

# The number words sit in mid-sentence (no lead prefix to set aside).
FLOOD_RU = (
    "В Северо-Казахстанской области из-за паводка эвакуированы жители [[шести|6]] сел, сообщили "
    "в департаменте по чрезвычайным ситуациям региона. Всего из зоны подтопления вывезены "
    "[[триста сорок|340]] человек, в том числе [[девяносто восемь|98]] детей.\n\n"
    "Вода подтопила [[сорок семь|47]] жилых домов и [[двенадцать|12]] дачных участков. В "
    "ликвидации последствий паводка задействованы более [[пятисот|500]] спасателей и "
    "[[восемьдесят|80]] единиц техники. Уровень воды в реке Ишим за сутки поднялся на "
    "[[тридцать|30]] сантиметров."
)
FLOOD_EN = (
    "Residents of [[six|6]] villages in the North Kazakhstan region have been evacuated because of "
    "spring flooding, the regional emergencies department said. A total of [[three hundred and "
    "forty|340]] people, including [[ninety-eight|98]] children, were taken out of the flood zone.\n\n"
    "The water has flooded [[forty-seven|47]] houses and [[twelve|12]] summer cottages. More than "
    "[[five hundred|500]] rescuers and [[eighty|80]] vehicles are involved in the response. The "
    "level of the Ishim river rose by [[thirty|30]] centimetres in a day."
)
SETS["c3_ru_flood_midsentence"] = [
    ("words", "A", "ru-outlet-1", "В СКО из-за паводка эвакуированы жители шести сел", W(FLOOD_RU),
     "2024-04-09T06:00:00Z"),
    ("digits", "A", "ru-outlet-2", "В СКО эвакуированы жители 6 сел", D(FLOOD_RU),
     "2024-04-09T07:00:00Z"),
]
SETS["c3_en_flood_midsentence"] = [
    ("words", "A", "kaz-en-1", "Six villages evacuated in North Kazakhstan floods", W(FLOOD_EN),
     "2024-04-09T06:30:00Z"),
    ("digits", "A", "kaz-en-2", "6 villages evacuated in North Kazakhstan floods", D(FLOOD_EN),
     "2024-04-09T07:30:00Z"),
]
SETS["c3_en_snippet_words_vs_full_digits"] = [
    ("full_digits", "A", "kaz-en-2", "3 killed, 12 injured in bus crash near Kordai", D(BUS_EN),
     "2024-04-02T07:30:00Z"),
    ("snip_words", "A", "kaz-en-3", "Three killed in bus crash near Kordai",
     W(BUS_EN).split("\n\n")[0] + " Read more", "2024-04-02T08:00:00Z"),
]
