# Class 7: headline-only feed items (no description at all, as some feeds publish them) with a
# long headline, next to the agency's full story under the same headline. Gold: the headline
# item joins the story; two stories whose headlines differ stay apart.
# Each item: (id, gold, source, title, text, published)

STORIES = [
    ("ru", "Токаев подписал закон о цифровых активах и регулировании криптобирж в Казахстане",
     "Президент Касым-Жомарт Токаев во вторник подписал закон о регулировании цифровых активов и "
     "криптобирж. Документ обязывает площадки получать лицензию и хранить средства клиентов "
     "отдельно от своих.\n\nЗакон вступает в силу через шестьдесят дней после официального "
     "опубликования, сообщила пресс-служба Акорды."),
    ("ru", "В Алматинской области из-за паводков эвакуировали более двух тысяч жителей пяти сел",
     "Более двух тысяч жителей пяти сел Алматинской области эвакуированы из-за паводков, сообщили в "
     "департаменте по чрезвычайным ситуациям.\n\nВ пострадавших районах работают спасатели и "
     "техника, пункты временного размещения развернуты в школах соседних населенных пунктов."),
    ("ru", "Национальный банк Казахстана сохранил базовую ставку на уровне прошлого заседания совета",
     "Национальный банк Казахстана сохранил базовую ставку на уровне прошлого заседания, говорится "
     "в сообщении регулятора.\n\nРешение обосновано замедлением инфляции и ожиданиями по внешней "
     "торговле, следующее заседание запланировано на начало следующего месяца."),
    ("en", "Kazakhstan's central bank keeps its base rate unchanged for a third consecutive meeting",
     "Kazakhstan's central bank kept its base rate unchanged on Friday for a third consecutive "
     "meeting, citing slowing inflation and uncertainty over external trade.\n\nThe regulator "
     "said its next rate decision was scheduled for early next month."),
    ("en", "Floods force evacuation of more than two thousand residents in Almaty region villages",
     "More than two thousand residents of five villages in the Almaty region have been evacuated "
     "because of floods, the emergency situations department said.\n\nRescuers and equipment are "
     "working in the affected districts, and temporary shelters have been set up in schools."),
    ("kk", "Тоқаев цифрлық активтер мен криптобиржаларды реттейтін заңға қол қойды деп хабарлады Ақорда",
     "Президент Қасым-Жомарт Тоқаев сейсенбі күні цифрлық активтер мен криптобиржаларды реттейтін "
     "заңға қол қойды. Құжат алаңдардан лицензия алуды талап етеді.\n\nЗаң ресми жарияланғаннан "
     "кейін алпыс күннен соң күшіне енеді, деп хабарлады Ақорданың баспасөз қызметі."),
]

SETS = {}
for i, (lang, title, text) in enumerate(STORIES):
    day = f"2024-06-{10 + i:02d}"
    SETS[f"c7_{lang}_{i}_headline_after_story"] = [
        ("story", "S", f"{lang}-agency", title, text, f"{day}T08:00:00Z"),
        ("headline", "S", f"{lang}-headlines", title, "", f"{day}T08:20:00Z"),
    ]
    SETS[f"c7_{lang}_{i}_headline_first"] = [
        ("headline", "S", f"{lang}-headlines", title, "", f"{day}T08:00:00Z"),
        ("story", "S", f"{lang}-agency", title, text, f"{day}T08:30:00Z"),
    ]
    # Another headline-only item of a different story the same hour: apart from both.
    other_title = STORIES[(i + 1) % len(STORIES)][1]
    SETS[f"c7_{lang}_{i}_other_headline"] = [
        ("story", "S", f"{lang}-agency", title, text, f"{day}T09:00:00Z"),
        ("other", "O", f"{lang}-headlines", other_title, "", f"{day}T09:10:00Z"),
    ]
