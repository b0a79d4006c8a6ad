"""Plausible names by country of origin, in Latin letters and the original script.

Synthetic: combinations of common given and family names, never real people.
"""

from __future__ import annotations

# country: (male given names, female given names, family names); each a (Latin, original) pair.
NAMES: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]] = {
    "PK": (
        [("Muhammad", "محمد"), ("Ali", "علی"), ("Ahmed", "احمد"), ("Bilal", "بلال"), ("Usman", "عثمان"), ("Imran", "عمران"), ("Hamza", "حمزہ")],
        [("Ayesha", "عائشہ"), ("Fatima", "فاطمہ"), ("Zainab", "زینب"), ("Sana", "ثناء"), ("Maryam", "مریم")],
        [("Khan", "خان"), ("Hussain", "حسین"), ("Malik", "ملک"), ("Butt", "بٹ"), ("Chaudhry", "چودھری"), ("Qureshi", "قریشی")],
    ),
    "AF": (
        [("Ahmad", "احمد"), ("Mohammad", "محمد"), ("Farid", "فرید"), ("Hamid", "حمید"), ("Rahim", "رحیم"), ("Jawad", "جواد")],
        [("Nasrin", "نسرین"), ("Zahra", "زهرا"), ("Mariam", "مریم"), ("Shabnam", "شبنم"), ("Parwana", "پروانه")],
        [("Ahmadzai", "احمدزی"), ("Karimi", "کریمی"), ("Hakimi", "حکیمی"), ("Rahimi", "رحیمی"), ("Popal", "پوپل"), ("Noori", "نوری")],
    ),
    "IQ": (
        [("Ali", "علي"), ("Hussein", "حسين"), ("Mustafa", "مصطفى"), ("Omar", "عمر"), ("Karim", "كريم"), ("Haidar", "حيدر")],
        [("Noor", "نور"), ("Huda", "هدى"), ("Zahraa", "زهراء"), ("Rusul", "رسل"), ("Maryam", "مريم")],
        [("Al-Jubouri", "الجبوري"), ("Al-Obaidi", "العبيدي"), ("Hassan", "حسن"), ("Kadhim", "كاظم"), ("Al-Rubaie", "الربيعي")],
    ),
    "GE": (
        [("Giorgi", "გიორგი"), ("Davit", "დავით"), ("Levan", "ლევან"), ("Irakli", "ირაკლი"), ("Nika", "ნიკა")],
        [("Nino", "ნინო"), ("Tamar", "თამარ"), ("Ana", "ანა"), ("Mariam", "მარიამ"), ("Eka", "ეკა")],
        [("Beridze", "ბერიძე"), ("Kapanadze", "კაპანაძე"), ("Gelashvili", "გელაშვილი"), ("Maisuradze", "მაისურაძე"), ("Lomidze", "ლომიძე")],
    ),
    "NG": (
        [("Chinedu", ""), ("Emeka", ""), ("Oluwaseun", ""), ("Ibrahim", ""), ("Tunde", ""), ("Uche", "")],
        [("Ngozi", ""), ("Aisha", ""), ("Funmilayo", ""), ("Blessing", ""), ("Chiamaka", "")],
        [("Okafor", ""), ("Adeyemi", ""), ("Okonkwo", ""), ("Bello", ""), ("Eze", ""), ("Abubakar", "")],
    ),
    "BD": (
        [("Rahim", "রহিম"), ("Karim", "করিম"), ("Sumon", "সুমন"), ("Rubel", "রুবেল"), ("Shakil", "শাকিল")],
        [("Nasrin", "নাসরিন"), ("Fatema", "ফাতেমা"), ("Shirin", "শিরিন"), ("Rina", "রিনা")],
        [("Hossain", "হোসেন"), ("Islam", "ইসলাম"), ("Rahman", "রহমান"), ("Akter", "আক্তার"), ("Uddin", "উদ্দিন")],
    ),
    "MA": (
        [("Youssef", "يوسف"), ("Mohamed", "محمد"), ("Hamza", "حمزة"), ("Anass", "أنس"), ("Mehdi", "مهدي")],
        [("Khadija", "خديجة"), ("Salma", "سلمى"), ("Imane", "إيمان"), ("Hajar", "هاجر")],
        [("El Amrani", "العمراني"), ("Benali", "بن علي"), ("Bennani", "بناني"), ("El Idrissi", "الإدريسي"), ("Tazi", "التازي")],
    ),
}  # fmt: skip

LANGUAGES = {
    "PK": ["ur", "pa"],
    "AF": ["prs", "ps"],
    "IQ": ["ar", "ku"],
    "GE": ["ka", "ru"],
    "NG": ["en", "yo", "ig", "ha"],
    "BD": ["bn"],
    "MA": ["ar", "fr"],
}

PLACES = {
    "PK": ["Lahore", "Gujrat", "Sialkot", "Islamabad", "Mandi Bahauddin"],
    "AF": ["Kabul", "Herat", "Mazar-i-Sharif", "Jalalabad"],
    "IQ": ["Baghdad", "Erbil", "Basra", "Sulaymaniyah", "Mosul"],
    "GE": ["Tbilisi", "Kutaisi", "Batumi", "Rustavi"],
    "NG": ["Lagos", "Benin City", "Abuja", "Enugu"],
    "BD": ["Dhaka", "Sylhet", "Chittagong"],
    "MA": ["Casablanca", "Tangier", "Beni Mellal", "Nador"],
}
