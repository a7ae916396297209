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
- places: hand lists of UK towns and cities (roughly those of 10,000 people or more), districts
  of the big cities, regions and counties, plus Faker's en_GB counties.

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
valid invalid taxed untaxed insured uninsured expired revoked
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

# More towns of the UK with roughly 10,000 people or more, written out by hand from general
# knowledge (no third-party list copied), plus regions and the historic and ceremonial counties.
UK_TOWNS_MORE = """
Abergavenny|Aberdare|Ammanford|Bargoed|Blackwood|Brecon|Brynmawr|Buckley|Caernarfon|
Carmarthen|Chepstow|Colwyn Bay|Connah's Quay|Cwmbran|Ebbw Vale|Flint|Gorseinon|Haverfordwest|
Holyhead|Llandudno|Llantrisant|Maesteg|Milford Haven|Mold|Monmouth|Mountain Ash|Neath Port Talbot|
Pembroke|Pembroke Dock|Penarth|Pontyclun|Pontypool|Port Talbot|Porthcawl|Prestatyn|Risca|
Ystrad Mynach|Tonypandy|Treorchy|Aberdare|Tredegar|Ystradgynlais|Caldicot|Abertillery|Llanishen|
Ely|Splott|Grangetown|Canton|Roath|Cathays|Llandaff|Rumney|Pentwyn|Sketty|Morriston|Gowerton|
Mumbles|Townhill|Penlan|Treboeth|Swansea Bay|Vale of Glamorgan|Rhondda|Cynon|Taff|Gwent|Dyfed|
Powys|Gwynedd|Anglesey|Conwy|Denbighshire|Flintshire|Ceredigion|Pembrokeshire|Carmarthenshire|
Glamorgan|Monmouthshire|Torfaen|Blaenau Gwent|Rhondda Cynon Taf|Neath|
Altrincham|Ashton-under-Lyne|Atherton|Bebington|Bramhall|Cheadle|Denton|Droylsden|Eccles|
Failsworth|Farnworth|Heywood|Hindley|Horwich|Ince|Irlam|Kearsley|Middleton|Prestwich|Radcliffe|
Ramsbottom|Royton|Shaw|Stalybridge|Stretford|Swinton|Tyldesley|Urmston|Westhoughton|Whitefield|
Wythenshawe|Moss Side|Longsight|Gorton|Levenshulme|Didsbury|Chorlton|Rusholme|Hulme|Ancoats|
Cheetham Hill|Crumpsall|Harpurhey|Collyhurst|Openshaw|Fallowfield|Withington|Salford Quays|
Huyton|Kirkby|Prescot|Maghull|Formby|Crosby|Litherland|Halewood|Heswall|Hoylake|West Kirby|
Ellesmere Port|Neston|Northwich|Winsford|Middlewich|Nantwich|Sandbach|Congleton|Alsager|Wilmslow|
Knutsford|Frodsham|Kirkdale|Anfield|Everton|Toxteth|Walton|Wavertree|Speke|Garston|Norris Green|
Aldridge|Bilston|Bloxwich|Brownhills|Darlaston|Oldbury|Rowley Regis|Smethwick|Tipton|Wednesbury|
Wednesfield|Willenhall|West Bromwich|Sutton Coldfield|Erdington|Handsworth|Aston|Edgbaston|
Selly Oak|Small Heath|Sparkbrook|Sparkhill|Moseley|Kings Heath|Northfield|Longbridge|
Harborne|Acocks Green|Yardley|Hall Green|Digbeth|Ladywood|Lozells|Perry Barr|Kingstanding|
Castle Vale|Chelmsley Wood|Shirley|Kenilworth|Leamington Spa|Warwick|Stratford-upon-Avon|
Bedworth|Atherstone|Coleshill|Bromsgrove|Droitwich|Evesham|Malvern|Stourport|Ludlow|Oswestry|
Bridgnorth|Newport Pagnell|Leek|Stone|Uttoxeter|Rugeley|Burntwood|Kidsgrove|Biddulph|
Newcastle-under-Lyme|Hanley|Longton|Burslem|Tunstall|Fenton|Stoke-on-Trent|
Batley|Birstall|Bingley|Brighouse|Cleckheaton|Elland|Heckmondwike|Hebden Bridge|Holmfirth|
Horsforth|Knottingley|Mirfield|Morley|Normanton|Ossett|Pudsey|Rothwell|Shipley|Sowerby Bridge|
Todmorden|Wetherby|Yeadon|Guiseley|Garforth|Kippax|Armley|Beeston|Bramley|Chapeltown|
Harehills|Headingley|Holbeck|Hunslet|Kirkstall|Meanwood|Roundhay|Seacroft|Gipton|Halton Moor|
Manningham|Bowling|Eccleshill|Idle|Thornbury|Wibsey|Allerton|Heaton|Girlington|Queensbury|
Hemsworth|Featherstone|South Elmsall|Ackworth|Dewsbury Moor|Ravensthorpe|Thornhill|
Mexborough|Wath-upon-Dearne|Conisbrough|Maltby|Dinnington|Stocksbridge|Penistone|Hoyland|
Wombwell|Thorne|Bentley|Adwick|Armthorpe|Hatfield|Rawmarsh|Swinton|Worksop|Retford|Newark|
Hucknall|Arnold|Carlton|Beeston|West Bridgford|Eastwood|Kirkby-in-Ashfield|Sutton-in-Ashfield|
Ilkeston|Long Eaton|Ripley|Heanor|Belper|Matlock|Buxton|Glossop|Swadlincote|Bolsover|Staveley|
Dronfield|Clay Cross|Market Harborough|Melton Mowbray|Oadby|Wigston|Coalville|Ashby-de-la-Zouch|
Lutterworth|Oakham|Stamford|Grantham|Boston|Spalding|Skegness|Louth|Gainsborough|Sleaford|
Brigg|Barton-upon-Humber|Cleethorpes|Immingham|Hessle|Cottingham|Driffield|Pocklington|
Northallerton|Richmond|Ripon|Knaresborough|Thirsk|Malton|Pickering|Tadcaster|Guisborough|
Billingham|Thornaby|Ingleby Barwick|Yarm|Saltburn|Eston|Newton Aycliffe|Spennymoor|
Chester-le-Street|
Crook|Shildon|Ferryhill|Houghton-le-Spring|Hetton|Boldon|Hebburn|Felling|Whickham|Blaydon|
Ryton|Prudhoe|Ashington|Cramlington|Bedlington|Alnwick|Berwick-upon-Tweed|Wallsend|
North Shields|
Killingworth|Longbenton|Gosforth|Byker|Walker|Benwell|Elswick|Fenham|Jesmond|Heaton|
Workington|Whitehaven|Penrith|Maryport|Cockermouth|Ulverston|Keswick|Windermere|
Fleetwood|Thornton-Cleveleys|Poulton-le-Fylde|Lytham St Annes|Kirkham|Leyland|Fulwood|Penwortham|
Darwen|Oswaldtwistle|Clitheroe|Haslingden|Rawtenstall|Bacup|Padiham|Great Harwood|Brierfield|
Barnoldswick|Carnforth|Heysham|Garstang|Longridge|Adlington|Standish|Ashton-in-Makerfield|
Golborne|Newton-le-Willows|Earlestown|Haydock|Rainford|Billinge|Upholland|
Aylesford|Broadstairs|Deal|Faversham|Herne Bay|Hythe|Larkfield|Minster|New Romney|Sheerness|
Snodland|Swanley|Tonbridge|Westgate-on-Sea|Whitstable|Edenbridge|Cranbrook|Tenterden|
Bexhill|Burgess Hill|East Grinstead|Haywards Heath|Lancing|Littlehampton|Newhaven|Peacehaven|
Seaford|Shoreham-by-Sea|Uckfield|Crowborough|Lewes|Hailsham|Polegate|Rye|Battle|Arundel|
Camberley|Caterham|Cobham|Dorking|Egham|Epsom|Esher|Ewell|Farnham|Godalming|Haslemere|
Leatherhead|Oxted|Redhill|Reigate|Staines|Sunbury|Walton-on-Thames|Weybridge|Addlestone|
Chertsey|Frimley|Ash|Banstead|Horley|Cranleigh|
Aldershot|Alton|Fleet|Farnborough|Hook|Petersfield|Ringwood|Romsey|Totton|Waterlooville|
Hedge End|Lymington|New Milton|Fordingbridge|Lee-on-the-Solent|Stubbington|Whiteley|
Newport|Ryde|Cowes|Sandown|Shanklin|Christchurch|Ferndown|Wimborne|Weymouth|Dorchester|
Bridport|Blandford|Gillingham|Shaftesbury|Sherborne|Swanage|Chippenham|Trowbridge|Melksham|
Devizes|Warminster|Westbury|Calne|Corsham|Marlborough|Amesbury|Tidworth|Royal Wootton Bassett|
Frome|Wells|Glastonbury|Street|Shepton Mallet|Bridgwater|Burnham-on-Sea|Minehead|Chard|
Crewkerne|Wellington|Keynsham|Midsomer Norton|Radstock|Clevedon|Portishead|Nailsea|
Thornbury|Yate|Chipping Sodbury|Kingswood|Filton|Patchway|Bradley Stoke|Stapleton|
Tewkesbury|Cirencester|Cinderford|Lydney|Coleford|Dursley|Tetbury|
Exmouth|Newton Abbot|Paignton|Brixham|Teignmouth|Dawlish|Tiverton|Cullompton|Honiton|
Sidmouth|Axminster|Crediton|Okehampton|Tavistock|Ivybridge|Kingsbridge|Totnes|Bideford|
Ilfracombe|Northam|Saltash|Liskeard|St Austell|Camborne|Redruth|Helston|Hayle|St Ives|
Launceston|Bude|Wadebridge|Torpoint|
Abingdon|Carterton|Chipping Norton|Henley-on-Thames|Kidlington|Thame|Wallingford|Wantage|
Witney|Amersham|Beaconsfield|Buckingham|Chesham|Gerrards Cross|Marlow|Princes Risborough|
Olney|Bletchley|Wolverton|Leighton Buzzard|Dunstable|Houghton Regis|Biggleswade|Flitwick|
Sandy|Ampthill|Berkhamsted|Bishop's Stortford|Borehamwood|Bushey|Cheshunt|Harpenden|
Hatfield|Hertford|Hitchin|Hoddesdon|Letchworth|Potters Bar|Rickmansworth|Royston|Sawbridgeworth|
Tring|Ware|Welwyn Garden City|Baldock|Radlett|
Billericay|Braintree|Brightlingsea|Burnham-on-Crouch|Canvey Island|Clacton-on-Sea|
Epping|Frinton|Great Dunmow|Halstead|Harwich|Hockley|Loughton|Maldon|Rayleigh|Rochford|
Saffron Walden|South Woodham Ferrers|Stanford-le-Hope|Tilbury|Waltham Abbey|Walton-on-the-Naze|
Wickford|Witham|Leigh-on-Sea|Shoeburyness|Westcliff-on-Sea|Benfleet|Chigwell|Buckhurst Hill|
Bury St Edmunds|Felixstowe|Haverhill|Lowestoft|Newmarket|Stowmarket|Sudbury|Woodbridge|
Beccles|Bungay|Halesworth|Mildenhall|Brandon|Hadleigh|Leiston|Saxmundham|Aldeburgh|
Attleborough|Cromer|Dereham|Diss|Downham Market|Fakenham|Holt|North Walsham|Sheringham|
Swaffham|Thetford|Wymondham|Hunstanton|King's Lynn|
Ely|Huntingdon|March|St Neots|St Ives|Whittlesey|Wisbech|Chatteris|Ramsey|Soham|
Daventry|Brackley|Rushden|Higham Ferrers|Raunds|Towcester|Oundle|Desborough|Rothwell|
Thrapston|Irthlingborough|Burton Latimer|
Acton|Balham|Bermondsey|Bethnal Green|Bexley|Bexleyheath|Bow|Brentford|Camberwell|Catford|
Chelsea|Chingford|Chiswick|Clapham|Crystal Palace|Dalston|Deptford|Edmonton|Eltham|Erith|
Feltham|Finchley|Forest Gate|Fulham|Greenwich|Hammersmith|Hampstead|Hayes|Hendon|Highbury|
Highgate|Holloway|Hornchurch|Hoxton|Kensington|Kentish Town|Kilburn|Kingston|Lambeth|Leyton|
Leytonstone|Mitcham|Morden|Muswell Hill|New Cross|Norwood|Notting Hill|Orpington|Paddington|
Plaistow|Poplar|Putney|Richmond|Ruislip|Shepherd's Bush|Shoreditch|Sidcup|Southall|
Stepney|Stockwell|Stoke Newington|Streatham|Surbiton|Sutton|Sydenham|Teddington|Thamesmead|
Tooting|Twickenham|Upminster|Uxbridge|Vauxhall|Walworth|Wanstead|Wembley|Whitechapel|
Willesden|Wimbledon|Wood Green|Woolwich|Hackney Wick|Canning Town|East Ham|West Ham|Beckton|
Charlton|Abbey Wood|Welling|Chislehurst|Beckenham|Penge|Anerley|Thornton Heath|Purley|
Coulsdon|Wallington|Carshalton|Cheam|Worcester Park|New Malden|Tolworth|Chessington|
Isleworth|Hanwell|Greenford|Northolt|Pinner|Stanmore|Edgware|Mill Hill|Enfield Town|
Ponders End|Palmers Green|Southgate|Barnet|East Finchley|Golders Green|Cricklewood|Neasden|
Harlesden|Park Royal|Tower Hamlets|Canary Wharf|Isle of Dogs|Limehouse|Wapping|Mile End|
Stratford|Romford|Dagenham|Rainham|Harold Hill|Collier Row|
Aberdeen|Airdrie|Alloa|Arbroath|Ayr|Bathgate|Bearsden|Bellshill|Bishopbriggs|Blantyre|
Bonnyrigg|Buckie|Clydebank|Coatbridge|Cumbernauld|Dalkeith|Dumbarton|Dumfries|Dunfermline|
East Kilbride|Elgin|Erskine|Falkirk|Forfar|Fraserburgh|Galashiels|Glenrothes|Grangemouth|
Greenock|Hamilton|Irvine|Johnstone|Kilmarnock|Kirkcaldy|Kirkintilloch|Largs|Larkhall|
Livingston|Musselburgh|Motherwell|Newton Mearns|Paisley|Penicuik|Peterhead|Port Glasgow|
Renfrew|Rutherglen|St Andrews|Stenhousemuir|Stranraer|Troon|Wishaw|Oban|Fort William|
Antrim|Armagh|Ballymena|Ballymoney|Banbridge|Bangor|Carrickfergus|Coleraine|Cookstown|
Craigavon|Downpatrick|Dungannon|Enniskillen|Larne|Limavady|Lurgan|Magherafelt|Newtownabbey|
Newtownards|Omagh|Portadown|Strabane|Holywood|Comber|
Greater London|Greater Manchester|West Yorkshire|South Yorkshire|North Yorkshire|
East Riding|East Yorkshire|West Midlands|East Midlands|the Midlands|East Anglia|Home Counties|
Tyne and Wear|County Durham|Isle of Wight|Isle of Man|Channel Islands|Jersey|Guernsey|
North Wales|South Wales|West Wales|Mid Wales|South East|North West|North East|South West|
Humberside|Avon|Highlands|Lothian|Fife|Strathclyde|Grampian|Tayside|Borders|Lanarkshire|
Ayrshire|Renfrewshire|Dunbartonshire|Aberdeenshire|Northern Ireland|Great Britain|
United Kingdom|Rutland|Middlesex|Westmorland|Cumberland|Huntingdonshire|Lancs|Yorks|Herts|
Bucks|Berks|Hants|Wilts|Glos|Northants|Notts|Staffs|Warks|Worcs|Leics|Lincs|Beds|Cambs
""".replace("\n", "").split("|")

# Towns whose names are everyday words, left out ("March", "Street", "Deal"): "in March" is a month.
AMBIGUOUS_TOWNS = _set("""March Street Deal Ash Hook Stone Bow Idle Crook Holt Ware Bowling
Battle Fleet Sandy Borders Highlands Avon Ince Minster Rye Wells Shaw""")

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

    more = {p.strip() for p in UK_TOWNS_MORE if p.strip()} - AMBIGUOUS_TOWNS
    places = {p.strip() for p in UK_PLACES if p.strip()} | more | set(GbAddress.counties)
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
