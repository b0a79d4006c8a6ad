"""The demo public site's pages: English, and translations of some pages (others fall back to English).

Written for the demo from the programme descriptions (seed 001); a mission writes its own.
"""

from __future__ import annotations

# slug -> (kind, position, {language: (title, Markdown body)})
PAGES: dict[str, tuple[str, int, dict[str, tuple[str, str]]]] = {
    "about": (
        "about",
        1,
        {
            "en": (
                "What is assisted voluntary return?",
                (
                    "Assisted voluntary return and reintegration (AVRR) helps people who wish to go back to their "
                    "country of origin to do so **safely and with dignity**.\n\n"
                    "The programme is free of charge and **voluntary**: you decide, and you can change your mind "
                    "until you travel. Counselling is confidential and available in your language."
                ),
            ),
        },
    ),
    "who-can-apply": (
        "eligibility",
        2,
        {
            "en": (
                "Who can apply?",
                (
                    "You can apply if you wish to return to your country of origin and:\n\n"
                    "- your application for international protection was rejected or you withdrew it, or\n"
                    "- you must leave the country by a decision of the authorities, or\n"
                    "- you stay in the country without a residence permit.\n\n"
                    "Families, unaccompanied children (with their guardian) and people with medical needs can apply. "
                    "We look at each case individually: ask us even if you are unsure."
                ),
            ),
        },
    ),
    "assistance": (
        "assistance",
        3,
        {
            "en": (
                "What help is offered?",
                (
                    "- **Travel**: your ticket home, help at the airports and with travel documents.\n"
                    "- **Cash**: a small amount at departure for your first needs.\n"
                    "- **Reintegration**: support to start again at home — a small business, training, housing or "
                    "medical care — planned with you and delivered in your country.\n"
                    "- **Before departure**: accommodation and medical care for the most vulnerable."
                ),
            ),
        },
    ),
    "how-to-apply": (
        "how_to_apply",
        4,
        {
            "en": (
                "How to apply",
                (
                    "1. Fill in the short form on this site, call our hotline or visit one of our offices.\n"
                    "2. A counsellor contacts you in your language and explains the programme.\n"
                    "3. If you decide to return, we prepare your travel with you.\n\n"
                    "Keep the code you receive and quote it when you call us."
                ),
            ),
        },
    ),
    "stories": (
        "stories",
        5,
        {
            "en": (
                "Stories of return",
                (
                    "**Karim**, back in Lahore since last spring, opened a small mobile-phone repair shop with "
                    'the programme\'s support. *"I came home with a plan, not empty-handed."*\n\n'
                    "**Amina** returned to Kabul with her two children; the family received help with rent and "
                    "school costs for the first months.\n\n"
                    "*Names changed; stories shared with consent.*"
                ),
            ),
        },
    ),
}


# Translations of the first two pages; the others fall back to English and say so.
TRANSLATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "about": {
        "ar": (
            "ما هي العودة الطوعية المساعدة؟",
            "يساعد برنامج العودة الطوعية المساعدة وإعادة الإدماج (AVRR) الأشخاصَ الذين يرغبون في "
            "العودة إلى بلدهم الأصلي على أن يعودوا **بأمان وكرامة**.\n"
            "\n"
            "البرنامج مجاني، وهو **طوعي**: أنتم من يقرر، ويمكنكم تغيير رأيكم حتى موعد السفر. الاستشارة "
            "سرية ومتوفرة بلغتكم.",
        ),
        "el": (
            "Τι είναι η υποβοηθούμενη εθελούσια επιστροφή;",
            "Η υποβοηθούμενη εθελούσια επιστροφή και επανένταξη (AVRR) βοηθά τους ανθρώπους που θέλουν "
            "να γυρίσουν στη χώρα καταγωγής τους να το κάνουν **με ασφάλεια και αξιοπρέπεια**.\n"
            "\n"
            "Το πρόγραμμα είναι δωρεάν και **εθελοντικό**: εσείς αποφασίζετε, και μπορείτε να αλλάξετε "
            "γνώμη μέχρι την ημέρα του ταξιδιού. Η συμβουλευτική είναι εμπιστευτική και γίνεται στη "
            "γλώσσα σας.",
        ),
        "fa": (
            "بازگشت داوطلبانه کمک\u200cشده چیست؟",
            "برنامه بازگشت داوطلبانه کمک\u200cشده و ادغام مجدد (AVRR) به کسانی که می\u200cخواهند به "
            "کشور اصلی خود برگردند کمک می\u200cکند تا **با امنیت و با عزت** برگردند.\n"
            "\n"
            "این برنامه رایگان و **داوطلبانه** است: تصمیم با شماست و تا روز سفر می\u200cتوانید نظرتان "
            "را تغییر دهید. مشاوره محرمانه است و به زبان خودتان انجام می\u200cشود.",
        ),
        "fr": (
            "Qu'est-ce que le retour volontaire assisté\xa0?",
            "Le retour volontaire assisté et la réintégration (AVRR) aident les personnes qui "
            "souhaitent rentrer dans leur pays d'origine à le faire **en sécurité et dans la "
            "dignité**.\n"
            "\n"
            "Le programme est gratuit et **volontaire**\xa0: c'est vous qui décidez, et vous pouvez "
            "changer d'avis jusqu'au jour du départ. Les entretiens avec un conseiller sont "
            "confidentiels et se font dans votre langue.",
        ),
        "ro": (
            "Ce este întoarcerea voluntară asistată?",
            "Returnarea voluntară asistată și reintegrarea (AVRR) îi ajută pe cei care doresc să se "
            "întoarcă în țara lor de origine să facă acest lucru **în siguranță și cu demnitate**.\n"
            "\n"
            "Programul este gratuit și **voluntar**: dumneavoastră decideți și vă puteți răzgândi până "
            "în ziua plecării. Consilierea este confidențială și se face în limba dumneavoastră.",
        ),
        "ur": (
            "معاونت شدہ رضاکارانہ واپسی کیا ہے؟",
            "معاونت شدہ رضاکارانہ واپسی اور دوبارہ آبادکاری (AVRR) کا پروگرام ان لوگوں کی مدد کرتا ہے "
            "جو اپنے آبائی ملک واپس جانا چاہتے ہیں، تاکہ وہ **محفوظ طریقے سے اور عزت کے ساتھ** واپس جا "
            "سکیں۔\n"
            "\n"
            "یہ پروگرام مفت اور **رضاکارانہ** ہے: فیصلہ آپ کا ہے، اور سفر سے پہلے تک آپ اپنا ارادہ بدل "
            "سکتے ہیں۔ مشاورت راز داری کے ساتھ اور آپ کی اپنی زبان میں ہوتی ہے۔",
        ),
    },
    "who-can-apply": {
        "ar": (
            "من يمكنه التقدم؟",
            "يمكنكم التقدم بطلب إذا كنتم ترغبون في العودة إلى بلدكم الأصلي، وكان ينطبق عليكم "
            "أحد ما يلي:\n"
            "\n"
            "- رُفض طلبكم للحماية الدولية، أو سحبتموه\n"
            "- يجب عليكم مغادرة البلد بقرار من السلطات\n"
            "- تقيمون في البلد دون تصريح إقامة\n"
            "\n"
            "يمكن أيضًا للعائلات، وللأطفال غير المصحوبين (مع أوصيائهم)، وللأشخاص ذوي "
            "الاحتياجات الطبية التقدم بطلب. ندرس كل حالة على حدة: اسألونا حتى لو لم تكونوا "
            "متأكدين.",
        ),
        "el": (
            "Ποιος μπορεί να κάνει αίτηση;",
            "Μπορείτε να κάνετε αίτηση αν θέλετε να επιστρέψετε στη χώρα καταγωγής σας και:\n"
            "\n"
            "- η αίτησή σας για διεθνή προστασία απορρίφθηκε ή την αποσύρατε, ή\n"
            "- πρέπει να φύγετε από τη χώρα με απόφαση των αρχών, ή\n"
            "- μένετε στη χώρα χωρίς άδεια διαμονής.\n"
            "\n"
            "Μπορούν να κάνουν αίτηση οικογένειες, ασυνόδευτα παιδιά (μαζί με τον επίτροπό "
            "τους) και άνθρωποι με ανάγκες υγείας. Εξετάζουμε κάθε περίπτωση χωριστά: ρωτήστε "
            "μας ακόμη κι αν δεν είστε σίγουροι.",
        ),
        "fa": (
            "چه کسی می\u200cتواند درخواست دهد؟",
            "اگر می\u200cخواهید به کشور اصلی خود برگردید و یکی از این موارد درباره شما درست "
            "است، می\u200cتوانید درخواست دهید:\n"
            "\n"
            "- درخواست حمایت بین\u200cالمللی (پناهندگی) شما رد شده، یا آن را پس "
            "گرفته\u200cاید\n"
            "- به حکم مقامات باید این کشور را ترک کنید\n"
            "- بدون اجازه اقامت در این کشور زندگی می\u200cکنید\n"
            "\n"
            "خانواده\u200cها، کودکانی که بدون پدر و مادر آمده\u200cاند (همراه با سرپرست قانونی "
            "خود) و کسانی که نیازهای طبی دارند نیز می\u200cتوانند درخواست دهند. ما هر پرونده "
            "را جداگانه بررسی می\u200cکنیم: اگر مطمئن نیستید، باز هم از ما بپرسید.",
        ),
        "fr": (
            "Qui peut faire une demande\xa0?",
            "Vous pouvez faire une demande si vous souhaitez retourner dans votre pays "
            "d'origine et si\xa0:\n"
            "\n"
            "- votre demande de protection internationale a été rejetée ou vous l'avez "
            "retirée, ou\n"
            "- vous devez quitter le pays sur décision des autorités, ou\n"
            "- vous restez dans le pays sans titre de séjour.\n"
            "\n"
            "Les familles, les enfants non accompagnés (avec leur tuteur) et les personnes qui "
            "ont des besoins médicaux peuvent faire une demande. Nous examinons chaque "
            "situation individuellement\xa0: posez-nous la question, même si vous avez un "
            "doute.",
        ),
        "ro": (
            "Cine poate depune o cerere?",
            "Puteți depune o cerere dacă doriți să vă întoarceți în țara de origine și:\n"
            "\n"
            "- cererea dumneavoastră de protecție internațională a fost respinsă sau ați "
            "retras-o, sau\n"
            "- trebuie să părăsiți țara în urma unei decizii a autorităților, sau\n"
            "- locuiți în țară fără permis de ședere.\n"
            "\n"
            "Pot depune cerere și familiile, copiii neînsoțiți (împreună cu tutorele lor) și "
            "persoanele cu nevoi medicale. Analizăm fiecare caz în parte: întrebați-ne chiar "
            "dacă aveți îndoieli.",
        ),
        "ur": (
            "کون درخواست دے سکتا ہے؟",
            "اگر آپ اپنے آبائی ملک واپس جانا چاہتے ہیں اور ان میں سے کوئی ایک بات آپ پر لاگو "
            "ہوتی ہے، تو آپ درخواست دے سکتے ہیں:\n"
            "\n"
            "- بین الاقوامی تحفظ (پناہ) کی آپ کی درخواست مسترد ہو گئی، یا آپ نے اسے واپس لے "
            "لیا\n"
            "- حکام کے فیصلے کے مطابق آپ کو یہ ملک چھوڑنا ہے\n"
            "- آپ رہائشی اجازت نامے کے بغیر اس ملک میں رہ رہے ہیں\n"
            "\n"
            "خاندان، والدین کے بغیر آئے ہوئے بچے (اپنے سرپرست کے ساتھ) اور طبی ضروریات والے "
            "افراد بھی درخواست دے سکتے ہیں۔ ہم ہر کیس کو الگ سے دیکھتے ہیں: اگر آپ کو یقین نہ "
            "ہو تب بھی ہم سے پوچھیں۔",
        ),
    },
}
for _slug, _texts in TRANSLATIONS.items():
    PAGES[_slug][2].update(_texts)
