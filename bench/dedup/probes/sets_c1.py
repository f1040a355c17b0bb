# Class 1: two (or more) different stories sharing a long background paragraph.
# Gold: every item is its own story (must stay apart).
# Each item: (id, gold, source, title, text, published)

BG_WAR_EN = (
    "Russia launched its full-scale invasion of Ukraine in February 2022. Since then, tens of "
    "thousands of soldiers and civilians have been killed and millions of Ukrainians have fled "
    "abroad. Moscow controls about a fifth of Ukraine's territory, including the Crimean "
    "peninsula, which it annexed in 2014.\n\nKyiv says it will not agree to any peace deal that "
    "leaves its land under Russian occupation, while the Kremlin insists that any settlement must "
    "reflect what it calls the new territorial realities. Western countries have supplied Ukraine "
    "with weapons worth tens of billions of dollars and have imposed sweeping sanctions on Russia."
)

BG_MINING_EN = (
    "Steppe Mining Corporation is Kazakhstan's second-largest copper producer and operates open-pit "
    "mines in the East Kazakhstan and Karaganda regions. The company employs more than 18,000 "
    "people and its shares trade on the Astana International Exchange and in London. The state "
    "holds a controlling stake in the company through the sovereign wealth fund Samruk-Kazyna. "
    "Steppe Mining has been investing in a new concentrator at its flagship Aktogay North site, "
    "which is expected to double copper output by the end of the decade."
)

BG_COURT_EN = (
    "Former deputy economy minister Daulet Serikbayev was detained in March on charges of "
    "embezzling state funds allocated for the modernisation of regional heating networks. "
    "Investigators say contractors linked to his relatives received payments for work that was "
    "never carried out. Serikbayev denies any wrongdoing, and his lawyers say the case against "
    "him is politically motivated. If convicted, he faces up to twelve years in prison and the "
    "confiscation of his property."
)

BG_GAZA_RU = (
    "Напомним, 7 октября 2023 года боевики палестинского движения ХАМАС атаковали приграничные "
    "районы Израиля, убив около 1200 человек и захватив более 250 заложников. В ответ Израиль "
    "начал масштабную военную операцию в секторе Газа. По данным местного министерства "
    "здравоохранения, подконтрольного ХАМАС, с начала конфликта в анклаве погибли десятки тысяч "
    "человек. Большая часть населения сектора была вынуждена покинуть свои дома, а ООН "
    "предупреждает о угрозе массового голода."
)

BG_BANK_RU = (
    "Напомним, в декабре прошлого года Агентство по регулированию и развитию финансового рынка "
    "лишило лицензии АО «Тенгри Кредит Банк» в связи с систематическим нарушением пруденциальных "
    "нормативов и неисполнением обязательств перед кредиторами. В банк была назначена временная "
    "администрация. Вклады физических лиц гарантируются Казахстанским фондом гарантирования "
    "депозитов в пределах установленных законом сумм. Руководство банка обжаловало решение "
    "регулятора, однако суд оставил его в силе."
)

BG_FLOOD_KK = (
    "Еске сала кетейік, биыл көктемде еліміздің бірнеше өңірінде ауқымды су тасқыны болды. "
    "Ақмола, Ақтөбе, Батыс Қазақстан, Қостанай және Солтүстік Қазақстан облыстарында төтенше "
    "жағдай режимі енгізілді. Мыңдаған тұрғын қауіпсіз жерге көшірілді, жүздеген тұрғын үйді су "
    "басты. Үкімет зардап шеккен азаматтарға өтемақы төлеу және баспана беру мәселесін шешу үшін "
    "арнайы штаб құрды."
)

BG_COURT_KK = (
    "Еске салайық, облыстың бұрынғы әкімінің орынбасары Ерлан Жақыпов өткен жылдың қазан айында "
    "ұсталған болатын. Тергеу деректері бойынша, ол аудандық ауруханаларды жөндеуге бөлінген "
    "бюджет қаражатын жымқыруға қатысы бар деп күдіктеледі. Жақыпов өз кінәсін мойындамайды. "
    "Қылмыстық іс бойынша тағы бірнеше лауазымды тұлғаға айып тағылды."
)

SETS = {
    "c1_en_war_3sent_leads": [
        ("a", "A", "wire-en", "Russian drones hit grain warehouses at Danube port of Izmail",
         "KYIV - Russian drones struck grain storage facilities at the Danube port of Izmail overnight, "
         "damaging warehouses and setting a fuel depot on fire, the regional governor said on Tuesday. "
         "Air defences shot down most of the drones, but several hit port infrastructure. No casualties "
         "were reported, and firefighters had put out the blaze by morning, he said.\n\n" + BG_WAR_EN,
         "2024-03-05T07:10:00Z"),
        ("b", "B", "wire-en", "Ukraine and Russia exchange bodies of fallen soldiers",
         "KYIV - Ukraine and Russia exchanged the bodies of fallen soldiers on Tuesday, Ukraine's "
         "coordination headquarters for the treatment of prisoners of war said. The exchange was "
         "mediated by the International Committee of the Red Cross. Officials said identification of "
         "the remains would take several weeks and families would be informed as soon as possible.\n\n"
         + BG_WAR_EN,
         "2024-03-05T13:40:00Z"),
    ],
    "c1_en_war_short_leads": [
        ("a", "A", "wire-en", "Zelenskiy meets Polish president in Kyiv",
         "Ukrainian President Volodymyr Zelenskiy met Polish President Andrzej Duda in Kyiv on "
         "Wednesday to discuss air defence supplies and grain transit.\n\n" + BG_WAR_EN,
         "2024-03-06T09:00:00Z"),
        ("b", "B", "wire-en", "Power outages in Kharkiv after missile strike",
         "Parts of Kharkiv were left without electricity on Wednesday after a Russian missile strike "
         "damaged a substation, the city's mayor said.\n\n" + BG_WAR_EN,
         "2024-03-06T15:30:00Z"),
    ],
    "c1_en_mining_3items": [
        ("a", "A", "kaz-business-en", "Steppe Mining cuts 2024 copper output guidance",
         "Steppe Mining Corporation on Thursday cut its copper production guidance for the year, "
         "citing lower ore grades at its Bozshakol mine and delays in the delivery of new haul trucks. "
         "The company now expects to produce between 410,000 and 430,000 tonnes of copper, down from "
         "an earlier forecast of 450,000 tonnes. Its shares fell 4% in early trading in London.\n\n"
         + BG_MINING_EN,
         "2024-03-07T06:30:00Z"),
        ("b", "B", "kaz-business-en", "Steppe Mining appoints new chief financial officer",
         "Steppe Mining Corporation has appointed Aigerim Nurlanova as chief financial officer, the "
         "company said in a statement on Thursday. Nurlanova previously served as finance director at "
         "a major Kazakh telecoms operator and replaces Peter Hollis, who is retiring after six years "
         "in the role.\n\n" + BG_MINING_EN,
         "2024-03-07T10:15:00Z"),
        ("c", "C", "kaz-business-en", "Steppe Mining signs supply deal with Chinese smelter",
         "Steppe Mining Corporation has signed a five-year agreement to supply copper concentrate to "
         "a smelter in China's Gansu province, the company said on Thursday. Financial terms were not "
         "disclosed. The deal will cover about a third of the output of the company's Aktogay mine, "
         "according to a person familiar with the matter.\n\n" + BG_MINING_EN,
         "2024-03-07T14:50:00Z"),
    ],
    "c1_en_court": [
        ("a", "A", "court-news-en", "Court extends detention of former deputy minister Serikbayev",
         "ASTANA - A court in Astana on Monday extended the pre-trial detention of former deputy "
         "economy minister Daulet Serikbayev by two months at the request of investigators, who said "
         "they needed more time to examine financial documents seized from regional utilities.\n\n"
         + BG_COURT_EN,
         "2024-03-11T08:00:00Z"),
        ("b", "B", "court-news-en", "Serikbayev's former aide questioned as witness",
         "ASTANA - Investigators on Monday questioned a former aide to ex-deputy economy minister "
         "Daulet Serikbayev as a witness, the Anti-Corruption Agency said, without naming her. The "
         "aide was responsible for coordinating tenders for heating network repairs in three "
         "regions.\n\n" + BG_COURT_EN,
         "2024-03-11T16:20:00Z"),
    ],
    "c1_ru_gaza": [
        ("a", "A", "ru-agency", "В Каире возобновились переговоры о перемирии в Газе",
         "КАИР. В столице Египта во вторник возобновились непрямые переговоры между Израилем и ХАМАС "
         "о прекращении огня в секторе Газа и обмене заложников на палестинских заключенных. В "
         "переговорах участвуют делегации Египта, Катара и США. Источники в египетских спецслужбах "
         "сообщили, что стороны обсуждают шестинедельное перемирие.\n\n" + BG_GAZA_RU,
         "2024-03-12T08:00:00Z"),
        ("b", "B", "ru-agency", "ООН доставила гуманитарную помощь на север сектора Газа",
         "НЬЮ-ЙОРК. Конвой ООН из 14 грузовиков с продовольствием и медикаментами впервые за несколько "
         "недель смог добраться до северной части сектора Газа, сообщило Управление ООН по координации "
         "гуманитарных вопросов. По словам представителей организации, этого количества недостаточно "
         "для удовлетворения потребностей населения.\n\n" + BG_GAZA_RU,
         "2024-03-12T17:30:00Z"),
    ],
    "c1_ru_bank_3items": [
        ("a", "A", "ru-finance-kz", "Суд признал «Тенгри Кредит Банк» банкротом",
         "Специализированный межрайонный экономический суд Алматы признал АО «Тенгри Кредит Банк» "
         "банкротом и начал процедуру его принудительной ликвидации. Ликвидационной комиссии поручено "
         "сформировать реестр требований кредиторов.\n\n" + BG_BANK_RU,
         "2024-03-13T06:00:00Z"),
        ("b", "B", "ru-finance-kz", "Вкладчики «Тенгри Кредит Банка» начали получать возмещение",
         "Казахстанский фонд гарантирования депозитов начал выплаты гарантийного возмещения "
         "вкладчикам АО «Тенгри Кредит Банк». Выплаты производятся через отделения Halyk Bank в "
         "течение года, для получения средств необходимо предъявить удостоверение личности.\n\n"
         + BG_BANK_RU,
         "2024-03-13T10:00:00Z"),
        ("c", "C", "ru-finance-kz", "Бывшему председателю правления «Тенгри Кредит Банка» предъявлено обвинение",
         "Агентство по финансовому мониторингу предъявило обвинение бывшему председателю правления "
         "АО «Тенгри Кредит Банк» в хищении средств банка путем выдачи заведомо невозвратных кредитов "
         "аффилированным компаниям. Ему избрана мера пресечения в виде домашнего ареста.\n\n"
         + BG_BANK_RU,
         "2024-03-13T15:00:00Z"),
    ],
    "c1_kk_flood": [
        ("a", "A", "kk-agency", "Қостанай облысында су деңгейі төмендей бастады",
         "Қостанай облысындағы Тобыл өзеніндегі су деңгейі соңғы тәулікте 15 сантиметрге төмендеді. "
         "Бұл туралы облыстық төтенше жағдайлар департаменті хабарлады. Құтқарушылар су басқан "
         "ауылдардағы үйлерді тексеріп, тұрғындарды үйлеріне қайтару жұмыстарын бастады.\n\n"
         + BG_FLOOD_KK,
         "2024-03-14T06:00:00Z"),
        ("b", "B", "kk-agency", "Петропавлда бөгет нығайтылды",
         "Петропавл қаласында Есіл өзенінің жағалауындағы қорғаныс бөгеті қосымша нығайтылды. "
         "Жұмысқа 300-ден астам құтқарушы мен еріктілер және 40 бірлік техника тартылды. Қала әкімі "
         "тұрғындарды сабырлы болуға шақырды.\n\n" + BG_FLOOD_KK,
         "2024-03-14T12:00:00Z"),
    ],
    "c1_kk_court": [
        ("a", "A", "kk-news", "Жақыповтың ісі бойынша сот отырысы кейінге шегерілді",
         "Облыстық сотта бұрынғы әкім орынбасары Ерлан Жақыповтың ісі бойынша сот отырысы адвокаттың "
         "науқастануына байланысты екі аптаға кейінге шегерілді.\n\n" + BG_COURT_KK,
         "2024-03-15T07:00:00Z"),
        ("b", "B", "kk-news", "Жақыпов ісі бойынша куәгерлер жауап берді",
         "Бұрынғы әкім орынбасары Ерлан Жақыповтың ісі бойынша сот отырысында аудандық ауруханалардың "
         "бас дәрігерлері куәгер ретінде жауап берді.\n\n" + BG_COURT_KK,
         "2024-03-15T13:00:00Z"),
    ],
}

# An agency appends the same background to every story of the day: does per-source boilerplate
# learning (a tail line seen in >= 3 items of distinct content) drop it for the later items?
_LEADS = [
    ("Russian forces shelled the city of Kherson overnight, damaging a hospital and several "
     "residential buildings, the regional military administration said on Thursday. Two people "
     "were wounded, officials said.", "Russian shelling damages hospital in Kherson"),
    ("Ukraine's parliament on Thursday approved a bill lowering the mobilisation age for the "
     "armed forces, after months of debate. The law still needs to be signed by the president.",
     "Ukraine's parliament lowers mobilisation age"),
    ("The European Union agreed on Thursday to extend its suspension of import duties on "
     "Ukrainian agricultural goods for another year, with safeguards for sugar and poultry.",
     "EU extends duty-free access for Ukrainian farm goods"),
    ("Ukrainian energy company Ukrenergo said on Thursday it had restored power to most "
     "consumers in the Odesa region after overnight drone attacks damaged two substations.",
     "Power restored in Odesa region after drone strikes"),
    ("Norway will provide Ukraine with an additional package of military aid, including air "
     "defence missiles, its defence minister said on Thursday during a visit to Kyiv.",
     "Norway pledges more air defence missiles for Ukraine"),
]
SETS["c1_en_war_5items_same_day"] = [
    (chr(ord("a") + i), chr(ord("A") + i), "wire-en", title, lead + "\n\n" + BG_WAR_EN,
     f"2024-03-08T{6 + 2 * i:02d}:00:00Z") for i, (lead, title) in enumerate(_LEADS)
]
