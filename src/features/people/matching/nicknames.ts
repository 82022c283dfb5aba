import { normaliseName } from './normalise.ts';

/**
 * Forename groups in common UK usage: the first name of each group is its canonical form, the rest are short forms,
 * pet forms and spellings people are known by. A name may sit in several groups (Chris is Christopher or Christine;
 * Sam is Samuel or Samantha), so lookups answer with every group. Names are stored normalised (lower case, ASCII).
 *
 * The table links names people are recorded under interchangeably (Bill for William, Peggy for Margaret). It leaves
 * out cognates used as names in their own right (Ian, Sean, Seamus for John; Megan for Margaret): a false link joins
 * strangers, and a coordinator confirms every link anyway. Spelling variants are listed where common.
 */
export const FORENAME_GROUPS: readonly (readonly string[])[] = [
  // Men's names
  ['john', 'jon', 'johnny', 'johnnie', 'jonny', 'jack'],
  ['jonathan', 'jon', 'jonny', 'johnny', 'jonathon'],
  ['jack', 'jackie', 'jacky', 'jak'],
  ['william', 'will', 'willie', 'willy', 'bill', 'billy', 'liam', 'wills'],
  ['robert', 'rob', 'robbie', 'robby', 'bob', 'bobby', 'bert'],
  ['david', 'dave', 'davey', 'davie', 'davy', 'dai', 'dafydd'],
  ['michael', 'mike', 'mikey', 'mick', 'micky', 'mickey', 'mic', 'mich'],
  ['thomas', 'tom', 'tommy', 'tommie', 'thom', 'tam'],
  ['james', 'jim', 'jimmy', 'jimmie', 'jamie', 'jem', 'jas'],
  ['christopher', 'chris', 'kit', 'topher', 'kris', 'christoper'],
  ['alexander', 'alex', 'alec', 'alek', 'al', 'alasdair', 'alastair', 'alistair', 'sandy', 'xander', 'lex', 'sasha'],
  ['samuel', 'sam', 'sammy', 'sammie'],
  ['daniel', 'dan', 'danny', 'dannie'],
  ['stephen', 'steve', 'steven', 'stevie', 'steph', 'stephan', 'stefan'],
  ['nicholas', 'nick', 'nicky', 'nico', 'nicolas', 'nik', 'niki'],
  ['anthony', 'tony', 'ant', 'antony', 'anton'],
  ['andrew', 'andy', 'drew', 'andie', 'andi'],
  ['joseph', 'joe', 'joey', 'jo', 'jos'],
  ['patrick', 'pat', 'paddy', 'patsy', 'pate'],
  ['benjamin', 'ben', 'benny', 'benji', 'benjy'],
  ['matthew', 'matt', 'matty', 'mat', 'mathew'],
  ['joshua', 'josh', 'joss'],
  ['henry', 'harry', 'hal', 'hank', 'hen'],
  ['harold', 'harry', 'hal', 'harri'],
  ['charles', 'charlie', 'chas', 'chaz', 'chuck', 'charley'],
  ['edward', 'ed', 'eddie', 'eddy', 'ted', 'teddy', 'ned', 'neddy'],
  ['edmund', 'ed', 'eddie', 'ned', 'ted', 'edmond'],
  ['edwin', 'ed', 'eddie', 'win'],
  ['frederick', 'fred', 'freddie', 'freddy', 'fredrick', 'frederic', 'fritz'],
  ['gerald', 'gerry', 'ged', 'jerry', 'gerard', 'gez'],
  ['terence', 'terry', 'tel', 'terrance', 'terrence'],
  [
    'mohammed',
    'mohammad',
    'muhammad',
    'muhammed',
    'mohamed',
    'mohamad',
    'mohammod',
    'mahomed',
    'mo',
    'moe',
    'mohd',
    'md',
  ],
  ['richard', 'rich', 'richie', 'ritchie', 'rick', 'ricky', 'dick', 'dickie', 'rik'],
  ['peter', 'pete', 'petey'],
  ['paul', 'pauly', 'paulie'],
  ['mark', 'marc', 'marky', 'marcus'],
  ['kenneth', 'ken', 'kenny', 'kennie'],
  ['leonard', 'len', 'lenny', 'leo'],
  ['ronald', 'ron', 'ronnie', 'ronny'],
  ['donald', 'don', 'donnie', 'donny'],
  ['raymond', 'ray', 'raymund'],
  ['lawrence', 'laurence', 'larry', 'laurie', 'lol', 'lawrie'],
  ['philip', 'phil', 'phillip', 'pip', 'flip'],
  ['timothy', 'tim', 'timmy', 'timmie'],
  ['gregory', 'greg', 'gregg', 'grig'],
  ['jeffrey', 'jeff', 'geoff', 'geoffrey', 'jeffery'],
  ['nathaniel', 'nat', 'nate', 'nathan', 'natty'],
  ['douglas', 'doug', 'dougie', 'duggie'],
  ['kevin', 'kev', 'kevvy'],
  ['gary', 'gaz', 'garry', 'garey'],
  ['barry', 'baz', 'barrie'],
  ['darren', 'daz', 'darran'],
  ['sebastian', 'seb', 'bastian', 'sebbie'],
  ['oliver', 'ollie', 'olly', 'noll'],
  ['frank', 'frankie', 'francis', 'fran'],
  ['francis', 'frank', 'frankie', 'fran', 'francesco', 'franco'],
  ['gabriel', 'gabe', 'gabby'],
  ['vincent', 'vince', 'vinny', 'vin'],
  ['walter', 'walt', 'wally', 'wat'],
  ['albert', 'al', 'bert', 'bertie', 'albie'],
  ['herbert', 'herb', 'bert', 'bertie'],
  ['archibald', 'archie', 'archy', 'baldie'],
  ['alfred', 'alf', 'alfie', 'fred', 'freddie'],
  ['arthur', 'art', 'artie', 'arty'],
  ['bernard', 'bernie', 'barney', 'bern'],
  ['cameron', 'cam', 'cammy'],
  ['callum', 'cal', 'calum'],
  ['derek', 'del', 'dez', 'derrick', 'deric'],
  ['desmond', 'des', 'dessie', 'dez'],
  ['dominic', 'dom', 'dominick', 'dominik'],
  ['gordon', 'gordie', 'gord'],
  ['graham', 'gray', 'grahame', 'graeme'],
  ['ian', 'iain', 'ean'],
  ['malcolm', 'mal', 'malc'],
  ['martin', 'marty', 'mart'],
  ['maurice', 'mo', 'morris', 'moss'],
  ['nigel', 'nige', 'nidge'],
  ['reginald', 'reg', 'reggie', 'rex'],
  ['stanley', 'stan', 'stanny'],
  ['stuart', 'stu', 'stewart'],
  ['theodore', 'theo', 'ted', 'teddy'],
  ['zachary', 'zach', 'zack', 'zak', 'zac'],
  ['aidan', 'aiden', 'ayden', 'aden'],
  ['adrian', 'ade', 'adie'],
  ['jacob', 'jake', 'jakob', 'jacky', 'jay'],
  ['luke', 'lucas', 'luc'],
  ['kieran', 'kieron', 'ciaran', 'keiran'],
  ['connor', 'conor', 'con'],
  ['declan', 'dec', 'deccy'],
  ['lewis', 'louis', 'lou', 'louie'],
  ['ahmed', 'ahmad', 'ahmet', 'ahmid'],
  ['abdul', 'abdool', 'abdoul'],
  ['yusuf', 'yousef', 'youssef', 'yosef'],
  ['ibrahim', 'ebrahim', 'ibraheem'],
  ['tyrone', 'ty'],
  ['wayne', 'waine'],
  ['jason', 'jase', 'jay'],
  ['cyril', 'cy'],
  // Women's names
  [
    'elizabeth',
    'liz',
    'lizzie',
    'lizzy',
    'liza',
    'eliza',
    'beth',
    'betty',
    'bette',
    'betsy',
    'bess',
    'bessie',
    'libby',
    'lisa',
    'elisabeth',
    'elspeth',
    'lilibet',
  ],
  [
    'catherine',
    'kate',
    'katie',
    'katy',
    'kat',
    'cathy',
    'cath',
    'kathy',
    'kath',
    'katherine',
    'kathryn',
    'katharine',
    'kathleen',
    'cate',
    'kitty',
    'kay',
    'kathrine',
  ],
  ['susan', 'sue', 'susie', 'suzy', 'suzie', 'suzanne', 'susannah', 'susanna', 'suzannah', 'suzan'],
  [
    'christine',
    'chris',
    'chrissie',
    'chrissy',
    'christina',
    'kristina',
    'kristine',
    'tina',
    'kirsty',
    'kirsten',
    'christie',
  ],
  ['alexandra', 'alex', 'alexa', 'alix', 'lexi', 'lexie', 'sandra', 'sandy', 'sasha', 'alessandra'],
  ['samantha', 'sam', 'sammy', 'sammie'],
  ['joanne', 'jo', 'joanna', 'joan', 'jojo', 'joann', 'joanie'],
  ['josephine', 'jo', 'josie', 'josey', 'jose', 'fifi', 'posy'],
  [
    'margaret',
    'maggie',
    'mags',
    'meg',
    'peggy',
    'peg',
    'maggy',
    'marge',
    'margie',
    'madge',
    'greta',
    'rita',
    'margo',
    'margot',
    'mairead',
    'marguerite',
  ],
  ['abigail', 'abi', 'abby', 'abbie', 'abbey', 'gail'],
  ['rebecca', 'becky', 'becca', 'bex', 'becki', 'beckie', 'rebekah', 'reba'],
  ['victoria', 'vicky', 'vicki', 'vickie', 'vic', 'tori', 'tory'],
  ['patricia', 'pat', 'patty', 'patti', 'trish', 'tricia', 'trisha', 'patsy'],
  ['charlotte', 'charlie', 'lottie', 'lotte', 'charley', 'carly'],
  ['eleanor', 'ellie', 'elly', 'ella', 'nell', 'nellie', 'elinor', 'eleanore', 'elena', 'nora', 'norah', 'leonora'],
  ['ellen', 'ellie', 'nell', 'nellie', 'ella'],
  ['helen', 'ellie', 'nell', 'nellie', 'helena', 'lena', 'elaine', 'ellen'],
  ['jennifer', 'jenny', 'jen', 'jenni', 'jennie', 'jenna'],
  ['deborah', 'debbie', 'deb', 'debs', 'debra', 'debby'],
  ['amanda', 'mandy', 'manda', 'mand'],
  ['kimberley', 'kim', 'kimberly', 'kimmy'],
  ['theresa', 'terry', 'tess', 'tessa', 'terri', 'teresa', 'tessie'],
  ['geraldine', 'gerry', 'geri', 'jerry'],
  ['mary', 'molly', 'polly', 'mae', 'may', 'mamie', 'marie', 'maria'],
  ['sarah', 'sara', 'sally', 'sadie', 'sal', 'zara'],
  ['ann', 'anne', 'anna', 'annie', 'nan', 'nancy'],
  ['caroline', 'carol', 'carole', 'carrie', 'caro', 'lina', 'carolyn'],
  ['dorothy', 'dot', 'dotty', 'dottie', 'dolly', 'dora', 'thea'],
  ['jacqueline', 'jackie', 'jacky', 'jacqui', 'jacquie', 'jaq'],
  ['jessica', 'jess', 'jessie', 'jessy', 'jessa'],
  ['nicola', 'nicky', 'nikki', 'nic', 'nicole', 'nichola', 'nikky'],
  ['stephanie', 'steph', 'stef', 'stevie', 'steffi', 'stephie'],
  ['katrina', 'trina', 'kat', 'katie', 'catrina'],
  ['louise', 'lou', 'lulu', 'louisa', 'lou lou', 'weezy'],
  ['lucy', 'lucille', 'lucinda', 'lu', 'luce'],
  ['cynthia', 'cindy', 'cyn'],
  ['frances', 'fran', 'frankie', 'fanny', 'francesca', 'franny', 'frannie'],
  ['gillian', 'gill', 'gilly', 'jill', 'jillian', 'gillie'],
  ['janet', 'jan', 'jenny', 'netty', 'janette', 'jeanette'],
  ['jane', 'janey', 'jayne', 'jean', 'janie', 'jeanie'],
  ['judith', 'judy', 'jude', 'judi', 'judie'],
  ['julia', 'julie', 'jules', 'juliet', 'julianne', 'juliana', 'juliette'],
  ['kerry', 'keri', 'kerrie', 'kez'],
  ['leanne', 'lee', 'leigh', 'leann', 'lianne', 'leanna'],
  ['lesley', 'leslie', 'les', 'lez'],
  ['madeleine', 'maddie', 'maddy', 'madeline', 'madelyn', 'madge', 'lena'],
  ['natalie', 'nat', 'natty', 'nattie', 'natalia', 'nata'],
  ['pamela', 'pam', 'pammy'],
  ['penelope', 'penny', 'pen', 'poppy'],
  ['philippa', 'pippa', 'pip', 'phil', 'phillipa', 'philipa'],
  ['rosemary', 'rose', 'rosie', 'rosy', 'ro', 'rosa'],
  ['sandra', 'sandy', 'sandie', 'sandi'],
  ['sharon', 'shaz', 'shazza', 'sharron'],
  ['sophie', 'sophia', 'soph', 'sofia', 'sophy'],
  ['valerie', 'val', 'vally'],
  ['wendy', 'wend', 'gwendolyn', 'gwen'],
  ['yvonne', 'vonnie', 'von', 'evonne'],
  ['zoe', 'zoey', 'zoie'],
  ['hannah', 'hanna', 'han', 'annie'],
  ['lorraine', 'lori', 'laurie', 'rainey'],
  ['lauren', 'laura', 'laurie', 'lori', 'loz', 'lozza'],
  ['emily', 'em', 'emmy', 'milly', 'millie', 'emilia'],
  ['emma', 'em', 'emmy', 'emmie'],
  ['amelia', 'amy', 'millie', 'milly', 'emilia', 'amelie'],
  ['olivia', 'liv', 'livvy', 'livia', 'ollie'],
  ['isabel', 'isabella', 'isobel', 'izzy', 'izzie', 'bella', 'belle', 'ishbel', 'isabelle', 'issy'],
  ['georgina', 'georgia', 'george', 'georgie', 'gina'],
  ['angela', 'angie', 'ange', 'angelina', 'angelica'],
  ['barbara', 'barb', 'babs', 'barbie', 'bobbie'],
  ['beverley', 'bev', 'beverly'],
  ['bridget', 'bridie', 'biddy', 'brigid', 'bridgette', 'bridgit', 'bride'],
  ['clare', 'claire', 'clara', 'clair', 'clarissa'],
  ['donna', 'don', 'donnie'],
  ['fatima', 'fatimah', 'fatma', 'fatemeh', 'fati'],
  ['aisha', 'ayesha', 'aysha', 'aishah', 'ayisha'],
  ['siobhan', 'shiv', 'shivaun', 'chevonne', 'shevaun'],
  ['veronica', 'ronnie', 'ronni', 'nica'],
  ['agnes', 'aggie', 'nessa', 'nessie', 'senga'],
  ['cheryl', 'cher', 'sheryl', 'cherie', 'cheri'],
  ['denise', 'dee', 'niecy', 'denice'],
  ['diana', 'di', 'diane', 'dianne'],
  ['dolores', 'lola', 'dolly'],
  ['elaine', 'lainey', 'laine'],
  ['shirley', 'shirl', 'shir'],
  ['gwendolyn', 'gwen', 'wendy', 'gwenda', 'gwendoline'],
  ['heather', 'heth'],
  ['karen', 'karin', 'caren', 'karyn', 'kaz', 'kazza'],
];

/** Normalised forename → the canonical names of every group it belongs to (sorted, no duplicates). */
const CANONICAL_BY_NAME: ReadonlyMap<string, readonly string[]> = buildIndex(FORENAME_GROUPS);

function buildIndex(groups: readonly (readonly string[])[]): Map<string, readonly string[]> {
  const sets = new Map<string, Set<string>>();
  for (const group of groups) {
    const canonical = group[0];
    if (canonical === undefined) continue;
    for (const name of group) {
      let set = sets.get(name);
      if (!set) sets.set(name, (set = new Set()));
      set.add(canonical);
    }
  }
  return new Map([...sets].map(([name, set]) => [name, [...set].sort()]));
}

/** Normalised forename → every name in every group it belongs to, itself included. */
const MEMBERS_BY_NAME: ReadonlyMap<string, readonly string[]> = new Map(
  [...CANONICAL_BY_NAME].map(([name, canonicals]) => [
    name,
    [...new Set(FORENAME_GROUPS.filter((group) => canonicals.includes(group[0]!)).flat())].sort(),
  ]),
);

/**
 * Every name the table links a forename to, itself included: "Muhammad" → ["md", "mo", "moe", "mohammed", ...,
 * "muhammad"]. A name in no group → itself alone; an empty name → []. Looked up as `canonicalForenames` does.
 */
export function linkedForenames(name: string): string[] {
  return lookUp(MEMBERS_BY_NAME, name);
}

/**
 * A forename's entry in an index by normalised name: the whole name's if it has one, else its first word's, else the
 * first word alone; an empty name → [].
 */
function lookUp(index: ReadonlyMap<string, readonly string[]>, name: string): string[] {
  const normalised = normaliseName(name);
  if (normalised === '') return [];
  const whole = index.get(normalised);
  if (whole) return [...whole];
  const first = normalised.split(' ')[0]!;
  return [...(index.get(first) ?? [first])];
}

/**
 * The canonical forms a forename may stand for: "Liz" → ["elizabeth"], "Chris" → ["christine", "christopher"].
 * A name in no group is its own canonical form ("Zebedee" → ["zebedee"]); an empty name → []. Only the first word of a
 * multi-word forename is looked up, unless the whole of it is itself in the table.
 */
export function canonicalForenames(name: string): string[] {
  return lookUp(CANONICAL_BY_NAME, name);
}

/**
 * True when two forenames may name the same person by the nickname table: they normalise to the same name, or they
 * share a group ("Bill" and "William", "Peggy" and "Maggie"). Empty names are never nicknames of anything.
 */
export function areNicknames(a: string, b: string): boolean {
  const left = canonicalForenames(a);
  const right = canonicalForenames(b);
  return left.some((canonical) => right.includes(canonical));
}
