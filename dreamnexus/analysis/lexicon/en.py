"""English lexicon, written for Dream Nexus from the HVdC coding rules (Hall & Van de Castle 1966)."""

from __future__ import annotations

from dreamnexus.analysis.lexicon.base import (
    InteractionVerb,
    Lexicon,
    PersonNoun,
    phrase_table,
    verb_forms,
    words,
)

_SEX = {"M": "male", "F": "female", "J": "joint", "I": "indefinite"}
_ID = {
    "F": "family",
    "R": "relative",
    "K": "known",
    "P": "prominent",
    "O": "occupational",
    "E": "ethnic",
    "S": "stranger",
    "U": "uncertain",
}

# singular plural sex identity [canonical]; identity is the default when no possessive tells otherwise.
_PERSONS = """
man men M S
woman women F S
boy boys M S
girl girls F S
guy guys M S
fellow fellows M S
gentleman gentlemen M S
lady ladies F S
gal gals F S
lad lads M S
person persons I S
people people I S
child children I S
kid kids I S
baby babies I S
infant infants I S
teenager teenagers I S
adult adults I S
stranger strangers I S
crowd crowds I S
couple couples J S
youngster youngsters I S
customer customers I S
passenger passengers I S
visitor visitors I S
guest guests I S
host hosts M S
hostess hostesses F S
spectator spectators I S
member members I S
player players I S
patient patients I S
audience audiences I S
enemy enemies I S
bandit bandits I O
outlaw outlaws I O
pirate pirates I O
terrorist terrorists I O
crook crooks I O
gang gangs I S
seller sellers I O
vendor vendors I O
peddler peddlers I O
usher ushers I O
leader leaders I O
official officials I O
inspector inspectors I O
operator operators I O
mother mothers F F mother
mom moms F F mother
mommy mommies F F mother
mum mums F F mother
mama mamas F F mother
father fathers M F father
dad dads M F father
daddy daddies M F father
papa papas M F father
parent parents J F parents
brother brothers M F brother
sister sisters F F sister
sibling siblings I F sibling
husband husbands M F husband
wife wives F F wife
son sons M F son
daughter daughters F F daughter
family families J F family
fiance fiances M K
fiancee fiancees F K
grandmother grandmothers F R grandmother
grandma grandmas F R grandmother
granny grannies F R grandmother
grandfather grandfathers M R grandfather
grandpa grandpas M R grandfather
grandparent grandparents J R grandparents
grandson grandsons M R
granddaughter granddaughters F R
grandchild grandchildren I R
aunt aunts F R
auntie aunties F R
uncle uncles M R
cousin cousins I R
niece nieces F R
nephew nephews M R
relative relatives I R
stepmother stepmothers F R
stepfather stepfathers M R
stepbrother stepbrothers M R
stepsister stepsisters F R
mother-in-law mothers-in-law F R
father-in-law fathers-in-law M R
brother-in-law brothers-in-law M R
sister-in-law sisters-in-law F R
in-laws in-laws J R
friend friends I K
boyfriend boyfriends M K
girlfriend girlfriends F K
roommate roommates I K
roomie roomies I K
housemate housemates I K
classmate classmates I K
schoolmate schoolmates I K
neighbor neighbors I K
neighbour neighbours I K
coworker coworkers I K
co-worker co-workers I K
colleague colleagues I K
boss bosses I K
buddy buddies M K
pal pals I K
acquaintance acquaintances I K
date dates I K
lover lovers I K
sweetheart sweethearts I K
ex ex I K
ex-boyfriend ex-boyfriends M K
ex-girlfriend ex-girlfriends F K
ex-husband ex-husbands M K
ex-wife ex-wives F K
teammate teammates I K
partner partners I K
teacher teachers I O
professor professors I O
instructor instructors I O
coach coaches I O
doctor doctors I O
dentist dentists I O
nurse nurses I O
surgeon surgeons I O
therapist therapists I O
policeman policemen M O
policewoman policewomen F O
police police I O
cop cops I O
officer officers I O
detective detectives I O
guard guards I O
soldier soldiers I O
sailor sailors I O
pilot pilots I O
driver drivers I O
waiter waiters M O
waitress waitresses F O
salesman salesmen M O
saleswoman saleswomen F O
salesperson salespeople I O
clerk clerks I O
cashier cashiers I O
secretary secretaries I O
priest priests M O
minister ministers I O
nun nuns F O
rabbi rabbis M O
pastor pastors I O
preacher preachers I O
student students I O
pupil pupils I O
lawyer lawyers I O
judge judges I O
farmer farmers I O
worker workers I O
workman workmen M O
fireman firemen M O
firefighter firefighters I O
mailman mailmen M O
employee employees I O
employer employers I O
manager managers I O
owner owners I O
landlord landlords M O
landlady landladies F O
maid maids F O
butler butlers M O
servant servants I O
cook cooks I O
chef chefs I O
bartender bartenders I O
janitor janitors I O
principal principals I O
scientist scientists I O
artist artists I O
musician musicians I O
singer singers I O
dancer dancers I O
actor actors M O
actress actresses F O
photographer photographers I O
reporter reporters I O
thief thieves I O
robber robbers I O
burglar burglars I O
murderer murderers I O
killer killers I O
criminal criminals I O
gangster gangsters I O
prisoner prisoners I O
hunter hunters I O
cowboy cowboys M O
captain captains I O
sergeant sergeants I O
general generals I O
agent agents I O
attendant attendants I O
receptionist receptionists I O
babysitter babysitters I O
stewardess stewardesses F O
conductor conductors I O
mechanic mechanics I O
king kings M P
queen queens F P
prince princes M P
princess princesses F P
president presidents I P
celebrity celebrities I P
star stars I P
pope popes M P
senator senators I P
governor governors I P
"""

_DETS_SINGLE = words("one the this that")
_GROUP_WORDS = words(
    "two three four five six seven eight nine ten twelve twenty hundred dozen several many some few "
    "these those all both lots bunch group couple number crowd"
)

_MALE_NAMES = words(
    "john james robert michael william david richard joseph thomas charles christopher daniel matthew "
    "anthony mark donald steven steve paul andrew joshua kenneth kevin brian george edward ronald timothy "
    "jason jeffrey jeff ryan jacob gary nicholas nick eric jonathan stephen larry justin scott brandon "
    "benjamin ben samuel sam frank gregory greg raymond ray alexander patrick jack dennis jerry tyler aaron "
    "jose henry adam douglas doug nathan peter zachary kyle walter harold jeremy ethan carl keith roger "
    "gerald christian terry sean arthur austin noah lawrence jesse joe bryan billy bill bob bobby jim jimmy "
    "tom tommy mike dave danny fred freddy ted teddy tony phil philip phillip ralph louis lou howard eugene "
    "russell bruce alan allen harry hank chuck charlie norman ed eddie earl ernest ernie leonard leo martin "
    "marvin melvin herbert herb stanley stan sidney sid victor vincent vince walt wayne willie willy wally "
    "kurt karl hans fritz peter klaus jens jürgen uwe dieter rolf horst wolfgang heinz günter gunter "
    "matt pete rick ricky rich dick randy andy alex max sebastian lukas luke marcus derek travis craig "
    "dale glenn glen gordon roy lee neil dean jay seth todd troy colin ian tim"
)
# Common given names of the mid-twentieth century, when most English DreamBank series were written.
_MALE_NAMES_1900S = words(
    "albert alfred allan alvin angelo archie arnold barry benny bernard bernie bert bradley burt calvin "
    "cecil chester clarence claude clayton clifford clyde conrad curtis cyril darrell dewey dominic don "
    "donny duane dwight elmer emil emmett everett felix floyd francis franklin gene gilbert gus harvey "
    "herman homer horace hubert hugh hugo irving irwin isaac ivan jake jerome joel julius kenny lester "
    "lewis lloyd lonnie lowell luther lyle manuel maurice milton mitchell morris morton mort murray myron "
    "nathaniel oliver orville oscar otis otto percy perry randall reginald reuben roland ronnie rudolph "
    "rudy rufus salvatore saul seymour sherman sheldon sylvester terrence theodore vernon virgil wallace "
    "wendell wilbur wilfred willard woodrow"
)
_FEMALE_NAMES_1900S = words(
    "ada adele agnes alberta alma amelia annette annie antoinette audrey bernice bertha beulah blanche "
    "bonnie carrie cecilia charlotte cora constance della delores dolores dora edna effie elaine eileen "
    "elsie estelle eunice fannie flora florence gertrude geraldine gladys harriet hattie henrietta hilda "
    "ida inez jeanette jeannette jessie josephine juanita lillian lila lois loretta lorraine lottie mabel "
    "mae margie marcia marguerite marian maxine minnie muriel myrtle nellie nettie pauline rhoda roberta "
    "rosemary sadie sylvia thelma theresa velma verna viola wilma winifred charlene sheila carole colleen "
    "darlene arlene jeanne joanne maureen nadine"
)
_FEMALE_NAMES = words(
    "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty margaret "
    "sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah debbie stephanie "
    "rebecca sharon laura cynthia kathleen kathy amy shirley angela helen anna anne ann brenda pamela "
    "pam nicole emma samantha katherine kate katie christine catherine debra rachel carolyn janet "
    "virginia maria heather diane diana julie joyce victoria kelly christina joan evelyn lauren judith "
    "judy olivia megan cheryl martha andrea frances hannah jacqueline ann gloria jean kathryn alice teresa "
    "sara janice doris madison julia grace judy beverly denise marilyn amber danielle rose brittany "
    "diana abigail natalie jane lori alexis tiffany kayla peggy sue sally molly polly jenny jill jo "
    "lucy lucille louise ellen eleanor ruth esther edith ethel irene marie marion marjorie mildred "
    "norma phyllis rita ruby vera wendy yvonne alta merri jasmine dorothea madeline melora arlie bea "
    "angie dahlia liz beth betsy becky meg maggie nora clara greta heidi ingrid ursula gisela monika "
    "sabine petra claudia birgit renate brigitte ute karin gabi gabriele erika hilde christa barb "
    "kim tina gina lynn carla connie dana ella eva gail holly iris ivy june kay leah lena lily mia "
    "nina paula rosa sophie sonia stella tara vicky"
)

_ANIMALS = """
dog dogs puppy puppies cat cats kitten kittens horse horses pony ponies cow cows bull bulls calf calves
pig pigs sheep lamb lambs goat goats chicken chickens hen hens rooster roosters duck ducks goose geese
bird birds eagle eagles hawk hawks owl owls crow crows parrot parrots pigeon pigeons snake snakes
serpent serpents lizard lizards turtle turtles frog frogs toad toads fish fishes shark sharks whale whales
dolphin dolphins mouse mice rat rats rabbit rabbits bunny bunnies squirrel squirrels deer bear bears
wolf wolves fox foxes lion lions tiger tigers leopard leopards elephant elephants monkey monkeys ape apes
gorilla gorillas giraffe giraffes zebra zebras camel camels spider spiders insect insects bug bugs bee
bees wasp wasps ant ants fly flies butterfly butterflies worm worms cockroach cockroaches beetle beetles
alligator alligators crocodile crocodiles bat bats donkey donkeys mule mules animal animals creature
creatures beast beasts pet pets octopus crab crabs lobster lobsters seal seals penguin penguins swan swans
deer buffalo moose raccoon raccoons skunk skunks hamster hamsters mosquito mosquitoes scorpion scorpions
"""
_CREATURES = """
monster monsters ghost ghosts alien aliens vampire vampires zombie zombies witch witches dragon dragons
devil devils demon demons angel angels fairy fairies giant giants dwarf dwarfs elf elves troll trolls
werewolf werewolves unicorn unicorns mermaid mermaids robot robots spirit spirits goblin goblins
"""

# fmt: off
_INTERACTIONS_SPEC: list[tuple[str, str, int, str, str]] = [
    # (kind, verbs, HVdC intensity, required next word, flags)
    ("aggression", "kill|killing|killed murder slay|slew|slain strangle", 8, "", ""),
    ("aggression", "shoot|shot stab hit|hitting punch kick slap beaten|beating attack "
     "assault strike|struck|striking choke bite|bitten|biting push shove "
     "wound hurt torture rape whip spank smash knock scratch pinch "
     "grab|grabbing|grabbed tackle throttle ambush", 7, "", ""),
    ("aggression", "fight|fought|fighting wrestle|wrestling|wrestled battle", 7, "", "reciprocal"),
    ("aggression", "chase pursue hunt trap capture kidnap imprison arrest confine "
     "tie|tying|tied lock|locked|locking corner", 6, "", ""),
    ("aggression", "steal|stole|stolen|stealing rob|robbed|robbing destroy wreck ruin "
     "vandalize smash", 5, "", "possession"),
    ("aggression", "threaten|threatened|threatening menace", 4, "", ""),
    ("aggression", "tell|told|telling", 3, "", "expel"),
    ("aggression", "bawl|bawled|bawling curse|cursed|cursing cuss|cussed|cussing", 2, "", "direct"),
    ("aggression", "tell|told|telling", 2, "", "after:off"),
    ("aggression", "call|called|calling", 2, "", "after:names"),
    ("aggression", "pick|picked|picking", 2, "on", ""),
    ("aggression", "turn|turned|turning", 3, "", "after:down,away"),
    ("aggression", "kick|kicked|kicking throw|threw|thrown|throwing send|sent|sending", 3, "",
     "after:out,away,off"),
    ("aggression", "reject accuse blame order|ordered|ordering command demand "
     "ignore snub expel evict disobey disown exclude shun ostracize jilt", 3, "", ""),
    ("aggression", "fire|fired|firing dump|dumped|dumping", 3, "", "direct"),
    ("aggression", "break|broke|breaking", 3, "up", ""),
    ("aggression", "kid|kidded|kidding boo|booed|booing heckle", 2, "", "direct"),
    ("aggression", "scoff|scoffed jeer|jeered frown|frowned", 2, "at", ""),
    ("aggression", "object|objected|objecting", 2, "to", ""),
    ("aggression", "throw|threw|thrown|throwing hurl|hurled|hurling toss|tossed|tossing "
     "fling|flung|flinging", 7, "", "aim"),
    ("aggression", "hack|hacked|hacking swing|swung|swinging lunge|lunged|lunging", 7, "at", ""),
    ("aggression", "slash|slashed|slashing", 7, "", ""),
    ("aggression", "jump|jumped|jumping", 7, "", "direct"),
    ("aggression", "beat|beating", 7, "up", ""),
    ("aggression", "break|broke|broken|breaking", 5, "", "possession"),
    ("aggression", "suspicious distrustful", 1, "of", ""),
    ("aggression", "berate|berated|berating chide|chided|chiding rebuke|rebuked|rebuking reproach", 2, "",
     ""),
    ("aggression", "envy|envied|envying", 1, "", "direct"),
    ("aggression", "fire|fired|firing", 7, "at", ""),
    ("aggression", "yell|yelled|yelling scream|screamed|screaming shout|shouted|shouting "
     "holler|hollered swear|swore|sworn curse snap|snapped growl|growled", 2, "at", ""),
    ("aggression", "insult criticize criticise scold tease|teased|teasing mock ridicule "
     "taunt humiliate nag|nagged|nagging bully|bullied harass scorn belittle "
     "lecture|lectured reprimand scold|scolded|scolding", 2, "", ""),
    ("aggression", "argue|argued|arguing quarrel|quarreled|quarrelled bicker|bickered", 2, "", "reciprocal"),
    ("aggression", "laugh|laughed|laughing sneer|sneered glare|glared", 2, "at", ""),
    ("aggression", "hate|hated|hating despise resent detest distrust dislike|disliked|disliking", 1, "", ""),
    ("aggression", "argument|arguments quarrel|quarrels", 2, "with", "reciprocal"),
    ("aggression", "rude mean nasty cruel hostile unfriendly sarcastic", 2, "to toward towards", ""),
    ("aggression", "complain|complained|complaining disagree|disagreed", 2, "about to with", ""),
    ("aggression", "let allow|allowed permit|permitted", 3, "", "negated refusal"),
    ("aggression", "like|liked|liking trust|trusted", 1, "", "negated"),
    ("aggression", "fun", 2, "of", ""),
    ("aggression", "lie|lied|lying", 2, "to", ""),
    ("aggression", "punish disapprove cheat|cheated betray desert|deserted abandon reprimand", 3, "", ""),
    ("aggression", "refuse|refused|refusing deny|denied", 3, "", "context"),
    ("aggression", "argument|arguments quarrel|quarrels", 2, "", "reciprocal context"),
    ("aggression", "help|helped listen|listened believe|believed answer|answered speak|spoke|spoken "
     "talk|talked", 3, "",
     "negated refusal context"),
    ("aggression", "make|made|making force|forced", 3, "", "coerce"),
    ("aggression", "kick|kicked|kicking throw|threw|thrown|throwing chase|chased", 3, "out", ""),
    ("aggression", "angry mad furious annoyed irritated", 1, "at with", ""),
    ("aggression", "jealous envious", 1, "of", ""),
    ("friendliness", "marry|married|marrying propose|proposed", 7, "", ""),
    ("friendliness", "hug|hugged|hugging embrace cuddle", 6, "", ""),
    ("friendliness", "help|helped|helping rescue save protect comfort console assist defend "
     "nurse|nursed|nursing", 5, "", ""),
    ("friendliness", "lend|lent|lending offer donate", 4, "", ""),
    ("friendliness", "give|gave|given|giving buy|bought|buying bring|brought|bringing", 4, "", "gift"),
    ("friendliness", "invite welcome", 3, "", ""),
    ("friendliness", "ask|asked|asking take|took|taken|taking", 3, "", "invite"),
    ("friendliness", "greet|greeted|greeting thank praise compliment congratulate encourage "
     "reassure introduce|introduced|introducing forgive|forgave|forgiven", 2, "", ""),
    ("friendliness", "share|shared|sharing", 4, "", ""),
    ("friendliness", "apologize|apologized|apologizing apologise|apologised|apologising", 2, "to", ""),
    ("friendliness", "hello goodbye good-bye", 2, "to", ""),
    ("friendliness", "shake|shook|shaken|shaking", 2, "hands", ""),
    ("friendliness", "care|cared|caring", 5, "of for", ""),
    ("friendliness", "aid|aided|aiding support|supported|supporting", 5, "", "direct"),
    ("friendliness", "pet|petted|petting stroke|stroked|stroking", 6, "", "direct"),
    ("friendliness", "soothe calm|calmed|calming revive", 5, "", "direct"),
    ("friendliness", "hand|handed|handing", 4, "", "gift"),
    ("friendliness", "pat|patted|patting", 6, "", ""),
    ("friendliness", "visit|visited|visiting", 3, "", ""),
    ("friendliness", "smile|smiled|smiling wave|waved|waving wink|winked", 2, "at to", ""),
    ("friendliness", "nice kind friendly sweet", 2, "to", ""),
    ("friendliness", "love|loved|loving admire", 1, "", ""),
    ("sexuality", "kiss|kissed|kissing caress fondle seduce", 3, "", ""),
    ("sexuality", "flirt|flirted|flirting", 1, "with", ""),
]
# fmt: on

_PARTICIPLES = words(
    "hit shot stabbed struck beaten bitten caught stolen thrown held bound kept led taught given lent "
    "told hurt killed slain fought broken burnt burned kissed chased attacked threatened tied locked "
    "seen found sought shown upset"
)

_EMOTIONS = {
    "anger": "angry anger angered angrily mad furious fury rage raged raging enraged annoyed annoying "
    "annoyance irritated irritation irritable resentful resented resentment indignant outraged "
    "exasperated frustrated frustration infuriated livid irate disgusted indignant disgruntled "
    "jealous jealousy envious",
    "apprehension": "afraid scared scary fear feared fearing fearful frightened frightening fright "
    "terrified terrifying terror horrified horror panic panicked panicky anxious anxiety worried worry "
    "worrying nervous nervously uneasy apprehensive dread dreaded alarmed startled shocked "
    "embarrassed embarrassing embarrassment ashamed shame humiliated guilty guilt tense "
    "uncomfortable insecure threatened petrified spooked",
    "sadness": "sad sadly sadness unhappy depressed depressing depression disappointed "
    "disappointing disappointment miserable sorrow sorry grief grieving grieved heartbroken "
    "lonely loneliness gloomy hopeless cried crying cry wept weeping sobbed sobbing tears "
    "despair regret regretted homesick melancholy mourn mourning",
    "confusion": "confused confusing confusion puzzled puzzling bewildered baffled perplexed "
    "surprised surprise surprising amazed astonished astounded stunned wondered wondering "
    "uncertain unsure bewilderment disoriented",
    "happiness": "happy happily happiness glad gladly joy joyful joyous pleased pleasant "
    "delighted delight relieved relief thrilled excited excitement elated cheerful contented "
    "satisfied grateful proud ecstatic",
}
_EMOTION_PHRASES = """
confusion: didn't know what / did not know what / couldn't understand / could not understand / not sure what
apprehension: afraid of / scared of / in a panic
happiness: good time / had fun
"""

_PLACES_INDOOR = """
house houses home room rooms bedroom bedrooms kitchen bathroom bath living dining hallway hall corridor
basement attic cellar apartment flat dorm dormitory building buildings office offices classroom class
store shop supermarket mall restaurant cafe cafeteria bar pub hotel motel hospital church chapel
temple theater theatre cinema museum library gym gymnasium lobby elevator closet garage barn
factory warehouse castle palace mansion cabin cottage hut tent lab laboratory auditorium studio
ward prison jail courtroom station terminal airport bank school college university
"""
_PLACES_OUTDOOR = """
street streets road roads highway sidewalk path trail field fields meadow farm yard backyard garden
park forest woods wood jungle beach shore coast ocean sea lake river stream creek pond pool mountain
mountains hill hills valley desert island outside outdoors outdoor sky countryside country cliff
cave bridge parking lot playground campus cemetery graveyard square plaza alley corner downtown city
town village lawn porch balcony roof rooftop dock pier harbor harbour swamp waterfall canyon
"""
_PLACES_AMBIGUOUS = """
car cars bus train plane airplane boat ship subway taxi truck van elevator place somewhere
"""
_FAMILIAR_PLACES = words("home school church office class college university work dorm campus")

_SUCCESS = """
success: managed to / succeeded / succeed / was able to / were able to / finally got / finally made
success: made it to / made it home / made it back / made it in / won / solved / accomplished / achieved
success: figured out / finally found / got away / escaped / succeeded in / finally reached / finally caught
success: could finally / finally managed / finally able / did it / been able to / reached the top
success: reached the shore / reached the summit / caught him / caught her / caught it
success: finally opened / finally convinced / finally escaped / finally solved
success: got the job / passed the test / passed the exam / passed my / fixed it / got it open / got it started
success: caught the fish / caught a fish / finally did / finally succeeded / finally won / finally fixed
"""
_FAILURE = """
failure: was unable / were unable / wasn't able / weren't able / am unable / failed / fail / failing
failure: didn't manage / gave up / give up / lost the game / lost the race / lost the match / missed the shot
failure: flunked / in vain / vainly / didn't succeed / did not succeed / didn't work / did not work
failure: prevented me / wouldn't be able / won't be able / not be able
"""
# "couldn't X" is a failure only when X is something striven for, not a thought, a perception or a state.
_FAILURE_ACTIONS = words(
    "find get open reach move stop catch escape run climb go fix finish start lift push pull dial call "
    "park win answer walk close jump swim drive hold carry turn unlock lock wake save pass take buy "
    "get break enter leave return convince persuade keep lift load start light shut fit solve "
    "do land steer control pay read write play sing perform locate contact"
)
_FAILURE_EXEMPT = words(
    "believe understand remember recall tell imagine help wait stand think recognize figure see hear "
    "decide say explain describe quite really make notice realize realise know feel"
)
_MISFORTUNE = """
misfortune: accident / crashed / crash / collided / injured / wounded / bleeding / bled / died / dying
misfortune: dead / drowned / drowning / fell / falling / fall down / tripped / slipped / sick / ill
misfortune: broke my / broke his / broke her / got lost / was lost / were lost / lost my / lost our
misfortune: stuck / trapped / late / missed the / missing / on fire / burned down / flood / earthquake
misfortune: storm / ran out of / broke down / disease / cancer / poisoned / choking / lost his / lost her
"""
_GOOD_FORTUNE = """
good_fortune: lucky / luckily / fortunately / found money / won the lottery / won a prize / inherited
good_fortune: by chance / a gift / a present / jackpot
"""
_STRIVING = """
striving: tried to / try to / trying to / attempted / attempt to / struggled / struggling / tried hard
striving: tried my best / doing my best / worked hard / working hard / made an effort
"""

_BODY_PARTS = {
    "head": "head heads face faces eye eyes eyebrow eyebrows ear ears nose noses mouth mouths lip lips "
    "tooth teeth tongue hair cheek cheeks chin forehead jaw neck throat scalp beard mustache moustache",
    "extremities": "arm arms hand hands finger fingers thumb thumbs fingernail fingernails nail nails "
    "wrist wrists elbow elbows leg legs knee knees foot feet toe toes ankle ankles thigh thighs heel "
    "heels fist fists palm palms shin shins",
    "torso": "chest back backs stomach stomachs belly tummy waist hip hips shoulder shoulders abdomen "
    "torso breast breasts bosom buttocks butt rear ribs side navel body bodies lap",
    "anatomy": "heart hearts brain brains lung lungs liver kidney kidneys bone bones skull skeleton "
    "intestine intestines guts vein veins artery muscle muscles spine nerve nerves organ organs "
    "skin flesh blood womb uterus bladder",
    "sex_organs": "penis genitals genital vagina testicles crotch groin vulva",
}
# Words that are body parts only when owned: "go back", "a chest of drawers", "ten feet away".
_NEEDS_OWNER = words(
    "back side rear chest organ heart hands hand nail nails palm palms heel heels foot feet body bodies lap"
)
_OWNER_WORDS = words("my his her their our your its one's the")

_VALENCE = """
1.0 0.6: wonderful beautiful love loved lovely happy happiness joy joyful delighted delight great
0.8 0.5: glad pleased enjoy enjoyed fun nice good pretty friendly kind kindly laugh laughed laughing
0.7 0.3: relieved relief calm peaceful safe comfortable warm gentle sweet smile smiled smiling
0.7 0.7: excited exciting thrilled elated ecstatic celebrate celebrating party won win winning
0.5 0.3: hug hugged kiss kissed friend friends help helped helping gift present beauty
-0.6 0.5: sad unhappy lonely cried crying tears disappointed sorry lost miss missed alone gloomy
-0.8 0.9: afraid scared frightened terrified terror horror horrified panic panicked fear feared
-0.7 0.8: angry mad furious rage hate hated yelled screaming screamed scream shouted fight fought
-0.9 0.9: kill killed murder murdered dead death died dying blood bleeding shot stabbed attacked
-0.5 0.6: worried nervous anxious embarrassed ashamed guilty confused strange weird upset trouble
-0.6 0.7: chased chasing hurt pain injured accident crash fell falling broke broken fire burning
-0.4 0.3: dark cold empty tired sick ill late ugly dirty
0.3 0.2: home family mother father sun flowers music dance dancing garden
"""

_STOP = words(
    "a an the and or but if then so as at by for from in into of on onto to up with without about "
    "above after again against all am are aren't be because been before being below between both "
    "can could couldn't did didn't do does doesn't doing don't down during each few further had "
    "hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him "
    "himself his how i i'd i'll i'm i've is isn't it it's its itself let's me more most my myself "
    "no nor not off once only other ought our ours ourselves out over own same she she'd she'll "
    "she's should shouldn't some such than that that's their theirs them themselves there there's "
    "these they they'd they'll they're they've this those through too under until very was wasn't we "
    "we'd we'll we're we've were weren't what what's when where which while who whom why would "
    "wouldn't you your yours yourself just like also still even really seemed seem seems went go going "
    "got get gets came come coming said say says saw see told tell know knew think thought felt feel "
    "something someone somebody anything everything nothing thing things way back around away one "
    "dream dreamed dreamt dreaming remember remembered woke wake began started looked look looking "
    "suddenly next time asked took made make lot kind sort much many well yes oh okay ok"
)

_NON_NAMES = words(
    "i i'm i'd i'll i've god lord christmas easter monday tuesday wednesday thursday friday saturday "
    "sunday january february march april may june july august september october november december "
    "english american german french spanish italian chinese japanese mexican indian irish "
    "then when suddenly after before while there the a an it this that we they he she and but so "
    "oh well mr mrs ms dr miss st mt tv dreamer"
)


def _persons() -> dict[str, PersonNoun]:
    table: dict[str, PersonNoun] = {}
    for line in _PERSONS.strip().splitlines():
        parts = line.split()
        singular, plural, sex, ident = parts[:4]
        canonical = parts[4] if len(parts) > 4 else singular
        table[singular] = PersonNoun(_SEX[sex], _ID[ident], singular in ("people", "police"), canonical)
        if plural != singular or singular in ("people", "police"):
            table[plural] = PersonNoun(_SEX[sex], _ID[ident], True, canonical)
    return table


def _after_words(flags: str) -> frozenset[str]:
    """ "after:down,away" -> {"down", "away"}: the particles that must follow the person object."""
    _, marker, rest = flags.partition("after:")
    return frozenset(rest.split()[0].split(",")) if marker else frozenset()


def _interactions() -> dict[str, tuple[InteractionVerb, ...]]:
    table: dict[str, tuple[InteractionVerb, ...]] = {}
    for kind, verbs, intensity, needs, flags in _INTERACTIONS_SPEC:
        entry = InteractionVerb(
            kind,
            intensity,
            frozenset(needs.split()),
            reciprocal="reciprocal" in flags,
            possession="possession" in flags,
            negated_only="negated" in flags,
            context="context" in flags,
            coerce="coerce" in flags,
            invite="invite" in flags,
            gift="gift" in flags,
            refusal="refusal" in flags,
            direct="direct" in flags,
            aim="aim" in flags,
            expel="expel" in flags,
            after=_after_words(flags),
        )
        for spec in verbs.split():
            for form in verb_forms(spec):
                table[form] = (*table.get(form, ()), entry)
    return table


def _emotions() -> dict[str, str]:
    return {word: cls for cls, text in _EMOTIONS.items() for word in text.split()}


def _valence() -> dict[str, tuple[float, float]]:
    table: dict[str, tuple[float, float]] = {}
    for line in _VALENCE.strip().splitlines():
        head, _, rest = line.partition(":")
        val, aro = (float(x) for x in head.split())
        for word in rest.split():
            table[word] = (val, aro)
    return table


def _body_parts() -> dict[str, str]:
    return {word: cls for cls, text in _BODY_PARTS.items() for word in text.split()}


def _animal_plurals(text: str) -> frozenset[str]:
    tokens = text.split()
    return frozenset(
        t for t in tokens if t.endswith("s") and t[:-1] in tokens or t in ("mice", "geese", "wolves")
    )


LEXICON = Lexicon(
    language="en",
    dreamer_subject=words("i i'm i'd i'll i've"),
    dreamer_object=words("me myself"),
    dreamer_group=words("we we're we've we'd we'll us ourselves"),
    dreamer_possessive=words("my our mine"),
    male_pronouns=words("he he's he'd he'll him his himself"),
    female_pronouns=words("she she's she'd she'll her hers herself"),
    plural_pronouns=words("they they're they've they'd they'll them themselves"),
    subject_pronouns=words(
        "i i'm i'd i'll i've we we're we've we'd we'll he he's he'd he'll she she's "
        "she'd she'll they they're they've they'd they'll"
    ),
    relative_pronouns=words("who whom that which"),
    person_nouns=_persons(),
    indefinite_persons={
        "someone": PersonNoun("indefinite", "uncertain", False, "someone"),
        "somebody": PersonNoun("indefinite", "uncertain", False, "someone"),
    },
    male_names=_MALE_NAMES | _MALE_NAMES_1900S,
    female_names=_FEMALE_NAMES | _FEMALE_NAMES_1900S,
    # "a boy I'm dating", "the boy I am engaged to", "some boy that I work with", "the fellow I was
    # going with", "a fellow I played with": a relationship the dreamer has with the person
    known_clause=words(
        "know knew known met recognized recognize recognised dated date dating used go going gone went "
        "work works working worked grew liked engaged pinned associate associated played live lived "
        "roomed friends"
    ),
    absence_verbs=words(
        "think thinking thought talk talking talked speak speaking spoke remember remembered remind "
        "reminded dream dreamed dreamt wonder wondered worry worried wrote write writing heard hear "
        "letter letters news"
    ),
    absence_links=words("of about from"),
    known_modifiers=words(
        "fraternity frat sorority club team teammate lodge church army navy dorm dormitory"
    ),
    search_words=words("search searched searching hunt hunted hunting seek sought"),
    look_words=words("look looks looked looking"),
    look_search_particles=words("for around everywhere through under behind all high"),
    temporal_openers=words("when as until after while"),
    invite_words=words(
        "out over along dance dancing date dinner lunch join marry come stay visit party movies show home "
        "swimming skating"
    ),
    gift_words=words(
        "gift gifts present presents ring rings money dollars flowers flower candy ride kiss hug job tickets "
        "ticket food drink drinks dinner lunch cookies cake chocolates jewelry necklace bracelet loan "
        "advice hand"
    ),
    refusal_negations=words("wouldn't won't didn't refused refuses never"),
    refusal_auxiliaries=words("would did will"),
    hedges=words("almost nearly avoid avoided avoiding"),
    hypothetical_modals=words("might may could should ought must gonna whether if"),
    hypothetical_intents=words(
        "going about ready willing want wants wanted wish wished wishing preparing prepared planning "
        "planned plan intend intended intending afraid scared expect expected expecting"
    ),
    hypothetical_before_being=words("or of"),
    aim_markers=words("at"),
    injury_passives=words("hurt injured struck broken"),
    accident_words=words(
        "accident accidents crash crashed wreck wrecked collision explosion exploded lightning avalanche "
        "earthquake flood storm tornado hurricane"
    ),
    play_markers=words("playfully jokingly teasingly jestingly play playing fun game"),
    search_particles=words("for"),
    motion_prepositions=words("through past across along toward towards ahead forward around into onto"),
    membership_links=words("in at of on"),
    membership_places=words(
        "dorm dormitory class classes school office team fraternity sorority club church neighborhood "
        "floor unit company platoon squad hometown department house lab laboratory section crowd gang party"
    ),
    bare_membership_places=words("school work college class church camp dorm office"),
    copulas=words("is are was were been"),
    peer_groups=words("girls boys fellows guys kids gang"),
    named_places=words(
        "road rd street st avenue ave boulevard blvd drive lane field store shop school high hall building "
        "gymnasium gym campus college university u company co church park theater theatre hotel hospital "
        "club library stadium station bridge county state square"
    ),
    event_nouns=words("date"),
    event_verbs=words(
        "have has had having get gets got getting make made making on from for want wanted wants find "
        "arrange arranged"
    ),
    partner_nouns=words("girlfriend boyfriend fiance fiancee sweetheart date lover steady"),
    generic_persons=words("man woman boy girl guy fellow gentleman lady gal lad person"),
    anaphoric_determiners=words("the this that"),
    distinct_markers=words("other another second third fourth new different next"),
    effort_adverbs=words("finally eventually"),
    irregular_achievements=words(
        "got made found caught won beat broke shot hit swam brought bought built held kept sold "
        "fought dug drove rode climbed"
    ),
    effort_exempt=words(
        "woke awoke awakened realized realised noticed understood fell died decided gave left stopped ended "
        "ceased disappeared saw heard learned remembered recognized turned came went returned "
        "collapsed fainted sat stood lay slept ate seemed looked appeared happened asked said told answered "
        "agreed arrived crashed took tried reappeared"
    ),
    non_gifts=words(
        "look looks glance stare smile push shove kick punch slap shot injection test exam examination "
        "lecture speech talk call order orders instructions directions form forms paper papers assignment "
        "homework warning signal nod wink answer chance choice time trouble headache scare start fright "
        "lift hint idea impression feeling name number address message confidence courage hope grade"
    ),
    expel_phrases=frozenset(
        {
            "leave",
            "get out",
            "go away",
            "get away",
            "shut up",
            "be quiet",
            "keep quiet",
            "get lost",
            "stay away",
            "keep away",
            "scram",
        }
    ),
    speech_verbs=words(
        "said say says told tell asked replied answered shouted yelled screamed exclaimed remarked snapped "
        "spoke called retorted muttered demanded"
    ),
    hostile_adverbs=words(
        "angrily sharply sarcastically rudely furiously coldly harshly bitterly crossly nastily mockingly "
        "scornfully indignantly accusingly contemptuously menacingly"
    ),
    coerce_exempt=words(
        "a an the feel felt think laugh smile cry wonder realize happy sad angry nervous sick sure aware "
        "want so very more less it love friends fun up out sense"
    ),
    titles={
        "mr": "male",
        "mister": "male",
        "sir": "male",
        "mrs": "female",
        "ms": "female",
        "miss": "female",
        "madam": "female",
        "dr": "indefinite",
        "prof": "indefinite",
        "aunt": "female",
        "uncle": "male",
    },
    animals=frozenset(_ANIMALS.split()),
    animal_plurals=_animal_plurals(_ANIMALS) | words("deer sheep fish"),
    creatures=frozenset(_CREATURES.split()),
    creature_plurals=_animal_plurals(_CREATURES),
    ethnic=words(
        "black negro chinese japanese mexican indian african asian oriental arab arabian jewish "
        "italian german french irish russian puerto cuban korean vietnamese eskimo gypsy hispanic "
        "latino foreign foreigner"
    ),
    dead_markers=words("dead deceased late died"),
    prominent_markers=words("famous celebrity"),
    stranger_markers=words("strange unknown unfamiliar unidentified anonymous mysterious"),
    indefinite_determiners=words("a an another"),
    definite_determiners=_DETS_SINGLE,
    group_determiners=_GROUP_WORDS,
    other_possessives=words("his her their your its"),
    simile_markers=words("like as"),
    non_names=_NON_NAMES,
    interaction_verbs=_interactions(),
    passive_aux=words("was were got get gets getting been being is are am be"),
    participles=_PARTICIPLES,
    agent_marker=words("by"),
    negations=words(
        "not never no n't didn't don't doesn't wasn't weren't couldn't wouldn't won't nobody "
        "nor neither without isn't aren't hadn't haven't cannot can't"
    ),
    clause_openers=words(
        "and but then when while because so as until after before if though although "
        "since whereupon where or yet"
    ),
    skip_words=words(
        "also just still even really then suddenly finally almost nearly immediately again "
        "all both quickly slowly hard back up down out off over away around about"
    ),
    emotions=_emotions(),
    emotion_phrases=phrase_table(_EMOTION_PHRASES),
    indoor=frozenset(_PLACES_INDOOR.split()),
    outdoor=frozenset(_PLACES_OUTDOOR.split()),
    ambiguous_places=frozenset(_PLACES_AMBIGUOUS.split()),
    familiar_places=_FAMILIAR_PLACES,
    place_prepositions=words(
        "in at into inside on onto through to toward towards near from outside "
        "behind across along around within into down up by"
    ),
    unfamiliar_markers=words("strange unfamiliar unknown foreign weird odd new different"),
    home_words=words("home"),
    success_phrases=phrase_table(_SUCCESS),
    failure_phrases=phrase_table(_FAILURE),
    failure_exempt=_FAILURE_EXEMPT,
    failure_modals=words("couldn't can't cannot could"),
    failure_actions=_FAILURE_ACTIONS,
    misfortune_phrases=phrase_table(_MISFORTUNE),
    good_fortune_phrases=phrase_table(_GOOD_FORTUNE),
    striving_phrases=phrase_table(_STRIVING),
    body_parts=_body_parts(),
    body_part_needs_owner=_NEEDS_OWNER,
    owner_words=_OWNER_WORDS,
    valence=_valence(),
    stop_words=_STOP,
)
