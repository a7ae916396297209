"""Build the name, place and common-word gazetteers shipped in casework/detection/data.

Sources (all licences allow shipping; see NOTICE):
- forenames and surnames: the person-name lists of Faker's locales (MIT), chosen to match the
  population of England and Wales (British, Irish, South Asian, African, Caribbean, Eastern and
  Southern European, Turkish, Chinese and Japanese romanised), Cyrillic lists transliterated;
  plus a short hand list of Arabic, Somali, Kurdish and other forenames common in the UK that
  Faker writes only in non-Latin script.
- common English words (used to reject capitalised sentence starts and names that are also
  words): tokens tagged O and written in lower case in the Broad Twitter Corpus *train* split
  (CC BY 4.0), plus a hand list of function words.
- places: a hand list of UK towns, cities and regions plus Faker's en_GB counties.

Run: .venv/bin/python tools/build_name_gazetteer.py [/work/shared/data]
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path


def _words(text: str) -> list[str]:
    return text.split()


def _set(text: str) -> set[str]:
    return set(text.split())


OUT = Path(__file__).resolve().parents[1] / "src/casework/detection/data/names.json"

LOCALES = [
    "en_GB",
    "en_IE",
    "ga_IE",
    "en_US",
    "en_NZ",
    "en_IN",
    "en_PK",
    "en_NG",
    "en_KE",
    "yo_NG",
    "ig_NG",
    "ha_NG",
    "tw_GH",
    "sw",
    "zu_ZA",
    "pl_PL",
    "ro_RO",
    "cs_CZ",
    "sk_SK",
    "lt_LT",
    "lv_LV",
    "hu_HU",
    "hr_HR",
    "sl_SI",
    "et_EE",
    "bg_BG",
    "ru_RU",
    "uk_UA",
    "tr_TR",
    "az_AZ",
    "fr_FR",
    "de_DE",
    "es_ES",
    "it_IT",
    "pt_PT",
    "pt_BR",
    "nl_NL",
    "sv_SE",
    "da_DK",
    "no_NO",
    "fi_FI",
    "el_GR",
    "zh_CN",
    "zh_TW",
    "ja_JP",
    "vi_VN",
    "id_ID",
    "fil_PH",
    "es_MX",
]
ATTR = re.compile(r"^(first|last)_(romanized_)?names(_male|_female|_nonbinary)?$")
LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F'’\-]+$")

# Forenames common in the UK that Faker holds only in Arabic or other scripts.
EXTRA_FORENAMES = _words("""
mohammed muhammad mohamed mohammad ahmed ahmad ali hassan hussain hussein omar umar yusuf
yousef ibrahim ismail abdul abdullah abdi abdirahman abdullahi hamza bilal khalid tariq zain
zayn imran irfan faisal farhan rashid saeed samir sami karim kareem nasser walid yasin yasmin
yasmine fatima fatimah aisha ayesha amina aminah khadija maryam mariam zainab zahra noor nour
hana hanna layla leila laila sara sarah salma samira sumaya hodan faduma ayan hibo ifrah
warsame farah jama mahamed mustafa mostafa idris musa isa adam rania dalia huda iman asma
shirin azad rebaz kawa soran hemin dilan zana shwan kamal jamal nadia nadeem naveed waqas
usman asif arif sajid shahid shazia nazia rukhsana parveen bushra saima kiran rahul priya
anjali sunita deepak sanjay vijay ravi raj rajesh amit arjun harpreet gurpreet jaspreet
manpreet simran sukhdeep baljit kuldeep jaswinder mandeep navdeep amandeep rupinder
kwame kofi kojo ama abena akua yaw chidi chinedu emeka ngozi adaeze tunde femi segun bola
shola tendai tatenda farai blessing precious chipo thabo sipho themba winston delroy leroy
marcia beverley desmond errol clive lloyd marlon jermaine tyrone shanice tanisha keisha
aleksander oleksandr olena oksana vasyl mykola bogdan bohdan dmytro andrii andriy yulia
iulia ionut mihai andrei bogdana gheorghe vasile florin catalin alexandru cristian elena
mateusz jakub kacper szymon wojciech krzysztof agnieszka katarzyna malgorzata magdalena
tomasz piotr pawel marcin lukasz michal dawid kamil bartosz grzegorz zofia wiktoria
wei jing ming li hui xiao yan ying lei jun hong chen lin
""")

EXTRA_SURNAMES = _words("""
khan ahmed ali hussain hussein begum akhtar bibi iqbal malik mahmood mahmoud rehman rahman
chaudhry chaudhary choudhury qureshi siddiqui sheikh shaikh butt mirza raza rizvi haider
patel shah singh kaur sharma gupta kumar mistry desai joshi mehta parmar solanki chauhan
gill sandhu sidhu dhillon grewal johal bains atwal kang sahota virdi
okafor okonkwo adeyemi adebayo mensah owusu asante boateng osei agyeman nwosu eze obi
okoro oyelaran abdi farah mohamud warsame jama hassan yusuf osman
kowalski kowalska nowak wisniewski wojcik kaminski lewandowski zielinski szymanski
popescu ionescu popa dumitru stan stoica gheorghe
kovalenko shevchenko bondarenko tkachenko ivanov petrov smirnov
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo
nguyen tran le pham hoang phan vu dang bui do ho ngo duong ly
o'neill o'brien o'connor o'sullivan o'donnell o'reilly o'connell o'callaghan o'hara
mcdonald mcdonnell mcguinness mccarthy mclaughlin mckenzie mcintyre mackenzie macdonald
""")

# Words always treated as common even when a gazetteer lists them (titles, roles, places...).
EXTRA_COMMON = _words("""
a an the and or but if of in on at to for from by with without about after before over under
i me my mine we us our you your he him his she her it its they them their this that these those
is am are was were be been being do does did have has had will would shall should can could may
might must not no yes so then than too very just also only even still well here there where when
why how what who whom which while as up down out off into onto upon again once all any both each
few more most other some such own same new old good great little big long high next last first
mr mrs ms miss dr sir madam police court officer victim suspect witness defendant road street lane
avenue close drive way crescent place square station school hospital church park house hall
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday tonight
god lord love happy hope grace joy faith dawn summer will mark rose frank bill guy pat
""")

UK_PLACES = """
London|Birmingham|Manchester|Liverpool|Leeds|Sheffield|Bristol|Newcastle|Sunderland|Nottingham|
Leicester|Coventry|Bradford|Wakefield|Barnsley|Rotherham|Doncaster|Huddersfield|Halifax|Hull|
York|Harrogate|Scarborough|Middlesbrough|Darlington|Durham|Gateshead|Hartlepool|Stockton|
Carlisle|Blackpool|Preston|Blackburn|Burnley|Bolton|Bury|Wigan|Warrington|Stockport|Oldham|
Rochdale|Salford|Trafford|Chester|Crewe|Stoke|Derby|Lincoln|Grimsby|Scunthorpe|Mansfield|
Chesterfield|Northampton|Peterborough|Cambridge|Oxford|Reading|Slough|Swindon|Gloucester|
Cheltenham|Worcester|Hereford|Shrewsbury|Telford|Wolverhampton|Walsall|Dudley|Sandwell|
Solihull|Redditch|Nuneaton|Rugby|Luton|Bedford|Milton Keynes|Watford|Stevenage|St Albans|
Chelmsford|Colchester|Southend|Basildon|Ipswich|Norwich|Great Yarmouth|Kings Lynn|Canterbury|
Maidstone|Dover|Folkestone|Margate|Ramsgate|Ashford|Brighton|Hove|Eastbourne|Hastings|Crawley|
Worthing|Guildford|Woking|Croydon|Bromley|Lewisham|Southwark|Lambeth|Hackney|Islington|
Camden|Westminster|Brent|Ealing|Hounslow|Harrow|Barnet|Enfield|Haringey|Tottenham|Walthamstow|
Newham|Stratford|Barking|Dagenham|Romford|Ilford|Peckham|Brixton|Wandsworth|Battersea|
Southampton|Portsmouth|Bournemouth|Poole|Salisbury|Winchester|Basingstoke|Exeter|Plymouth|
Torquay|Truro|Taunton|Bath|Weston-super-Mare|Yeovil|Cardiff|Swansea|Newport|Wrexham|Bangor|
Aberystwyth|Merthyr Tydfil|Bridgend|Llanelli|Rhyl|Barry|Pontypridd|Caerphilly|Neath|
Edinburgh|Glasgow|Aberdeen|Dundee|Inverness|Stirling|Perth|Belfast|Derry|Lisburn|Newry|
Dublin|Cork|Galway|Limerick|Kent|Essex|Surrey|Sussex|Devon|Cornwall|Dorset|Somerset|Wiltshire|
Hampshire|Berkshire|Yorkshire|Lancashire|Cumbria|Merseyside|Cheshire|Staffordshire|
Derbyshire|Nottinghamshire|Lincolnshire|Norfolk|Suffolk|Cambridgeshire|Hertfordshire|
Bedfordshire|Buckinghamshire|Oxfordshire|Gloucestershire|Warwickshire|Leicestershire|
Northamptonshire|Shropshire|Herefordshire|Worcestershire|Northumberland|Cleveland|Teesside|
Tyneside|Wales|England|Scotland|Ireland|Britain|UK|Europe|Pontefract|Castleford|Dewsbury|
Batley|Keighley|Skipton|Otley|Ilkley|Selby|Goole|Beverley|Bridlington|Whitby|Redcar|Consett|
Stanley|Bishop Auckland|Peterlee|Seaham|Washington|Jarrow|South Shields|Tynemouth|Whitley Bay|
Blyth|Morpeth|Hexham|Kendal|Barrow|Lancaster|Morecambe|Southport|Bootle|Birkenhead|Wallasey|
St Helens|Widnes|Runcorn|Macclesfield|Altrincham|Sale|Ashton|Hyde|Tameside|Leigh|Skelmersdale|
Ormskirk|Chorley|Accrington|Nelson|Colne|Rossendale|Halesowen|Stourbridge|Kidderminster|
Tamworth|Lichfield|Cannock|Stafford|Burton|Loughborough|Hinckley|Corby|Kettering|Wellingborough|
Aylesbury|High Wycombe|Hemel Hempstead|Harlow|Brentwood|Grays|Thurrock|Gravesend|Dartford|
Medway|Chatham|Gillingham|Rochester|Sittingbourne|Tunbridge Wells|Sevenoaks|Horsham|Chichester|
Bognor Regis|Andover|Eastleigh|Fareham|Gosport|Havant|Newbury|Bracknell|Maidenhead|Wokingham|
Banbury|Bicester|Didcot|Abingdon|Stroud|Barnstaple|Newquay|Penzance|Falmouth|Bodmin
""".replace("\n", "").split("|")

CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
            "i",
            "yi",
            "ye",
            "g",
        ],
        strict=True,
    )
)


def fold(word: str) -> str:
    """Return ``word`` without accents, so 'José' also matches 'Jose'."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def transliterate(word: str) -> str:
    return "".join(CYRILLIC.get(c, c) for c in word.lower())


def faker_names() -> tuple[set[str], set[str]]:
    """Collect Latin-script forenames and surnames from Faker's locales."""
    forenames: set[str] = set()
    surnames: set[str] = set()
    for locale in LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ModuleNotFoundError:
            continue
        for attr in dir(provider):
            match = ATTR.match(attr)
            if not match:
                continue
            target = forenames if match.group(1) == "first" else surnames
            for entry in getattr(provider, attr):
                for part in str(entry).replace(".", " ").split():
                    word = part.strip("()")
                    if locale in ("ru_RU", "uk_UA", "bg_BG"):
                        word = transliterate(word)
                    if len(word) < 2 or not LATIN.match(word):
                        continue
                    target.add(word.lower())
                    target.add(fold(word).lower())
    forenames.update(EXTRA_FORENAMES)
    surnames.update(EXTRA_SURNAMES)
    # name particles are handled by the recognizer, not the gazetteer
    particles = {
        "de",
        "da",
        "di",
        "del",
        "della",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "al",
        "el",
        "bin",
        "bint",
        "ibn",
        "ben",
        "du",
        "dos",
        "das",
        "y",
        "e",
        "mac",
        "st",
    }
    return forenames - particles, surnames - particles


def common_words(data: Path) -> set[str]:
    """Words written in lower case, outside any entity, at least 3 times in BTC train."""
    counts: Counter[str] = Counter()
    train = data / "ner/btc/btc.train.conll"
    if train.exists():
        for line in train.read_text(encoding="utf-8").splitlines():
            token, _, tag = line.partition("\t")
            if tag == "O" and token.isalpha() and token.islower() and len(token) > 1:
                counts[token] += 1
    return {w for w, n in counts.items() if n >= 3} | set(EXTRA_COMMON)


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/data")
    forenames, surnames = faker_names()
    common = common_words(data)
    from faker.providers.address.en_GB import Provider as GbAddress

    places = {p.strip() for p in UK_PLACES if p.strip()} | set(GbAddress.counties)
    payload = {
        "source": "Faker person lists (MIT); BTC train lower-case O tokens (CC BY 4.0); hand lists",
        "forenames": sorted(forenames),
        "surnames": sorted(surnames),
        "common": sorted(common),
        "places": sorted(places),
    }
    OUT.write_text(json.dumps(payload, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(  # noqa: T201
        f"wrote {OUT}: {len(forenames)} forenames, {len(surnames)} surnames, "
        f"{len(common)} common words, {len(places)} places"
    )


if __name__ == "__main__":
    main()
