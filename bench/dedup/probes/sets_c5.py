# Class 5: updates of a developing story from the same agency, hours apart.
# Gold (news-desk choice): the updates are the SAME story (one evolving story, the latest version
# on top), so the desk sees one developing event rather than a new story per update.

EN_BLAST_COMMON = [
    "The blast, which occurred shortly after 6 a.m. local time, destroyed two entrances of the "
    "nine-storey building on Abulkhair Khan avenue. Preliminary information points to a gas leak, "
    "the emergency situations ministry said.",
    "Rescuers and sniffer dogs are searching the rubble for survivors. Residents of neighbouring "
    "buildings have been evacuated and gas supply to the district has been cut off.",
    "President Kassym-Jomart Tokayev has ordered a government commission to investigate the cause "
    "of the explosion and to provide assistance to the victims' families.",
]
EN_BLAST = [
    ("v1", "At least 7 people were killed and 15 injured when a gas explosion destroyed part of a "
     "residential building in the western Kazakh city of Aktobe on Monday, emergency officials "
     "said.", EN_BLAST_COMMON, "2024-04-22T03:10:00Z",
     "At least 7 killed in gas explosion at Aktobe apartment block"),
    ("v2", "The death toll from a gas explosion that destroyed part of a residential building in the "
     "western Kazakh city of Aktobe on Monday has risen to 12, emergency officials said. 19 people "
     "were injured, 5 of them seriously.",
     EN_BLAST_COMMON + ["Officials said at least 4 residents were still believed to be under the "
                        "rubble."], "2024-04-22T07:40:00Z",
     "UPDATE 1-Death toll in Aktobe gas explosion rises to 12"),
    ("v3", "Rescuers in the western Kazakh city of Aktobe on Monday completed the search of a "
     "residential building partly destroyed by a gas explosion, bringing the death toll to 14, "
     "emergency officials said. 19 people were injured.",
     EN_BLAST_COMMON[:2] + ["The government declared April 23 a day of mourning in the Aktobe "
                            "region."], "2024-04-22T15:00:00Z",
     "UPDATE 2-Aktobe gas blast death toll reaches 14 as search ends"),
]

EN_QUAKE = [
    ("v1", "An earthquake of magnitude 5.8 struck south-eastern Kazakhstan on Tuesday night, "
     "shaking buildings in Almaty, the seismological service said. The epicentre was located 120 km "
     "south-east of the city at a depth of 10 km.",
     ["Residents of Almaty ran out into the streets in cold weather after the tremors, which lasted "
      "about a minute. There were no immediate reports of casualties or serious damage.",
      "The emergency situations ministry said it was checking the condition of schools, hospitals "
      "and other buildings."], "2024-01-22T18:20:00Z", "Magnitude 5.8 quake shakes Almaty"),
    ("v2", "An earthquake of magnitude 6.1 struck south-eastern Kazakhstan on Tuesday night, "
     "shaking buildings in Almaty, the seismological service said, revising the magnitude from an "
     "earlier 5.8. The epicentre was located 120 km south-east of the city at a depth of 10 km.",
     ["Residents of Almaty ran out into the streets in cold weather after the tremors, which lasted "
      "about a minute. There were no immediate reports of casualties or serious damage.",
      "The emergency situations ministry said it was checking the condition of schools, hospitals "
      "and other buildings."], "2024-01-22T19:05:00Z",
     "UPDATE 1-Magnitude revised to 6.1 for quake that shook Almaty"),
]

RU_BLAST_COMMON = [
    "Взрыв произошел около 06:00 по местному времени, в результате были разрушены два подъезда "
    "девятиэтажного дома на проспекте Абулхаир хана. По предварительным данным, причиной стала "
    "утечка бытового газа, сообщили в МЧС.",
    "Спасатели с кинологами разбирают завалы и ищут выживших. Жители соседних домов эвакуированы, "
    "подача газа в микрорайон прекращена.",
    "Президент Касым-Жомарт Токаев поручил правительственной комиссии выяснить причины взрыва и "
    "оказать помощь семьям погибших.",
]
RU_BLAST = [
    ("v1", "Не менее 7 человек погибли и 15 пострадали в результате взрыва газа в жилом доме в "
     "Актобе в понедельник, сообщили в МЧС Казахстана.", RU_BLAST_COMMON, "2024-04-22T03:15:00Z",
     "Не менее 7 человек погибли при взрыве газа в жилом доме в Актобе"),
    ("v2", "Число погибших в результате взрыва газа в жилом доме в Актобе возросло до 12, сообщили в "
     "МЧС Казахстана. Пострадали 19 человек, пятеро из них в тяжелом состоянии.",
     RU_BLAST_COMMON + ["Под завалами, по данным спасателей, могут находиться еще не менее 4 "
                        "человек."], "2024-04-22T07:45:00Z",
     "Число погибших при взрыве газа в Актобе возросло до 12"),
    ("v3_minor", "Не менее 9 человек погибли и 15 пострадали в результате взрыва газа в жилом доме в "
     "Актобе в понедельник, сообщили в МЧС Казахстана.", RU_BLAST_COMMON, "2024-04-22T04:30:00Z",
     "ОБНОВЛЕНО: Не менее 9 человек погибли при взрыве газа в Актобе"),
]

KK_BLAST_COMMON = [
    "Жарылыс жергілікті уақыт бойынша сағат 06:00 шамасында болды. Әбілқайыр хан даңғылындағы тоғыз "
    "қабатты үйдің екі подъезі қирады. Алдын ала деректер бойынша, жарылысқа тұрмыстық газдың "
    "жылыстауы себеп болған.",
    "Құтқарушылар үйінділерді тазартып, тірі қалғандарды іздеп жатыр. Көршілес үйлердің тұрғындары "
    "көшірілді, шағын ауданға газ беру тоқтатылды.",
    "Мемлекет басшысы Қасым-Жомарт Тоқаев үкіметтік комиссияға жарылыстың себебін анықтап, қаза "
    "болғандардың отбасыларына көмек көрсетуді тапсырды.",
]
KK_BLAST = [
    ("v1", "Ақтөбеде тұрғын үйде газ жарылып, кемінде 7 адам қаза тапты, 15 адам жарақат алды. Бұл "
     "туралы ТЖМ хабарлады.", KK_BLAST_COMMON, "2024-04-22T03:20:00Z",
     "Ақтөбеде газ жарылысынан 7 адам қаза тапты"),
    ("v2", "Ақтөбедегі тұрғын үйдегі газ жарылысынан қаза тапқандар саны 12-ге жетті. Бұл туралы ТЖМ "
     "хабарлады. 19 адам жарақат алды, олардың бесеуінің жағдайы ауыр.",
     KK_BLAST_COMMON + ["Құтқарушылардың мәліметінше, үйінді астында тағы кемінде 4 адам болуы "
                        "мүмкін."], "2024-04-22T07:50:00Z",
     "Ақтөбедегі жарылыс: қаза тапқандар саны 12-ге жетті"),
]


def build(versions, source, gold="A"):
    out = []
    for vid, lead, rest, ts, title in versions:
        out.append((vid, gold, source, title, "\n\n".join([lead] + rest), ts))
    return out


SETS = {
    "c5_en_blast_3updates": build(EN_BLAST, "wire-en"),
    "c5_en_quake_magnitude": build(EN_QUAKE, "wire-en"),
    "c5_ru_blast": build(RU_BLAST, "ru-agency"),
    "c5_kk_blast": build(KK_BLAST, "kk-agency"),
}

# Minimal update: the same text, only the toll in the lead changed (7 -> 9), 80 min later.
SETS["c5_en_blast_minor"] = build([
    EN_BLAST[0],
    ("v1b", EN_BLAST[0][1].replace("At least 7", "At least 9"), EN_BLAST_COMMON,
     "2024-04-22T04:30:00Z", "UPDATE 1-At least 9 killed in gas explosion at Aktobe apartment block"),
], "wire-en")
