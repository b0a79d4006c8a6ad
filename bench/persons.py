"""Synthetic persons for matching, with planted re-registrations and the truth about them.

Names come from origin-country pools as large as real registers have: hundreds of given names per
culture and thousands of family names built from real stems with each country's affixes (Afghan
-zai, -i, -yar, -khel; Iraqi and Syrian Al-…-i; Moroccan El …, Ben …, Ait …; Azerbaijani -ov/-ova,
-li, -zade; Iranian -i, -zadeh, -pour, -nejad, -ian), drawn with a long-tailed frequency (many
Mohammads, few Zalmais). Arabs and Afghans often carry their father's name as a second given name.
Each name has the spellings counsellors produce, derived by rule (ou/u, ee/i, doubled letters,
q/k, dh/z, th/s, final a/ah, Ahmad/Ahmed, French ou and ch in Morocco, Azerbaijani ə/x/c and their
Russian forms), and its original script (Arabic, Persian or Cyrillic) written by rule. Relatives
share a family name, place of birth and often a phone.

A re-registration is the same person typed again, in another mission or years later, with two or
three of: another spelling, the original script, given and family names swapped, the birth year off
by one, only the year known, no year, another or no phone, the second name dropped, sex not stated,
nationality missing, a typo, no place of birth. ``generate`` is deterministic for a seed and makes
1,000,000 persons in about 12 seconds.

Run it to see what blocking on name keys finds: ``.venv/bin/python bench/persons.py --persons 100000``.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from bisect import bisect
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

# --- Name pools --------------------------------------------------------------------------------
# Canonical English-style spellings; "ou"/"oo"/"ee"/"ii" mark long vowels for the script rules.

ARAB_MALE = [
    "Mohammad",
    "Ahmad",
    "Ali",
    "Hassan",
    "Hussein",
    "Omar",
    "Youssef",
    "Khalid",
    "Abdullah",
    "Ibrahim",
    "Moustafa",
    "Kareem",
    "Waleed",
    "Qasim",
    "Hamza",
    "Bilal",
    "Jawad",
    "Fareed",
    "Hameed",
    "Raheem",
    "Othman",
    "Imran",
    "Haidar",
    "Mahmoud",
    "Saeed",
    "Saleh",
    "Saleem",
    "Sameer",
    "Tariq",
    "Ziad",
    "Yaseen",
    "Adel",
    "Ameer",
    "Anas",
    "Ayman",
    "Basheer",
    "Fadi",
    "Fahad",
    "Faisal",
    "Hadi",
    "Hani",
    "Hisham",
    "Idrees",
    "Ismaeel",
    "Jamal",
    "Jameel",
    "Kamal",
    "Khaleel",
    "Majid",
    "Malik",
    "Mansour",
    "Marwan",
    "Moussa",
    "Nabeel",
    "Nader",
    "Nasser",
    "Nizar",
    "Rami",
    "Rasheed",
    "Ridha",
    "Riyadh",
    "Sami",
    "Shareef",
    "Suleiman",
    "Taha",
    "Talal",
    "Wael",
    "Yahya",
    "Younes",
    "Zakariya",
    "Zaid",
    "Zuhair",
    "Abbas",
    "Adnan",
    "Akram",
    "Amjad",
    "Anwar",
    "Aref",
    "Ashraf",
    "Atef",
    "Ayoub",
    "Badr",
    "Basim",
    "Dawoud",
    "Imad",
    "Fares",
    "Fouad",
    "Ghassan",
    "Habeeb",
    "Haitham",
    "Hakeem",
    "Haroun",
    "Hatem",
    "Ihsan",
    "Eesa",
    "Jaber",
    "Jafar",
    "Kadhim",
    "Louay",
    "Luqman",
    "Maher",
    "Mazen",
    "Moataz",
    "Mouneer",
    "Munther",
    "Nadeem",
    "Naeem",
    "Nouri",
    "Osama",
    "Qais",
    "Raed",
    "Rafeeq",
    "Ramadan",
    "Rasoul",
    "Saad",
    "Sabri",
    "Safwan",
    "Sadiq",
    "Salman",
    "Shadi",
    "Shukri",
    "Sufyan",
    "Tamer",
    "Tawfeeq",
    "Wahid",
    "Waseem",
    "Yaqoub",
    "Younis",
    "Abdulkareem",
    "Abdulraheem",
    "Abdulrahman",
    "Abdulaziz",
    "Abdulsalam",
    "Abdulqader",
    "Abdulhameed",
    "Abdulwahab",
    "Ammar",
    "Aws",
    "Bakr",
    "Bassam",
    "Diyaa",
    "Falah",
    "Ghazi",
    "Hamoudi",
    "Hazem",
    "Husam",
    "Jassim",
    "Kamil",
    "Karrar",
    "Laith",
    "Mahdi",
    "Mohannad",
    "Muntadhar",
    "Mustafa",
    "Muthanna",
    "Nawaf",
    "Qusay",
    "Rabee",
    "Sajjad",
    "Salam",
    "Sattar",
    "Thamer",
    "Uday",
    "Wissam",
    "Yasser",
]
ARAB_FEMALE = [
    "Fatima",
    "Aisha",
    "Zainab",
    "Maryam",
    "Khadija",
    "Noor",
    "Huda",
    "Zahraa",
    "Ameena",
    "Nasreen",
    "Salma",
    "Sanaa",
    "Layla",
    "Rania",
    "Rana",
    "Hana",
    "Dina",
    "Leena",
    "Sameera",
    "Yasmeen",
    "Nadia",
    "Rasha",
    "Reem",
    "Reema",
    "Sara",
    "Souad",
    "Wafaa",
    "Widad",
    "Asmaa",
    "Basma",
    "Dalia",
    "Farah",
    "Ghada",
    "Hala",
    "Eman",
    "Jameela",
    "Kareema",
    "Lateefa",
    "Lubna",
    "Maha",
    "Malak",
    "Manal",
    "Mona",
    "Najat",
    "Nawal",
    "Rabiaa",
    "Rajaa",
    "Rawan",
    "Sahar",
    "Samar",
    "Sawsan",
    "Shaimaa",
    "Suha",
    "Warda",
    "Yara",
    "Zeina",
    "Hayat",
    "Hiba",
    "Inas",
    "Kawthar",
    "Lamia",
    "Maysaa",
    "Nada",
    "Nahla",
    "Ruqaya",
    "Safaa",
    "Salwa",
    "Sumaya",
    "Tahani",
    "Abeer",
    "Afaf",
    "Aya",
    "Bushra",
    "Doaa",
    "Ghalia",
    "Hadeel",
    "Israa",
    "Jinan",
    "Khulood",
    "Lamees",
    "Majida",
    "Nisreen",
    "Ola",
    "Raghad",
    "Rahaf",
    "Sabah",
    "Shahad",
    "Tamara",
    "Zahra",
]
PERSIAN_MALE = [
    "Mohammad",
    "Ahmad",
    "Ali",
    "Hossein",
    "Reza",
    "Mahdi",
    "Mojtaba",
    "Morteza",
    "Saeed",
    "Ameen",
    "Babak",
    "Behzad",
    "Dariush",
    "Kian",
    "Omeed",
    "Parviz",
    "Ramin",
    "Shahram",
    "Sohrab",
    "Arash",
    "Naveed",
    "Farshid",
    "Javeed",
    "Khaleel",
    "Najeeb",
    "Rohullah",
    "Samiullah",
    "Zalmai",
    "Asadullah",
    "Ajmal",
    "Basheer",
    "Daoud",
    "Idrees",
    "Jamshid",
    "Kareemullah",
    "Lateef",
    "Masoud",
    "Mujeeb",
    "Qadir",
    "Rafi",
    "Shareef",
    "Shukrullah",
    "Sultan",
    "Wali",
    "Yama",
    "Zaher",
    "Gul",
    "Noorullah",
    "Zabihullah",
    "Naqibullah",
    "Hameedullah",
    "Rahmatullah",
    "Sayed",
    "Waheed",
    "Farhad",
    "Nasir",
    "Mirwais",
    "Shafeeq",
    "Obaidullah",
    "Habeebullah",
    "Ehsan",
    "Hamed",
    "Abdulhaq",
    "Abdulwali",
    "Aziz",
    "Baryalai",
    "Fawad",
    "Ghulam",
    "Haroon",
    "Hekmat",
    "Jawed",
    "Khalil",
    "Mansoor",
    "Nabi",
    "Naseer",
    "Qudratullah",
    "Rahim",
    "Sharif",
    "Tawab",
    "Wahidullah",
    "Yousuf",
    "Zia",
    "Ismail",
    "Omid",
    "Payam",
    "Peyman",
    "Siavash",
    "Vahid",
    "Yaser",
]
PERSIAN_FEMALE = [
    "Parisa",
    "Shireen",
    "Mahnaz",
    "Fereshteh",
    "Laleh",
    "Maryam",
    "Nargis",
    "Roya",
    "Shabnam",
    "Soraya",
    "Zahra",
    "Farzana",
    "Gulalai",
    "Haseena",
    "Malalai",
    "Marzia",
    "Nazia",
    "Parwana",
    "Freshta",
    "Seema",
    "Tahmina",
    "Zarghona",
    "Meena",
    "Nilofar",
    "Homa",
    "Golnaz",
    "Sameera",
    "Yalda",
    "Arezo",
    "Bahar",
    "Donya",
    "Elaheh",
    "Fareeda",
    "Hoda",
    "Leila",
    "Mahsa",
    "Naseem",
    "Negeen",
    "Sepideh",
    "Setareh",
    "Fatima",
    "Khadija",
    "Zainab",
    "Masooma",
    "Fahima",
    "Sadia",
    "Shukria",
    "Najiba",
    "Habiba",
    "Rahima",
    "Karima",
    "Latifa",
    "Nooria",
    "Storai",
    "Zuhal",
    "Mursal",
    "Wazhma",
    "Spozhmai",
    "Palwasha",
    "Sharifa",
    "Aziza",
]
PAK_MALE = [
    "Mohammad",
    "Ahmed",
    "Ali",
    "Hassan",
    "Hussain",
    "Usman",
    "Imran",
    "Bilal",
    "Hamza",
    "Asif",
    "Danish",
    "Faisal",
    "Fahad",
    "Irfan",
    "Junaid",
    "Kashif",
    "Naveed",
    "Nadeem",
    "Rizwan",
    "Sajid",
    "Shahid",
    "Shoaib",
    "Tahir",
    "Waqas",
    "Zeeshan",
    "Adeel",
    "Asad",
    "Atif",
    "Babar",
    "Fawad",
    "Haris",
    "Iqbal",
    "Javed",
    "Kamran",
    "Mudassar",
    "Nauman",
    "Qaiser",
    "Raheel",
    "Salman",
    "Shahzad",
    "Tanveer",
    "Waseem",
    "Yasir",
    "Zubair",
    "Aamir",
    "Arshad",
    "Azhar",
    "Ghulam",
    "Khurram",
    "Mohsin",
    "Noman",
    "Pervez",
    "Sohail",
    "Umair",
    "Abdul",
    "Akhtar",
    "Amjad",
    "Anees",
    "Arif",
    "Farooq",
    "Ijaz",
    "Ishfaq",
    "Jamshed",
    "Kaleem",
    "Liaqat",
    "Maqsood",
    "Mubashir",
    "Mushtaq",
    "Nasir",
    "Rashid",
    "Riaz",
    "Saqib",
    "Shakeel",
    "Sultan",
    "Tariq",
    "Zafar",
    "Zahid",
    "Zulfiqar",
]
PAK_FEMALE = [
    "Ayesha",
    "Bushra",
    "Farah",
    "Hina",
    "Iqra",
    "Kiran",
    "Mehwish",
    "Nida",
    "Rabia",
    "Saima",
    "Sana",
    "Shazia",
    "Sidra",
    "Uzma",
    "Amna",
    "Asma",
    "Fariha",
    "Humaira",
    "Javeria",
    "Mahnoor",
    "Naila",
    "Nazia",
    "Rukhsana",
    "Samina",
    "Shabana",
    "Tahira",
    "Zainab",
    "Aneela",
    "Bisma",
    "Fozia",
    "Fatima",
    "Maryam",
    "Sadia",
    "Aqsa",
    "Lubna",
    "Nasreen",
    "Parveen",
    "Razia",
    "Sumaira",
    "Tasleem",
]
AZ_MALE = [
    "Elchin",
    "Rashad",
    "Tural",
    "Vugar",
    "Orkhan",
    "Elvin",
    "Ramil",
    "Anar",
    "Farid",
    "Kamran",
    "Ilham",
    "Emin",
    "Nijat",
    "Rauf",
    "Samir",
    "Tofig",
    "Vusal",
    "Zaur",
    "Elnur",
    "Javid",
    "Mahir",
    "Nurlan",
    "Rovshan",
    "Sanan",
    "Toghrul",
    "Yashar",
    "Agil",
    "Azad",
    "Bahruz",
    "Eldar",
    "Fuad",
    "Gurban",
    "Habil",
    "Ilgar",
    "Jeyhun",
    "Kanan",
    "Mubariz",
    "Namig",
    "Oktay",
    "Ramin",
    "Rufat",
    "Sahil",
    "Shahin",
    "Ulvi",
    "Vagif",
    "Akif",
    "Aydin",
    "Babek",
    "Elshan",
    "Firuz",
    "Hikmet",
    "Intigam",
    "Mirza",
    "Natig",
    "Polad",
    "Rasim",
    "Seymur",
    "Teymur",
    "Mammad",
    "Huseyn",
    "Hasan",
    "Ali",
    "Alakbar",
    "Rasul",
    "Khalil",
    "Jamil",
    "Nadir",
]
AZ_FEMALE = [
    "Aygun",
    "Gunel",
    "Leyla",
    "Nigar",
    "Sevinj",
    "Aytan",
    "Gulnar",
    "Konul",
    "Lala",
    "Narmin",
    "Sabina",
    "Ulviyya",
    "Aynur",
    "Fidan",
    "Gunay",
    "Jamila",
    "Khadija",
    "Nargiz",
    "Rena",
    "Samira",
    "Sevil",
    "Tarana",
    "Turan",
    "Vusala",
    "Zarina",
    "Afag",
    "Arzu",
    "Ilaha",
    "Mehriban",
    "Shahla",
    "Aysel",
    "Gulnara",
    "Kamala",
    "Lamiya",
    "Nazrin",
    "Rubaba",
    "Sabira",
    "Shabnam",
    "Tamilla",
    "Zuleykha",
]

# Stems of family names: fathers' and ancestors' names, tribes, towns and trades.
STEMS = [
    "Ahmad",
    "Kareem",
    "Raheem",
    "Hakeem",
    "Sultan",
    "Noor",
    "Jabbar",
    "Tameem",
    "Obaid",
    "Rubai",
    "Jubour",
    "Dulaim",
    "Shammar",
    "Zubaid",
    "Azzaw",
    "Janab",
    "Khazraj",
    "Ansar",
    "Quraish",
    "Hashim",
    "Abbas",
    "Sadr",
    "Baghdad",
    "Mousal",
    "Basr",
    "Najaf",
    "Karbal",
    "Halab",
    "Homs",
    "Ham",
    "Shaam",
    "Haddad",
    "Najjar",
    "Attar",
    "Sabbagh",
    "Khayyat",
    "Darwish",
    "Nassar",
    "Saadi",
    "Jawad",
    "Amir",
    "Rashid",
    "Hamid",
    "Saeed",
    "Salim",
    "Majeed",
    "Aziz",
    "Latif",
    "Qadir",
    "Wahab",
    "Rahman",
    "Ghafar",
    "Sattar",
    "Jalil",
    "Naseer",
    "Mansour",
    "Shakir",
    "Hilal",
    "Kamal",
    "Jamal",
    "Fadil",
    "Adil",
    "Hussein",
    "Hassan",
    "Ali",
    "Mahmoud",
    "Yousef",
    "Ibrahim",
    "Ismail",
    "Moussa",
    "Eesa",
    "Daoud",
    "Suleiman",
    "Yaqoub",
    "Idrees",
    "Khalil",
    "Habib",
    "Shareef",
    "Tahir",
    "Zaher",
    "Bakir",
    "Mahdi",
    "Hadi",
    "Kadhim",
    "Jaafar",
    "Sadiq",
    "Baqir",
    "Kazem",
    "Mousawi",
    "Hashem",
    "Alawi",
    "Husseini",
    "Hakim",
    "Bayat",
    "Obeidi",
    "Kubaisi",
    "Ani",
    "Rawi",
    "Hadithi",
    "Tikriti",
    "Samarrai",
    "Dulaimi",
    "Jumaili",
    "Karkh",
    "Mashhad",
    "Herat",
    "Kandahar",
    "Kabul",
    "Ghazni",
    "Logar",
    "Paktia",
    "Khost",
    "Kunar",
    "Laghman",
    "Wardak",
    "Parwan",
    "Panjshir",
    "Badakhshan",
    "Balkh",
    "Popal",
    "Barak",
    "Stanik",
    "Durran",
    "Achak",
    "Mohmand",
    "Saf",
    "Kakar",
    "Mangal",
    "Zadran",
    "Alikoz",
    "Tokh",
    "Hotak",
    "Niaz",
    "Shinwar",
    "Afrid",
    "Yousuf",
    "Amar",
    "Sahak",
    "Jaj",
    "Khugian",
    "Arsal",
    "Andar",
    "Tarak",
    "Ghilz",
    "Ishaq",
    "Nasrat",
    "Sharaf",
    "Mal",
    "Gul",
    "Sher",
    "Khan",
    "Shah",
    "Mir",
    "Pir",
    "Baz",
    "Zarif",
    "Nabi",
    "Wali",
    "Zia",
    "Safi",
    "Sadat",
    "Faiz",
    "Qais",
    "Barez",
    "Ehsan",
    "Habibullah",
    "Rahmat",
    "Hekmat",
    "Ayub",
    "Osman",
    "Omar",
    "Qasim",
    "Hamza",
    "Bilal",
    "Idris",
    "Amin",
    "Bashir",
    "Nazir",
    "Munir",
    "Zamir",
    "Tanwir",
    "Shafiq",
    "Rafiq",
    "Tawfiq",
    "Farooq",
    "Siddiq",
    "Ansari",
    "Qureish",
    "Chaudhr",
    "Malik",
    "Butt",
    "Awan",
    "Rajput",
    "Sheikh",
    "Mirza",
    "Abbasi",
    "Bhatt",
    "Cheema",
    "Warraich",
    "Gondal",
    "Tarar",
    "Lodh",
    "Khattak",
    "Bangash",
    "Marwat",
    "Mehsud",
    "Wazir",
    "Yusufzai",
    "Kamran",
    "Iqbal",
    "Akbar",
    "Asghar",
    "Ashraf",
    "Anwar",
    "Sarwar",
    "Akhtar",
    "Aslam",
    "Azam",
    "Hayat",
    "Nawaz",
    "Shaukat",
    "Riaz",
    "Ijaz",
    "Fayyaz",
    "Imtiaz",
    "Mumtaz",
    "Arshad",
    "Irshad",
    "Nadeem",
    "Alaou",
    "Idriss",
    "Amran",
    "Bennan",
    "Fass",
    "Tazz",
    "Berrad",
    "Chraib",
    "Lahlou",
    "Sqall",
    "Tahir",
    "Benjell",
    "Kettan",
    "Cherkaou",
    "Ouazzan",
    "Sefrioui",
    "Alami",
    "Filal",
    "Hajj",
    "Moutawakk",
    "Bouzid",
    "Boukhar",
    "Belhaj",
    "Benkiran",
    "Bensaid",
    "Tounsi",
    "Zerhoun",
    "Mekness",
    "Rbat",
    "Sous",
    "Rif",
    "Tafilalt",
    "Dukkal",
    "Mammad",
    "Huseyn",
    "Hasan",
    "Alakbar",
    "Rasul",
    "Gasim",
    "Heydar",
    "Ismayil",
    "Musa",
    "Jafar",
    "Guliyev",
    "Abdull",
    "Nabi",
    "Karim",
    "Rahim",
    "Suleyman",
    "Yusif",
    "Aghayev",
    "Bagir",
    "Babay",
    "Ganbar",
    "Gurban",
    "Bayram",
    "Novruz",
    "Ramazan",
    "Shirin",
    "Agha",
    "Bey",
    "Khan",
    "Teymur",
    "Nadir",
    "Aslan",
    "Gaplan",
    "Jabrayil",
    "Mikayil",
    "Israfil",
    "Azim",
    "Alim",
    "Salah",
    "Najm",
    "Nour",
    "Fakhr",
    "Badr",
    "Shams",
    "Qamar",
    "Hilmi",
    "Sabri",
    "Fahmi",
    "Lutfi",
    "Rushdi",
    "Shukri",
    "Hosni",
    "Helmi",
    "Hosseini",
    "Mousavi",
    "Rezai",
    "Jafari",
    "Karimi",
    "Ahmadi",
    "Hashemi",
    "Ghorbani",
    "Rahimi",
    "Sadeghi",
    "Mohammadi",
    "Moradi",
    "Kazemi",
    "Ebrahimi",
    "Amini",
    "Heydari",
    "Naseri",
    "Rostami",
    "Akbari",
    "Ghasemi",
    "Bagheri",
    "Soltani",
    "Rahmani",
    "Asadi",
    "Salehi",
    "Nouri",
    "Najafi",
    "Abbasi",
    "Mirzaei",
    "Zamani",
    "Farahani",
    "Tehrani",
    "Shirazi",
    "Esfahani",
    "Tabrizi",
    "Kermani",
    "Yazdi",
    "Qomi",
    "Rashti",
    "Mashhadi",
    "Hamedani",
    "Kashani",
]

# Family names per nationality: (pattern, weight); {s} is a stem.
PATTERNS = {
    "AF": [("{s}zai", 3), ("{s}i", 4), ("{s}yar", 1), ("{s}khel", 1), ("{s}wal", 1), ("{s}", 2)],
    "IQ": [("Al-{s}i", 5), ("Al-{s}", 2), ("{s}", 2), ("{s}i", 1)],
    "SY": [("Al-{s}", 3), ("{s}", 3), ("Al-{s}i", 2), ("{s}ani", 1)],
    "MA": [("El {s}i", 3), ("Ben {s}", 2), ("{s}i", 3), ("Ait {s}", 1), ("{s}", 1)],
    "AZ": [("{s}ov", 6), ("{s}li", 2), ("{s}zade", 1)],
    "IR": [("{s}i", 5), ("{s}zadeh", 2), ("{s}pour", 1), ("{s}nejad", 1), ("{s}ian", 1), ("{s}", 1)],
    "PK": [("{s}", 5), ("{s}i", 2)],
}
CULTURE = {"AF": "fa", "IR": "fa", "IQ": "ar", "SY": "ar", "MA": "ma", "AZ": "az", "PK": "pk"}
GIVEN = {
    "ar": (ARAB_MALE, ARAB_FEMALE), "ma": (ARAB_MALE, ARAB_FEMALE), "fa": (PERSIAN_MALE, PERSIAN_FEMALE),
    "pk": (PAK_MALE, PAK_FEMALE), "az": (AZ_MALE, AZ_FEMALE),
}  # fmt: skip
# Share of people who carry their father's name as a second given name.
FATHERS_NAME = {"ar": 0.6, "ma": 0.2, "fa": 0.4, "pk": 0.15, "az": 0.05}
COUNTRIES = {"AF": 0.25, "IQ": 0.2, "SY": 0.15, "PK": 0.12, "MA": 0.1, "IR": 0.1, "AZ": 0.08}
TOWNS = {
    "AF": "Kabul Herat Kandahar Mazar-i-Sharif Jalalabad Kunduz Ghazni Baghlan Khost Farah Bamyan Charikar",
    "IQ": "Baghdad Basra Mosul Erbil Najaf Karbala Kirkuk Sulaymaniyah Nasiriyah Ramadi Fallujah Samarra",
    "SY": "Damascus Aleppo Homs Hama Latakia Raqqa Deir-ez-Zor Idlib Daraa Qamishli Tartus",
    "MA": "Casablanca Rabat Fes Marrakech Tangier Agadir Meknes Oujda Kenitra Tetouan Nador Beni-Mellal",
    "AZ": "Baku Ganja Sumqayit Mingachevir Lankaran Shirvan Nakhchivan Shaki Yevlakh Quba",
    "IR": "Tehran Mashhad Isfahan Karaj Shiraz Tabriz Qom Ahvaz Kermanshah Urmia Rasht Zahedan",
    "PK": "Karachi Lahore Faisalabad Rawalpindi Gujranwala Peshawar Multan Sialkot Quetta Gujrat Mardan Kotli",
}


# --- Spellings and scripts, by rule --------------------------------------------------------------

_ARABIC = {"kh": "خ", "sh": "ش", "th": "ث", "dh": "ذ", "gh": "غ", "ch": "چ", "ou": "و", "oo": "و", "ee": "ي",
           "ii": "ي", "aa": "ا", "b": "ب", "t": "ت", "j": "ج", "h": "ح", "d": "د", "r": "ر", "z": "ز", "s": "س",
           "f": "ف", "q": "ق", "k": "ك", "l": "ل", "m": "م", "n": "ن", "w": "و", "y": "ي", "p": "پ", "v": "و",
           "g": "گ", "i": "ي", "e": "", "a": "", "o": "", "u": ""}  # fmt: skip
_CYRILLIC = {"kh": "х", "sh": "ш", "ch": "ч", "zh": "ж", "ts": "ц", "ya": "я", "yu": "ю", "a": "а", "b": "б",
             "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и", "y": "й", "k": "к", "l": "л", "m": "м",
             "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у", "f": "ф", "h": "х", "j": "дж",
             "c": "дж", "q": "г", "x": "х"}  # fmt: skip


def _map(word: str, table: dict[str, str]) -> str:
    out, i, low = [], 0, word.lower()
    while i < len(low):
        two = low[i : i + 2]
        if two in table:
            out.append(table[two])
            i += 2
        else:
            out.append(table.get(low[i], "") if low[i].isalpha() else " ")
            i += 1
    return "".join(out)


def arabic(name: str, persian: bool = False) -> str:
    """A name in Arabic (or Persian) letters, by rule: long vowels written, short ones not, a word
    starting with a vowel written with alif, the article joined (الحسن)."""
    words = []
    for word in name.replace("-", " ").split():
        low = word.lower()
        if low in ("al", "el"):
            words.append("ال")
            continue
        first = "ا" if low[0] in "aeiou" else ""
        body = _map(low[1:] if first and low[:2] not in ("ou", "ee") else low, _ARABIC)
        body = first + body
        if low.endswith("a") and len(low) > 3 and not persian:  # Fatima: فاطمة
            body += "ة"
        text = body.replace("ي", "ی").replace("ك", "ک") if persian else body
        words.append(text)
    joined = " ".join(words).replace("ال ", "ال")
    return joined


def cyrillic(name: str) -> str:
    return _map(name, _CYRILLIC).strip().capitalize()


# Optional rewrites: each variant of a name is the canonical spelling with a few of them applied.
_COMMON = [("ou", "u"), ("oo", "u"), ("ee", "i"), ("ii", "i"), ("aa", "a"), ("ss", "s"), ("mm", "m"),
           ("q", "k"), ("dh", "z"), ("th", "s"), ("ei", "ai"), ("ya", "ia"), ("ah", "a")]  # fmt: skip
_BY_CULTURE = {
    "ar": [("u", "o"), ("i", "e"), ("a", "e"), ("s", "ss"), ("dh", "d"), ("aa", "a"), ("ee", "i")],
    "ma": [("ou", "u"), ("sh", "ch"), ("j", "dj"), ("w", "ou"), ("i", "e"), ("a", "e"), ("ee", "i")],
    "fa": [("ee", "i"), ("oo", "u"), ("o", "u"), ("a", "e"), ("w", "v"), ("z", "zz")],
    "pk": [("ee", "i"), ("oo", "u"), ("u", "oo"), ("i", "ee"), ("a", "e"), ("ai", "ay")],
    "az": [("kh", "x"), ("j", "c"), ("sh", "ş"), ("ch", "ç"), ("a", "ə"), ("u", "ü"), ("gh", "ğ")],
}


def _variants(canonical: str, culture: str, rng: random.Random) -> list[str]:
    """The usual spellings of a name: the canonical one first, then rule-derived ones."""
    rules = _COMMON + _BY_CULTURE[culture]
    found = [canonical]
    for _ in range(8):
        text = canonical
        for old, new in rng.sample(rules, k=rng.randint(1, 3)):
            position = text.find(old, 1)
            if position > 0:
                text = text[:position] + new + text[position + len(old) :]
        if text != canonical and text not in found:
            found.append(text)
        if len(found) >= 5:
            break
    if culture == "az":  # the Russian form: Mammadov → Mamedov, Hasanov → Gasanov
        russian = canonical.replace("mma", "me").replace("ammad", "amed")
        russian = "G" + russian[1:] if russian.startswith("H") else russian
        if russian not in found:
            found.append(russian)
    return found


@dataclass(frozen=True)
class Name:
    spellings: tuple[str, ...]  # the first is the commonest
    script: str  # the original script


def _name(canonical: str, culture: str, rng: random.Random) -> Name:
    spellings = _variants(canonical, culture, rng)
    if canonical.startswith("Al-"):
        bare = canonical[3:]
        spellings += [f"Al {bare}", f"Al{bare.lower()}", f"El {bare}", bare]
    elif canonical.startswith("El "):
        bare = canonical[3:]
        spellings += [f"El{bare.lower()}", bare, f"Al {bare}"]
    elif canonical.startswith("Ben "):
        spellings += [f"Ben{canonical[4:].lower()}", f"Bin {canonical[4:]}"]
    script = cyrillic(spellings[-1]) if culture == "az" else arabic(canonical, persian=culture in ("fa", "pk"))
    return Name(tuple(dict.fromkeys(spellings)), script)


class _Pool:
    """Names with long-tailed frequencies (the k-th commonest drawn about 1/k^s as often)."""

    def __init__(self, names: list[Name], exponent: float, rng: random.Random) -> None:
        self.names = names
        order = list(range(len(names)))
        rng.shuffle(order)
        weights = [0.0] * len(names)
        for rank, index in enumerate(order, start=1):
            weights[index] = 1 / rank**exponent
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random) -> Name:
        return self.names[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def _pools(seed: int) -> tuple[dict[tuple[str, str], _Pool], dict[str, _Pool], dict[str, list[str]]]:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    given: dict[tuple[str, str], _Pool] = {}
    for culture, (male, female) in GIVEN.items():
        for sex, names in (("M", male), ("F", female)):
            given[culture, sex] = _Pool([_name(n, culture, rng) for n in dict.fromkeys(names)], 0.7, rng)
    family: dict[str, _Pool] = {}
    for country, patterns in PATTERNS.items():
        culture = CULTURE[country]
        names: dict[str, Name] = {}
        shapes = [p for p, w in patterns for _ in range(w)]
        for stem in STEMS:
            for shape in dict.fromkeys(rng.sample(shapes, k=min(3, len(shapes)))):
                text = shape.format(s=stem)
                text = text.replace("ii", "i").replace("yi", "i")
                names.setdefault(text, _name(text, culture, rng))
        family[country] = _Pool(list(names.values()), 0.5, rng)
    towns = {c: t.split() for c, t in TOWNS.items()}
    return given, family, towns


# --- Records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    id: int
    person: int  # the truth: records of one person share it
    given: str
    family: str
    sex: str  # M, F, or "" when not stated
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    nationality: str
    phone: str
    place_of_birth: str = ""


@dataclass(frozen=True)
class _Truth:
    """What a person's names are, so a re-registration can spell them again."""

    given: tuple[Name, ...]
    family: Name
    country: str


def _spell(rng: random.Random, name: Name, script: float = 0.0) -> str:
    if rng.random() < script:
        return name.script
    return name.spellings[0] if rng.random() < 0.6 else rng.choice(name.spellings)


def _phone(rng: random.Random) -> str:
    return f"+{rng.randint(10**10, 10**11 - 1)}"


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        self.given, self.family, self.towns = _pools(seed + 1)
        self.countries = list(COUNTRIES)
        self.country_weights = list(itertools.accumulate(COUNTRIES.values()))
        self.truth: list[_Truth] = []

    def person(self, rid: int, relative_of: Record | None = None) -> Record:
        rng = self.rng
        if relative_of is not None:
            country = self.truth[relative_of.id].country
            family = self.truth[relative_of.id].family
        else:
            country = self.countries[bisect(self.country_weights, rng.random() * self.country_weights[-1])]
            family = self.family[country].draw(rng)
        culture = CULTURE[country]
        sex = "F" if rng.random() < 0.35 else "M"
        names = [self.given[culture, sex].draw(rng)]
        if rng.random() < FATHERS_NAME[culture]:
            names.append(self.given[culture, "M"].draw(rng))
        if relative_of is not None:
            year = (relative_of.birth_year or 1985) + rng.choice((-30, -25, -4, -2, 2, 3, 6, 24, 28))
            year = min(year, 2024)
        else:
            year = rng.randint(1950, 2020)
        precision = rng.random()
        script = 1.0 if rng.random() < 0.04 else 0.0  # registered in the original script
        family_text = _spell(rng, family, script)
        if culture == "az" and sex == "F" and family_text.endswith(("ov", "ев", "ов")):
            family_text += "a"
        place = ""
        if rng.random() < 0.6:
            place = (
                relative_of.place_of_birth
                if relative_of and relative_of.place_of_birth
                else rng.choice(self.towns[country])
            )
        phone = ""
        if relative_of is not None and relative_of.phone and rng.random() < 0.5:
            phone = relative_of.phone
        elif rng.random() < 0.6:
            phone = _phone(rng)
        self.truth.append(_Truth(tuple(names), family, country))
        return Record(
            id=rid, person=rid, given=" ".join(_spell(rng, n, script) for n in names), family=family_text, sex=sex,
            birth_year=year if precision < 0.95 else None, birth_month=rng.randint(1, 12) if precision < 0.6 else None,
            birth_day=rng.randint(1, 28) if precision < 0.5 else None, nationality=country, phone=phone,
            place_of_birth=place,
        )  # fmt: skip

    def reregistered(self, original: Record, rid: int) -> Record:
        """The same person typed again, with two or three of the usual differences."""
        rng, truth = self.rng, self.truth[original.id]
        self.truth.append(truth)
        again = replace(original, id=rid)
        changes = ["spelling", "spelling", "script", "swap", "year", "year_only", "no_year", "phone", "second_name",
                   "sex", "nationality", "typo", "typo", "place"]  # fmt: skip
        # Spelled again first, then swapped or cut: the order a second registration goes through.
        for change in sorted(rng.sample(changes, k=rng.randint(2, 3)), key=changes.index):
            if change == "spelling":
                given = " ".join(_spell(rng, n, 0) for n in truth.given[: len(again.given.split())])
                again = replace(again, given=given, family=_spell(rng, truth.family, 0))
            elif change == "script":
                script = " ".join(n.script for n in truth.given[: len(again.given.split())])
                both = rng.random() < 0.5
                again = replace(again, family=truth.family.script, given=script if both else again.given)
            elif change == "swap":
                again = replace(again, given=again.family, family=again.given)
            elif change == "year" and again.birth_year:
                again = replace(again, birth_year=again.birth_year + rng.choice((-1, 1)))
            elif change == "year_only":
                again = replace(again, birth_month=None, birth_day=None)
            elif change == "no_year" and rng.random() < 0.5:
                again = replace(again, birth_year=None, birth_month=None, birth_day=None)
            elif change == "phone":
                again = replace(again, phone="" if rng.random() < 0.5 else _phone(rng))
            elif change == "second_name" and " " in again.given:
                again = replace(again, given=again.given.split(" ")[0])
            elif change == "sex":
                again = replace(again, sex="")
            elif change == "nationality":
                again = replace(again, nationality="")
            elif change == "typo":
                field = "given" if rng.random() < 0.5 else "family"
                again = replace(again, **{field: _typo(rng, getattr(again, field))})
            elif change == "place":
                again = replace(again, place_of_birth="")
        return again


_KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


def _typo(rng: random.Random, text: str) -> str:
    """One slip of the keyboard in a word of four letters or more: a letter dropped, doubled,
    swapped with the next, or replaced by a neighbour."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 4 and w.isascii()]
    if not long:
        return text
    i = rng.choice(long)
    word, at = words[i], rng.randint(1, len(words[i]) - 2)
    kind = rng.randrange(4)
    if kind == 0:
        word = word[:at] + word[at + 1 :]
    elif kind == 1:
        word = word[:at] + word[at] + word[at:]
    elif kind == 2:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    else:
        key = _KEYBOARD.find(word[at].lower())
        neighbour = _KEYBOARD[max(0, min(len(_KEYBOARD) - 1, key + rng.choice((-1, 1))))] if key >= 0 else "a"
        word = word[:at] + neighbour + word[at + 1 :]
    words[i] = word
    return " ".join(words)


def generate(persons: int, *, rereg: float = 0.1, relatives: float = 0.1, seed: int = 2026) -> list[Record]:
    """``persons`` records; a share ``rereg`` of them are re-registrations of earlier ones, a share
    ``relatives`` new persons of an earlier one's family (same family name, town, often phone)."""
    generator = _Generator(seed)
    rng = generator.rng
    records: list[Record] = []
    for rid in range(persons):
        draw = rng.random()
        if records and draw < rereg:
            records.append(generator.reregistered(rng.choice(records), rid))
        elif records and draw < rereg + relatives:
            records.append(generator.person(rid, relative_of=rng.choice(records)))
        else:
            records.append(generator.person(rid))
    return records


def truth_pairs(records: list[Record]) -> set[tuple[int, int]]:
    """Every pair of records of one person, (lower id, higher id)."""
    by_person: dict[int, list[int]] = defaultdict(list)
    for r in records:
        by_person[r.person].append(r.id)
    return {(a, b) for ids in by_person.values() for a, b in itertools.combinations(sorted(ids), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    args = parser.parse_args()
    start = time.perf_counter()
    records = generate(args.persons)
    print(f"{len(records)} records generated in {time.perf_counter() - start:.1f} s; for example:")
    for r in records[-8:]:
        print(f"  {r}")
    given = {r.given.split(" ")[0] for r in records}
    family = {r.family for r in records}
    print(f"{len(given)} distinct first given names, {len(family)} distinct family names as written")
    from bench.matching_core import candidate_pairs, profile_of

    profiles = {r.id: profile_of(r) for r in records}
    start = time.perf_counter()
    pairs = candidate_pairs(profiles)
    truth = truth_pairs(records)
    found = len(truth & pairs)
    print(f"blocking (name keys within a year either side, identity keys): {len(pairs)} candidate pairs in "
          f"{time.perf_counter() - start:.1f} s; recall {found / max(len(truth), 1):.1%} of {len(truth)} true pairs")  # fmt: skip


if __name__ == "__main__":
    main()
