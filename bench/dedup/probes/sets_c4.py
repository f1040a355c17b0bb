# Class 4: copies lightly rewritten by the republishing outlet: sentences or paragraphs reordered,
# a paragraph dropped, a quote added (should join).

EN_RATE = [
    "The National Bank of Kazakhstan on Friday cut its base rate by 25 basis points to 14.75%, "
    "citing a steady slowdown in annual inflation and weaker pressure from food prices.",
    "Annual inflation eased to 9.8% in February from 10.4% in January, the lowest level in more "
    "than two years, according to the Bureau of National Statistics. The central bank said it "
    "expected inflation to reach its target range of 5.5% to 7.5% by the end of next year.",
    "The regulator said risks to inflation remained skewed to the upside, pointing to planned "
    "increases in utility tariffs, a widening budget deficit and strong consumer lending.",
    "Most analysts polled before the meeting had expected the bank to hold the rate unchanged. The "
    "tenge weakened slightly against the dollar after the announcement.",
    "The next scheduled decision on the base rate will be announced on April 12.",
    "The National Bank has lowered the rate four times since August, when it began easing "
    "monetary policy after keeping it at a record 16.75% for almost a year.",
]
EN_RATE_QUOTE = ("\"The decision was bolder than the market expected, and it signals that the "
                 "regulator is comfortable with the inflation outlook,\" said Sabit Khakimzhanov, "
                 "chief economist at an Almaty investment firm.")

EN_MINE = [
    "Rescuers in central Kazakhstan on Thursday recovered the bodies of two miners trapped after a "
    "rock collapse at a coal mine near Shakhtinsk, the emergency situations ministry said.",
    "The collapse happened late on Wednesday at a depth of about 600 metres during the night shift. "
    "Twenty-three other miners working in the section were brought to the surface unharmed.",
    "The mine's owner said it had suspended operations at the section and set up a commission to "
    "investigate the cause of the accident. Families of the dead will receive compensation, the "
    "company said.",
    "The government has ordered an inspection of all underground mines in the Karaganda region. "
    "Prime Minister Olzhas Bektenov told a cabinet meeting that safety rules must be enforced "
    "without exceptions.",
    "Deadly accidents have been frequent at mines in the region. Last year a fire at another mine "
    "owned by the same company killed dozens of workers, prompting the government to end its "
    "investment agreement with the owner.",
]
EN_MINE_QUOTE = ("\"Every year we hear promises about safety, and every year miners die,\" said "
                 "Yerlan Tuleubayev, a local trade union leader, who called for an independent "
                 "inquiry.")

RU_TARIF = [
    "С 1 апреля в Алматы повышаются тарифы на холодную воду и водоотведение, сообщили в "
    "департаменте Комитета по регулированию естественных монополий по городу.",
    "Для населения тариф на холодную воду вырастет на 18% и составит 112 тенге за кубический метр, "
    "на водоотведение – на 15%, до 64 тенге. Для юридических лиц тарифы повышаются в среднем на 20%.",
    "В ведомстве пояснили, что повышение связано с реализацией инвестиционной программы "
    "ГКП «Алматы Су», предусматривающей замену изношенных сетей водоснабжения. По данным "
    "предприятия, износ сетей в отдельных районах превышает 70%.",
    "В рамках программы в этом году планируется заменить около 40 километров водопроводных сетей "
    "и построить новую насосную станцию в Наурызбайском районе.",
    "Последний раз тарифы на воду в Алматы повышались в 2022 году.",
    "Жители могут получить консультацию по новым тарифам в центрах обслуживания населения или по "
    "телефону горячей линии предприятия.",
]
RU_TARIF_QUOTE = ("«Повышение тарифов неизбежно, но контроль за исполнением инвестпрограммы должен "
                  "быть публичным», – прокомментировал нашему изданию депутат маслихата Алматы "
                  "Ерлан Сарсенов.")

RU_AIRPORT = [
    "Новый международный терминал аэропорта Шымкента принял первых пассажиров в понедельник, "
    "сообщила пресс-служба аэропорта.",
    "Пропускная способность терминала составляет 1200 пассажиров в час, что в три раза больше, чем у "
    "старого здания. В терминале установлены шесть телетрапов и новая система досмотра багажа.",
    "Строительство терминала обошлось инвестору в 48 миллиардов тенге и заняло около двух лет.",
    "В ближайшие месяцы из Шымкента планируется открыть прямые рейсы в Стамбул, Дубай и Ташкент. "
    "Сейчас из аэропорта выполняются регулярные рейсы в 14 городов.",
    "Старый терминал будет реконструирован и использоваться для внутренних рейсов.",
]
RU_AIRPORT_QUOTE = ("«Шымкент становится воздушными воротами всего юга страны», – заявил на церемонии "
                    "открытия аким города.")

KK_STADION = [
    "Ақтөбеде 15 мың орындық жаңа футбол стадионының құрылысы басталды. Бұл туралы облыс әкімдігінің "
    "баспасөз қызметі хабарлады.",
    "Стадион халықаралық футбол федерациясының талаптарына сай салынады. Нысанда жабық трибуналар, "
    "жылытылатын алаң және 500 көлікке арналған тұрақ болады.",
    "Құрылысқа жергілікті бюджеттен және демеушілер есебінен 30 миллиард теңге бөлінді. Жұмысты 2026 "
    "жылдың соңына дейін аяқтау жоспарланған.",
    "Қазіргі стадион 1970 жылы салынған және оның жай-күйі нашар. Облыстық футбол клубы жаңа "
    "стадион салынғанша ойындарын ескі алаңда өткізеді.",
    "Әкімдік құрылыс барысында 800-ге жуық жұмыс орны ашылатынын атап өтті.",
]
KK_STADION_QUOTE = ("«Жаңа стадион тек футбол үшін емес, бүкіл өңірдің спорт инфрақұрылымы үшін "
                    "маңызды», – деді облыстық дене шынықтыру және спорт басқармасының басшысы.")

KK_SU = [
    "Қызылорда облысында Сырдария өзенінен суармалы суды тиімді пайдалану үшін 120 шақырым канал "
    "қайта жаңғыртылады. Бұл туралы облыстық ауыл шаруашылығы басқармасы хабарлады.",
    "Жобаны іске асыру нәтижесінде су шығыны екі есеге дейін азаяды деп күтілуде. Қазір каналдардың "
    "көпшілігі топырақ арналар болғандықтан, судың едәуір бөлігі жерге сіңіп кетеді.",
    "Жұмыстар үш кезеңмен жүргізіледі және 2027 жылы аяқталады. Қаржыландыру Азия даму банкінің "
    "несиесі есебінен жүзеге асырылады.",
    "Биыл облыста күріш егістігінің көлемі 5 мың гектарға қысқартылды. Оның орнына су аз қажет "
    "ететін дақылдар егіледі.",
    "Диқандар жаңа каналдар суармалы жердің өнімділігін арттыруға мүмкіндік береді деп үміттенеді.",
]
KK_SU_QUOTE = ("«Біз жыл сайын суға зәру боламыз. Каналдар жөнделсе, егін де молаяды», – деді "
               "Жалағаш ауданындағы шаруа қожалығының төрағасы Серік Әбдіқадыров.")


def J(paras):
    return "\n\n".join(paras)


def reorder_sentences(par):
    # swap the first two sentences of a paragraph (". " split, keeps the final stop)
    s = [x for x in par.split(". ") if x]
    if len(s) < 2:
        return par
    s[0], s[1] = s[1], s[0]
    out = ". ".join(s)
    return out if out.endswith(".") else out + "."


P = EN_RATE
Q = EN_MINE
R = RU_TARIF
S = RU_AIRPORT
K = KK_STADION
L = KK_SU

SETS = {
    "c4_en_rate": [
        ("orig", "A", "wire-en", "Kazakhstan cuts base rate to 14.75%", J(P), "2024-04-10T09:05:00Z"),
        ("reorder_drop", "A", "kaz-en-1", "National Bank lowers base rate by 25 bps",
         J([P[0], P[2], P[1], P[3], P[5]]), "2024-04-10T10:00:00Z"),
        ("quote_drop", "A", "kaz-en-2", "Central bank surprises market with rate cut",
         "ALMATY (Kazinform) - " + J([P[0], P[1], EN_RATE_QUOTE, P[2], P[3], P[4]]),
         "2024-04-10T11:30:00Z"),
        ("heavy", "A", "kaz-en-3", "Base rate cut to 14.75 percent",
         J([P[0], reorder_sentences(P[1]), EN_RATE_QUOTE, P[3], P[5]]), "2024-04-10T12:00:00Z"),
    ],
    "c4_en_mine": [
        ("orig", "A", "wire-en", "Two miners killed in rock collapse in central Kazakhstan",
         J(Q), "2024-04-11T06:00:00Z"),
        ("quote_reorder", "A", "kaz-en-1", "Bodies of two miners recovered near Shakhtinsk",
         J([Q[0], Q[2], Q[1], EN_MINE_QUOTE, Q[3]]), "2024-04-11T08:00:00Z"),
        ("drop2", "A", "kaz-en-2", "Two miners die in Karaganda region mine collapse",
         J([Q[0], Q[1], EN_MINE_QUOTE, Q[4]]), "2024-04-11T09:00:00Z"),
    ],
    "c4_ru_tarif": [
        ("orig", "A", "ru-agency", "В Алматы с 1 апреля подорожает вода", J(R), "2024-04-12T06:00:00Z"),
        ("reorder_drop", "A", "ru-outlet-1", "Тарифы на воду в Алматы вырастут на 18%",
         J([R[0], R[2], R[1], R[3]]), "2024-04-12T07:00:00Z"),
        ("quote", "A", "ru-outlet-2", "Алматинцам придется больше платить за воду",
         "АЛМАТЫ, 12 апреля. /КазТАГ/. " + J([R[0], R[1], RU_TARIF_QUOTE, R[2], R[4], R[5]]),
         "2024-04-12T08:00:00Z"),
    ],
    "c4_ru_airport": [
        ("orig", "A", "ru-agency", "В аэропорту Шымкента открылся новый терминал", J(S),
         "2024-04-13T06:00:00Z"),
        ("quote_reorder", "A", "ru-outlet-1", "Новый терминал аэропорта Шымкента принял первых пассажиров",
         J([S[0], RU_AIRPORT_QUOTE, S[3], S[1], S[2]]), "2024-04-13T07:30:00Z"),
        ("heavy", "A", "ru-outlet-2", "Шымкент получил новый терминал",
         J([S[0], reorder_sentences(S[1]), RU_AIRPORT_QUOTE, S[3]]), "2024-04-13T09:00:00Z"),
    ],
    "c4_kk_stadion": [
        ("orig", "A", "kk-agency", "Ақтөбеде жаңа стадион салына бастады", J(K), "2024-04-14T06:00:00Z"),
        ("reorder_drop", "A", "kk-outlet-1", "Ақтөбеде 15 мың орындық стадион салынады",
         J([K[0], K[2], K[1], K[4]]), "2024-04-14T07:00:00Z"),
        ("quote", "A", "kk-outlet-2", "Ақтөбе жаңа стадионға ие болады",
         "Ақтөбе. ҚазАқпарат - " + J([K[0], K[1], KK_STADION_QUOTE, K[2], K[3]]),
         "2024-04-14T08:00:00Z"),
    ],
    "c4_kk_su": [
        ("orig", "A", "kk-agency", "Қызылорда облысында 120 шақырым канал жаңғыртылады", J(L),
         "2024-04-15T06:00:00Z"),
        ("quote_reorder", "A", "kk-outlet-1", "Сыр өңірінде каналдар жөнделеді",
         J([L[0], L[2], L[1], KK_SU_QUOTE, L[3]]), "2024-04-15T07:00:00Z"),
        ("heavy", "A", "kk-outlet-2", "Қызылордада суару каналдары жаңартылады",
         J([L[0], reorder_sentences(L[1]), KK_SU_QUOTE, L[2]]), "2024-04-15T09:00:00Z"),
    ],
}

# The heavy rewrite alone with the original (no intermediate copy to bridge through).
SETS["c4_kk_su_pair_only"] = [SETS["c4_kk_su"][0], SETS["c4_kk_su"][2]]
SETS["c4_en_mine_copies_only"] = [SETS["c4_en_mine"][1], SETS["c4_en_mine"][2]]
