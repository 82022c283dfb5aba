/**
 * Name material for the benchmark's synthetic population: common UK surnames and forenames, in rough order of
 * frequency (the order matters: the generator draws them by Zipf rank), and syllables for the long tail of rarer
 * surnames. Invented people only; no real person's record.
 */

export const COMMON_SURNAMES = `Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill
Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett
Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan
Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt
Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins
Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders
Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose
Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe
Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson Newton Oliver Reed
Kennedy Williamson Bird Gardner Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson
Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins
O'Connor Harper Coleman Watkins Moss McCarthy Chambers O'Neill Griffin Sharp Hardy Wheeler Potter Osborne Johnston
Gordon Doyle Wallace George Jordan Hutchinson Rahman Miah Nowak Kowalski Wisniewski Chowdhury Mahmood Akhtar Iqbal
Nguyen Okafor Mensah Adeyemi Popescu Kaya Da Silva Rodrigues Ferreira Kozlowski Lewandowska Baptiste Campbell-Reid
Smith-Jones MacLeod McKenzie Fraser Douglas Sinclair Doherty Gallagher Quinn Brennan Lynch Flynn Kaczmarek Mazur`
  .split(/\s+/)
  .filter((name, index, all) => all.indexOf(name) === index);

export const WOMEN =
  `Olivia Amelia Isla Ava Emily Sophie Grace Mia Poppy Ella Lily Evie Isabella Jessica Chloe Charlotte
Sophia Daisy Alice Freya Sarah Emma Laura Rebecca Hannah Amy Lauren Rachel Katie Gemma Nicola Claire Lisa Michelle Kelly
Joanne Helen Louise Victoria Elizabeth Samantha Jennifer Stephanie Natalie Zoe Danielle Kirsty Karen Susan Julie
Tracey Donna Dawn Mary Margaret Patricia Linda Barbara Catherine Deborah Jacqueline Angela Christine Caroline Fatima
Ayesha Aisha Zainab Maryam Amina Priya Anjali Agnieszka Katarzyna Joanna Magdalena Aoife Siobhan Niamh Ciara Bethany
Megan Abigail Jade Leanne Kayleigh Shannon Courtney Chelsea Jasmine Holly Molly Eleanor Harriet Rosie Lucy Ellie Phoebe
Alexandra Frances Theresa Josephine Christina Maria Ann Anne Jane Janet Eileen Sandra Pamela Diane Wendy Beverley`
    .split(/\s+/)
    .filter((name, index, all) => all.indexOf(name) === index);

export const MEN = `Oliver George Harry Noah Jack Leo Arthur Muhammad Oscar Charlie Jacob Thomas Henry William James
Joshua Daniel Samuel Joseph Benjamin Matthew Luke Adam Ryan Liam Connor Callum Jordan Lewis Nathan Dylan Jake Kieran
David Michael Christopher Andrew Mark Paul Richard Robert Stephen Peter John Anthony Steven Gary Ian Simon Craig Lee Darren
Wayne Dean Jason Scott Martin Neil Kevin Carl Jonathan Alexander Nicholas Patrick Edward Timothy Philip Gareth Graham
Mohammed Mohammad Ahmed Ali Hassan Imran Arjun Rahul Tomasz Piotr Krzysztof Marek Sean Declan Ciaran Dominic Frederick
Alfie Archie Theo Freddie Reece Tyler Bradley Shane Aaron Ashley Kyle Ricky Terry Keith Colin Barry Trevor Derek Gordon`
  .split(/\s+/)
  .filter((name, index, all) => all.indexOf(name) === index);

/** Syllables for invented surnames: the long tail of rare names every real population has. */
export const SURNAME_STARTS = `Ab Al Ash Bal Bar Bel Bl Br Cal Car Ch Cr Dal Dan Der Dr El Fal Far Fen Gal Gar Gr Hal
Har Hen Hol Kel Ken Kil Lan Lar Mal Mar Mer Mor Nel Nor Pen Per Pr Ral Ran Ros Sal Sel Sh Sk St Tal Tr Wal War Wes Wh Yar`.split(
  /\s+/,
);
export const SURNAME_MIDDLES = `a e i o u ai ea ow ar er in on el an ing ab ov ic`.split(/\s+/);
export const SURNAME_ENDS =
  `by croft den ford gate ham hurst ley lock man mer more ridge son ston ter thorpe ton well wick
worth field land cott ski wicz ova enko ian ides escu oglu ani ini`.split(/\s+/);

/** Nicknames the generator uses for moderate corruption: common UK short forms, a subset of what matching knows. */
export const NICKNAMES: Readonly<Record<string, readonly string[]>> = {
  Jonathan: ['Jon', 'Jonny'],
  John: ['Jon', 'Johnny', 'Jack'],
  Elizabeth: ['Liz', 'Beth', 'Lizzie', 'Betty'],
  William: ['Will', 'Bill', 'Billy'],
  Robert: ['Rob', 'Bob', 'Robbie'],
  Michael: ['Mike', 'Mick'],
  Christopher: ['Chris'],
  Alexander: ['Alex'],
  Alexandra: ['Alex', 'Sasha'],
  Samuel: ['Sam'],
  Samantha: ['Sam'],
  Daniel: ['Dan', 'Danny'],
  Matthew: ['Matt'],
  Joseph: ['Joe'],
  Benjamin: ['Ben'],
  Thomas: ['Tom', 'Tommy'],
  James: ['Jim', 'Jamie'],
  Nicholas: ['Nick'],
  Anthony: ['Tony'],
  Andrew: ['Andy'],
  Stephen: ['Steve'],
  Steven: ['Steve'],
  Edward: ['Ed', 'Eddie'],
  Richard: ['Rich', 'Dick'],
  Margaret: ['Maggie', 'Peggy'],
  Catherine: ['Cath', 'Kate', 'Katie'],
  Jennifer: ['Jen', 'Jenny'],
  Victoria: ['Vicky', 'Tori'],
  Rebecca: ['Becky', 'Becca'],
  Jessica: ['Jess'],
  Charlotte: ['Lottie', 'Charlie'],
  Mohammed: ['Mo'],
  Muhammad: ['Mo'],
  Patricia: ['Pat', 'Trish'],
  Deborah: ['Debbie', 'Deb'],
  Susan: ['Sue', 'Suzy'],
  Frederick: ['Fred', 'Freddie'],
  Josephine: ['Jo', 'Josie'],
  Joanne: ['Jo'],
  Eleanor: ['Ellie', 'Nell'],
  Christine: ['Chris', 'Chrissie'],
  Timothy: ['Tim'],
  Philip: ['Phil'],
  Peter: ['Pete'],
  Patrick: ['Pat', 'Paddy'],
  Abigail: ['Abbie', 'Abby'],
  Kelly: ['Kel'],
  Natalie: ['Nat'],
};

/** Outward codes for the synthetic area, and refuges elsewhere (victims who move go far). */
export const OUTCODES = [
  ...Array.from({ length: 40 }, (_, i) => `M${i + 1}`),
  ...Array.from({ length: 30 }, (_, i) => `SK${i + 1}`),
  ...Array.from({ length: 30 }, (_, i) => `OL${i + 1}`),
  ...Array.from({ length: 20 }, (_, i) => `BL${i + 1}`),
];
export const REFUGE_OUTCODES = ['LS6', 'B15', 'NG7', 'S10', 'L8', 'BS3', 'CF24', 'NE6'];

/** Letters near each other on a UK QWERTY keyboard, for typing slips. */
export const KEYBOARD_NEIGHBOURS: Readonly<Record<string, string>> = {
  q: 'wa',
  w: 'qes',
  e: 'wrd',
  r: 'etf',
  t: 'ryg',
  y: 'tuh',
  u: 'yij',
  i: 'uok',
  o: 'ipl',
  p: 'ol',
  a: 'qsz',
  s: 'awdz',
  d: 'sefx',
  f: 'drgc',
  g: 'fthv',
  h: 'gyjb',
  j: 'hukn',
  k: 'jilm',
  l: 'kop',
  z: 'asx',
  x: 'zsdc',
  c: 'xdfv',
  v: 'cfgb',
  b: 'vghn',
  n: 'bhjm',
  m: 'njk',
};
