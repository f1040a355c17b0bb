#pragma once

// Hand-written test stories for the dedup tests (not from any corpus).

namespace newsd::dedup::testing {

inline constexpr char kHarbour[] =
    "The city council approved a plan on Tuesday to rebuild the old harbour wall, which was "
    "badly damaged by winter storms last year.\n\n"
    "Engineers estimate the work will take eighteen months and cost about 42 million euros, "
    "most of it paid from the regional infrastructure fund.\n\n"
    "Fishermen who use the harbour said they welcomed the decision but worried that "
    "construction would block access to the eastern quay during the busy summer season.\n\n"
    "The mayor promised that temporary moorings would be built before any work starts and "
    "that the council would publish a detailed timetable next month.\n\n"
    "Opposition members voted against the plan, arguing that the cost estimate ignored rising "
    "prices for steel and concrete.";

inline constexpr char kVaccine[] =
    "A small biotechnology company said its experimental vaccine against a common childhood "
    "respiratory virus produced a strong immune response in an early clinical trial.\n\n"
    "The trial enrolled 120 healthy adult volunteers at three hospitals, and no serious side "
    "effects were reported during six months of follow-up.\n\n"
    "The company plans to start a larger study in infants next spring, pending approval from "
    "regulators, and is looking for a partner to help pay for it.\n\n"
    "Shares of the company rose sharply after the announcement before falling back in "
    "afternoon trading.";

inline constexpr char kRailway[] =
    "Правительство утвердило программу строительства новой железнодорожной линии между двумя "
    "крупнейшими городами региона.\n\n"
    "Стоимость проекта оценивается в 180 миллиардов рублей, а первые поезда должны пойти по "
    "новой линии через пять лет.\n\n"
    "По словам министра транспорта, дорога сократит время в пути почти вдвое и позволит "
    "разгрузить автомобильную трассу, которая уже не справляется с потоком машин.\n\n"
    "Местные жители опасаются, что стройка затронет охраняемые леса вдоль реки.";

inline constexpr char kKazakh[] =
    "Қарағанды облысында жаңа мектептің құрылысы аяқталды. Мектеп бір мың екі жүз оқушыға "
    "арналған. Ғимаратта спорт залы, кітапхана және асхана бар. Әкімдік мұғалімдерге арналған "
    "тұрғын үй салуды да жоспарлап отыр. Жаңа оқу жылы қыркүйек айында басталады.";

}  // namespace newsd::dedup::testing
