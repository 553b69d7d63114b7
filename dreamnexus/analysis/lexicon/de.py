"""German lexicon: a reduced rule set for the DreamBank German series, written for Dream Nexus.

What it cannot code as well as English is listed in `uncodable` and carried in every German analysis.
"""

from __future__ import annotations

from dreamnexus.analysis.lexicon import en
from dreamnexus.analysis.lexicon.base import InteractionVerb, Lexicon, PersonNoun, phrase_table, words

_SEX = {"M": "male", "F": "female", "J": "joint", "I": "indefinite"}
_ID = {"F": "family", "R": "relative", "K": "known", "P": "prominent", "O": "occupational", "S": "stranger"}

# forms (comma-separated; the first is the canonical one) sex identity group(1 = plural forms)
_PERSONS = """
mann,mannes,manne M S 0
männer,männern M S 1
frau F S 0
frauen F S 1
junge,jungen M S 0
jungs M S 1
mädchen F S 0
kind,kindes I S 0
kinder,kindern I S 1
baby,babys I S 0
person I S 0
personen,leute,leuten,menschen I S 1
mensch M S 0
fremder,fremde,fremden I S 0
mutter,mama,mutti F F 0
vater,vaters,papa,vati M F 0
eltern J F 1
bruder M F 0
brüder,brüdern M F 1
schwester F F 0
schwestern F F 1
geschwister I F 1
sohn,sohnes M F 0
söhne M F 1
tochter F F 0
töchter F F 1
ehemann M F 0
ehefrau F F 0
familie J F 1
großmutter,oma F R 0
großvater,opa M R 0
großeltern J R 1
tante F R 0
onkel M R 0
cousin,vetter M R 0
cousine,kusine F R 0
neffe,neffen M R 0
nichte F R 0
verwandte,verwandten I R 1
freund,freundes M K 0
freunde,freunden M K 1
freundin F K 0
freundinnen F K 1
bekannte,bekannten I K 0
nachbar,nachbarn M K 0
nachbarin F K 0
kollege,kollegen M K 0
kollegin F K 0
chef M K 0
chefin F K 0
verlobte,verlobten I K 0
lehrer,lehrers M O 0
lehrerin F O 0
arzt,arztes M O 0
ärztin F O 0
ärzte I O 1
polizist,polizisten M O 0
polizei I O 1
soldat,soldaten M O 0
verkäufer M O 0
verkäuferin F O 0
schüler M O 0
schülerin F O 0
student,studenten M O 0
studentin F O 0
kellner M O 0
kellnerin F O 0
pfarrer,priester M O 0
krankenschwester F O 0
dieb,diebe,einbrecher,mörder M O 0
könig M P 0
königin F P 0
präsident M P 0
"""

_ANIMALS = """
hund hunde hunden katze katzen pferd pferde pferden kuh kühe schwein schweine vogel vögel schlange
schlangen maus mäuse ratte ratten spinne spinnen bär bären wolf wölfe löwe löwen tiger fisch fische
affe affen tier tiere tieren hase hasen fuchs füchse biene bienen käfer insekt insekten elefant
"""
_CREATURES = "monster gespenst gespenster geist geister hexe hexen teufel engel drache drachen riese zwerg"

# fmt: off
_VERBS: list[tuple[str, str, int, str, str]] = [
    ("aggression", "töten tötet tötete töteten getötet umbringen bringt ermordet ermordete ermordet "
     "erschießt erschoss erschossen", 8, "", ""),
    ("aggression", "schlagen schlägt schlug schlugen geschlagen angegriffen greift griff stach sticht "
     "gestochen stößt stieß stießen gestoßen tritt trat getreten beißt biss gebissen würgt würgte "
     "gewürgt verprügelt verprügelte verletzt verletzte schießt schoss ohrfeigt ohrfeigte", 7, "", ""),
    ("aggression", "kämpfen kämpft kämpften kämpfte gekämpft prügeln prügelten", 7, "", "reciprocal"),
    ("aggression", "verfolgt verfolgte verfolgten jagt jagte jagten gejagt gefangen fängt fing fesselt "
     "fesselte gefesselt sperrt sperrte eingesperrt entführt entführte bedrängt bedrängte", 6, "", ""),
    ("aggression", "stiehlt stahl gestohlen stahlen raubt raubte geraubt zerstört zerstörte", 5, "",
     "possession"),
    ("aggression", "bedroht bedrohte droht drohte", 4, "", ""),
    ("aggression", "zwingt zwang gezwungen verbietet verbot verboten verweigert verweigerte "
     "beschuldigt beschuldigte wirft", 3, "", ""),
    ("aggression", "beschimpft beschimpfte schimpft schimpfte kritisiert kritisierte beleidigt "
     "beleidigte verspottet verspottete anschreit anschrie anschreien ärgert ärgerte auslacht "
     "lachte", 2, "", ""),
    ("aggression", "schreit schrie schrien", 2, "mich ihn sie uns", ""),
    ("aggression", "streiten streitet stritten stritt gestritten", 2, "", "reciprocal"),
    ("aggression", "hasse hasst hasste gehasst beneide beneidet beneidete", 1, "", ""),
    ("friendliness", "heiraten heiratet heiratete heirateten", 7, "", ""),
    ("friendliness", "umarmt umarmte umarmten streichelt streichelte", 6, "", ""),
    ("friendliness", "hilft half halfen geholfen rettet rettete gerettet tröstet tröstete getröstet "
     "beschützt beschützte", 5, "", ""),
    ("friendliness", "schenkt schenkte geschenkt", 4, "", ""),
    ("friendliness", "einladen lädt lud eingeladen", 3, "", ""),
    ("friendliness", "begrüßt begrüßte dankt dankte gedankt lobt lobte gelobt bewundere bewundert "
     "bewunderte", 2, "", ""),
    ("sexuality", "küsst küsste küssten geküsst", 3, "", ""),
]
# fmt: on

_EMOTIONS = {
    "anger": "wütend wut ärgerlich ärgerte ärger sauer zornig zorn verärgert empört",
    "apprehension": "angst ängstlich fürchtete furcht erschrocken erschrak panik nervös besorgt sorge "
    "sorgen peinlich schämte scham unheimlich beunruhigt entsetzt",
    "sadness": "traurig trauer weinte weinen weinten enttäuscht einsam unglücklich verzweifelt",
    "confusion": "verwirrt überrascht erstaunt wunderte unsicher verwundert",
    "happiness": "glücklich froh freute freuten freude fröhlich erleichtert lachte lachten spaß "
    "begeistert zufrieden",
}

_BODY = {
    "head": "kopf gesicht auge augen ohr ohren nase mund lippe lippen zahn zähne haar haare hals stirn",
    "extremities": "arm arme armen hand hände händen finger bein beine beinen fuß füße füßen knie",
    "torso": "brust rücken bauch schulter schultern hüfte busen",
    "anatomy": "herz blut knochen haut gehirn magen",
    "sex_organs": "penis scheide glied",
}

_STOP = words(
    "der die das den dem des ein eine einen einem einer eines und oder aber ich mich mir mein meine "
    "meinen meinem meiner du er ihn ihm sie es wir uns ihr ihre sein seine war waren ist sind hatte "
    "hatten habe hat haben wurde wurden werden wird zu in im ins an am auf aus bei mit nach von vor "
    "zum zur über unter durch für gegen ohne um nicht kein keine dann als wenn weil dass da so auch "
    "noch schon nur sehr wie was wer wo man sich dort hier ganz immer wieder einmal irgendwie etwas "
    "alles traum träumte geträumt plötzlich"
)


def _persons() -> dict[str, PersonNoun]:
    table: dict[str, PersonNoun] = {}
    for line in _PERSONS.strip().splitlines():
        forms, sex, ident, plural = line.split()
        names = forms.split(",")
        for form in names:
            table[form] = PersonNoun(_SEX[sex], _ID[ident], plural == "1", names[0])
    return table


def _verbs() -> dict[str, tuple[InteractionVerb, ...]]:
    table: dict[str, tuple[InteractionVerb, ...]] = {}
    for kind, forms, intensity, needs, flags in _VERBS:
        entry = InteractionVerb(
            kind,
            intensity,
            frozenset(needs.split()),
            reciprocal="reciprocal" in flags,
            possession="possession" in flags,
        )
        for form in forms.split():
            table[form] = (*table.get(form, ()), entry)
    return table


LEXICON = Lexicon(
    language="de",
    dreamer_subject=words("ich"),
    dreamer_object=words("mich mir"),
    dreamer_group=words("wir uns"),
    dreamer_possessive=words("mein meine meinen meinem meiner meines unser unsere unseren unserem"),
    male_pronouns=words("er ihn ihm sein seine seinen seinem seiner"),
    female_pronouns=words("sie ihr ihre ihren ihrem ihrer"),
    plural_pronouns=words("ihnen"),
    subject_pronouns=words("ich wir er sie"),
    relative_pronouns=words("der die das welcher welche"),
    person_nouns=_persons(),
    indefinite_persons={
        "jemand": PersonNoun("indefinite", "uncertain", False, "jemand"),
        "jemanden": PersonNoun("indefinite", "uncertain", False, "jemand"),
    },
    male_names=en.LEXICON.male_names,
    female_names=en.LEXICON.female_names,
    known_modifiers=frozenset(),
    absence_verbs=words("dachte denke erinnerte erzählte sprachen redeten brief"),
    absence_links=words("an von über"),
    known_clause=words("kannte kenne kennen gekannt"),
    search_words=words("suchte suchten gesucht suche"),
    coerce_exempt=frozenset(),
    invite_words=frozenset(),
    gift_words=frozenset(),
    refusal_negations=words("nicht nie niemals"),
    refusal_auxiliaries=frozenset(),
    hedges=words("fast beinahe"),
    speech_verbs=words("sagte sagten fragte antwortete rief schrie"),
    hostile_adverbs=words("wütend böse zornig spöttisch"),
    titles={"herr": "male", "herrn": "male", "frau": "female", "fräulein": "female", "dr": "indefinite"},
    animals=frozenset(_ANIMALS.split()),
    animal_plurals=words(
        "hunde hunden katzen pferde pferden kühe schweine vögel schlangen mäuse ratten spinnen bären "
        "wölfe löwen fische affen affen tiere tieren hasen füchse bienen insekten"
    ),
    creatures=frozenset(_CREATURES.split()),
    creature_plurals=words("gespenster geister hexen drachen"),
    ethnic=words("chinese chinesin türke türkin afrikaner neger ausländer ausländerin italiener russe"),
    dead_markers=words("tote toter toten verstorbene verstorbener verstorbenen"),
    prominent_markers=words("berühmte berühmter berühmten"),
    stranger_markers=words("fremde fremder fremden unbekannte unbekannter unbekannten"),
    indefinite_determiners=words("ein eine einen einem einer eines"),
    definite_determiners=words("der die das den dem des dieser diese diesen diesem"),
    group_determiners=words("zwei drei vier fünf viele einige mehrere alle paar"),
    other_possessives=words("sein seine seinen seinem seiner ihr ihre ihren ihrem ihrer dein deine"),
    simile_markers=words("wie"),
    non_names=words("ich gott"),
    interaction_verbs=_verbs(),
    passive_aux=words("wurde wurden worden werde wird"),
    participles=words("geschlagen gestochen gebissen getreten gefangen gestohlen verfolgt getötet"),
    agent_marker=words("von"),
    negations=words("nicht nie niemals kein keine keinen keiner ohne"),
    clause_openers=words("und aber dann als wenn weil dass da bis nachdem bevor ob oder doch denn während"),
    skip_words=words("auch noch schon gerade plötzlich dann wieder sehr"),
    emotions={w: cls for cls, text in _EMOTIONS.items() for w in text.split()},
    emotion_phrases=phrase_table("confusion: wusste nicht / weiß nicht"),
    indoor=words(
        "haus hause wohnung zimmer küche bad schlafzimmer wohnzimmer flur keller dachboden gebäude raum "
        "saal büro laden geschäft hotel krankenhaus kirche schule klasse klassenzimmer restaurant kneipe "
        "gaststätte bahnhof"
    ),
    outdoor=words(
        "straße straßen wald feld felder wiese garten park strand meer see fluss berg berge stadt dorf "
        "draußen platz hof weg brücke friedhof"
    ),
    ambiguous_places=words("auto zug bus schiff flugzeug boot"),
    familiar_places=words("hause schule kirche büro klasse"),
    place_prepositions=words("in im ins an am auf bei zu zum zur nach aus durch vor hinter neben"),
    unfamiliar_markers=words("fremde fremden fremdes unbekannte unbekannten unbekanntes seltsame seltsamen"),
    home_words=words("hause daheim"),
    success_phrases=phrase_table(
        "success: gelang / geschafft / schaffte / gewann / gewonnen / endlich gefunden / konnte endlich"
    ),
    failure_phrases=phrase_table(
        "failure: scheiterte / gescheitert / vergeblich / vergebens / schaffte es nicht / nicht geschafft"
    ),
    failure_exempt=frozenset(),
    failure_modals=frozenset(),
    failure_actions=frozenset(),
    misfortune_phrases=phrase_table(
        "misfortune: unfall / fiel / stürzte / gestürzt / verletzt / krank / starb / gestorben / tot / "
        "verloren / verirrt / verlaufen / brannte / feuer / zu spät"
    ),
    good_fortune_phrases=phrase_table("good_fortune: glücklicherweise / zum glück / gefunden geld"),
    striving_phrases=phrase_table("striving: versuchte / versuchten / versuche / bemühte / mühe"),
    body_parts={w: cls for cls, text in _BODY.items() for w in text.split()},
    body_part_needs_owner=words("rücken"),
    owner_words=words(
        "mein meine meinen meinem meiner sein seine seinen seinem ihr ihre ihren ihrem den dem die der"
    ),
    valence={
        **{w: (-0.8, 0.9) for w in words("angst panik tot töten getötet blut schrie wütend wut")},
        **{w: (-0.6, 0.4) for w in words("traurig weinte einsam krank dunkel allein")},
        **{w: (0.8, 0.5) for w in words("glücklich froh freude schön lachte liebe spaß")},
    },
    stop_words=_STOP,
    uncodable=(
        "German rules are reduced: the initiator is found before the verb or right after it in a "
        "verb-second clause ('Dann schlug mich der Mann'); longer inverted clauses can miss or misassign it",
        "separable verbs ('griff ... an') are coded from their inflected stem only",
        "'sie' is read as 'she' (not 'they' or polite 'Sie')",
        "names are recognised from the name lists and titles only (German capitalises every noun)",
        "failure after a modal ('konnte die Tür nicht öffnen') is not coded",
    ),
    names_by_case=False,
    verb_second=True,
)
